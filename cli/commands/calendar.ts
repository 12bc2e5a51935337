import type { Command } from 'commander';
import { DryRunScheduleStore } from '../../shared/adapters/aws/scheduler/dryRunScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { OFFICE_AUDIT } from '../../shared/domain/calendar/officeHolidays.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import { describeUndone, ImportUndoesEditsError } from '../../shared/domain/calendar/undoneEdits.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { STAGE_LABEL, type StageKind } from '../../shared/domain/plan/stages.js';
import type { Clock, ScheduleStore } from '../../shared/domain/ports.js';
import { reconcilePlan } from '../../shared/domain/schedule/reconcile.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import { officeHolidaysOf } from '../../shared/domain/time/workdays.js';
import { UsageError } from '../errors.js';
import { loadPlanFile } from '../io.js';
import { describeAudit, describeDiff, describeReconcile, describeRequests } from '../output/calendarOutput.js';
import { renderTable } from '../output/table.js';
import { loadPlanWithUnits } from '../unitsFile.js';
import { registerEditCommands } from './calendarEdits.js';
import {
  type ChangeFlags,
  changeClock,
  changeDeps,
  changeOptions,
  loadStored,
  readClock,
  type TargetFlags,
  targetOptions,
  withTarget,
} from './calendarRun.js';
import { registerHolidayCommands } from './holidays.js';

export function registerCalendarCommands(program: Command): void {
  const calendar = program.command('calendar').description('administer the milestone calendar; the schedules follow');

  changeOptions(calendar.command('import <file>').description('validate a plan file, show the difference, apply it'))
    .option('--units <file>', 'more units from a workbook (.xlsx) or CSV, one row each (README: units from a workbook)')
    .option('--force', 'import even if it undoes admin edits made since the last import (they are listed)')
    .action(importPlanFile);

  registerEditCommands(calendar);
  registerHolidayCommands(calendar);

  targetOptions(
    calendar.command('list <plan>').description('milestones, deadlines, revisions and the next stage of each'),
  )
    .option('--json', 'print JSON')
    .action(listCalendar);

  targetOptions(calendar.command('history <plan>').description('every calendar change: who, when, what'))
    .option('--json', 'print the audit records as JSON (with before and after)')
    .action(showHistory);

  targetOptions(
    calendar
      .command('sync <planOrFile>')
      .description('reconcile the schedules with the calendar (a plan file: preview its first deployment)'),
    'the time to reconcile at (a plan file or with --dry-run only), e.g. 2021-05-20T09:00:00+08:00',
  )
    .option('--dry-run', 'print the requests it would send instead of sending them')
    .option('--json', 'print JSON')
    .action(syncSchedules);
}

/**
 * Every year counted as described, for the first look at a file before the target is open: its shape and
 * references are checked there, its holiday coverage once the office's 放假安排 are known.
 */
const ANY_YEAR = { years: Array.from({ length: 200 }, (_, i) => 1950 + i) };

/** `calendar import <file>`: validate, show the difference, apply it (or preview it with --dry-run). */
export async function importPlanFile(
  file: string,
  flags: ChangeFlags & { units?: string; force?: boolean },
): Promise<void> {
  // The file checked on its own first (nothing opened for a broken file), then with the office's 放假安排.
  await loadPlanWithUnits(file, flags.units, { officeHolidays: ANY_YEAR });
  const clock = changeClock(flags, 'calendar import');
  await withTarget(flags, async (target) => {
    const officeHolidays = officeHolidaysOf(await target.stores.calendar.listHolidayYears());
    const plan = await loadPlanWithUnits(file, flags.units, { officeHolidays });
    const deps = changeDeps(target, clock, flags.dryRun);
    const zone = plan.timezone;
    let out: Awaited<ReturnType<typeof importPlan>>;
    try {
      out = await importPlan(deps, plan, await target.actor(flags.actor), { force: Boolean(flags.force) });
    } catch (error) {
      if (!(error instanceof ImportUndoesEditsError)) throw error;
      for (const edit of error.undone) console.error(`  ${describeUndone(edit, (t) => formatInZone(t, zone))}`);
      throw error;
    }
    const { diff, reconcile, undone } = out;
    const requests = deps.requests?.requests();
    if (flags.json) {
      return console.log(JSON.stringify({ dryRun: Boolean(flags.dryRun), diff, reconcile, requests, undone }, null, 2));
    }
    console.log(`${plan.id} (${target.kind})${flags.dryRun ? ': dry run, nothing written' : ''}:`);
    for (const edit of undone) {
      const note = flags.dryRun && !flags.force ? '（导入时需加 --force）' : '（已按 --force 撤销）';
      console.log(`  撤销管理员修改${note}：${describeUndone(edit, (t) => formatInZone(t, zone))}`);
    }
    for (const line of describeDiff(diff)) console.log(`  ${line}`);
    if (reconcile) for (const line of describeReconcile(reconcile)) console.log(`  ${line}`);
    if (requests) for (const line of describeRequests(requests)) console.log(line);
  });
}

/** `calendar list <plan>`: milestones, deadlines, revisions and the next stage of each. */
export async function listCalendar(planId: string, flags: TargetFlags & { json?: boolean }): Promise<void> {
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const now = readClock(flags).now();
    const rows = plan.milestones.map((m) => {
      const next = m.paused ? undefined : occurrencesOf(plan, m).find((o) => o.instant > now);
      return {
        id: m.id,
        deadline: m.deadline,
        revision: m.revision,
        paused: Boolean(m.paused),
        responsible: m.responsible.length,
        next: next ? `${next.stage} ${next.fireAt}` : null,
      };
    });
    if (flags.json) return console.log(JSON.stringify(rows, null, 2));
    const titles = new Map(plan.milestones.map((m) => [m.id, m.title]));
    console.log(
      renderTable(
        ['事项', '名称', '截止日期', '版本', '状态', '责任单位', `下一环节（${plan.timezone}）`],
        rows.map((r) => [
          r.id,
          titles.get(r.id) ?? '',
          r.deadline,
          String(r.revision),
          r.paused ? '已暂停' : '进行中',
          String(r.responsible),
          r.next ? nextStage(r.next) : '—',
        ]),
      ),
    );
  });
}

/** `2021-05-31T09:00:00+08:00` as `2021-05-31 09:00 +08:00`. */
const zoned = (instant: number, zone: string) => {
  const iso = formatInZone(instant, zone);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} ${iso.slice(19)}`;
};

/** `reminder 2026-12-08T09:00:00+08:00` as `提醒 2026-12-08 09:00 +08:00`. */
function nextStage(next: string): string {
  const [stage, at] = next.split(' ') as [StageKind, string];
  return `${STAGE_LABEL[stage] ?? stage} ${at.slice(0, 10)} ${at.slice(11, 16)} ${at.slice(19)}`;
}

/** `calendar history <plan>`: every change, who made it and when. */
export async function showHistory(planId: string, flags: TargetFlags & { json?: boolean }): Promise<void> {
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const records = await target.stores.calendar.listAudit(planId);
    if (flags.json) return console.log(JSON.stringify(records, null, 2));
    // The office's own changes (放假安排 for every plan) belong to every plan's history.
    const office = (await target.stores.calendar.listAudit(OFFICE_AUDIT)).filter((r) => r.plan === OFFICE_AUDIT);
    const all = [...records, ...office].sort((a, b) => a.at - b.at);
    console.log(`时间（${plan.timezone}）  操作人  操作  对象  变更（原 → 新）`);
    for (const r of all) console.log(describeAudit(r, (t) => zoned(t, plan.timezone)));
  });
}

/** `calendar sync <plan|file>`: reconcile now, or preview the exact schedule requests. */
export async function syncSchedules(planOrFile: string, flags: ChangeFlags): Promise<void> {
  if (planOrFile.endsWith('.json')) {
    if (!flags.dryRun)
      throw new UsageError('to apply a plan file use `calendar import <file>`; `sync <file>` needs --dry-run');
    return printFileDryRun(loadPlanFile(planOrFile), readClock(flags), Boolean(flags.json));
  }
  const clock = changeClock(flags, 'calendar sync');
  await withTarget(flags, async (target) => {
    const schedules: ScheduleStore = flags.dryRun ? target.previewSchedules() : target.schedules;
    const result = await reconcilePlan(
      { calendar: target.stores.calendar, schedules, clock, exits: target.stores.exits },
      planOrFile,
    );
    if (schedules instanceof DryRunScheduleStore) return printRequests(schedules, Boolean(flags.json));
    if (flags.json) return console.log(JSON.stringify(result, null, 2));
    for (const line of describeReconcile(result)) console.log(line);
  });
}

/**
 * Reconciles a plan file against an empty schedule store and prints the exact CreateSchedule requests
 * the EventBridge adapter would send (placeholder ARNs), without sending anything.
 */
async function printFileDryRun(plan: Plan, clock: Clock, json: boolean): Promise<void> {
  const calendar = new ScratchCalendar();
  await calendar.savePlan({ ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) });
  const schedules = new DryRunScheduleStore({ groupPrefix: 'duban-' });
  await reconcilePlan({ calendar, schedules, clock }, plan.id);
  printRequests(schedules, json);
}

/** `[{"op", "request"}]` with --json, a table otherwise: the same for a plan file and a stored plan. */
function printRequests(schedules: DryRunScheduleStore, json: boolean): void {
  const lines = json ? [JSON.stringify(schedules.requests(), null, 2)] : describeRequests(schedules.requests());
  for (const line of lines) console.log(line);
}
