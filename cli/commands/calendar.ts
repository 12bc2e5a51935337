import type { Command } from 'commander';
import { DryRunScheduleStore } from '../../shared/adapters/aws/scheduler/dryRunScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import type { Clock, ScheduleStore } from '../../shared/domain/ports.js';
import { reconcilePlan } from '../../shared/domain/schedule/reconcile.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
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

export function registerCalendarCommands(program: Command): void {
  const calendar = program.command('calendar').description('administer the milestone calendar; the schedules follow');

  changeOptions(calendar.command('import <file>').description('validate a plan file, show the difference, apply it'))
    .option('--units <file>', 'more units from a workbook (.xlsx) or CSV, one row each (README: units from a workbook)')
    .action(importPlanFile);

  registerEditCommands(calendar);

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

/** `calendar import <file>`: validate, show the difference, apply it (or preview it with --dry-run). */
export async function importPlanFile(file: string, flags: ChangeFlags & { units?: string }): Promise<void> {
  const plan = await loadPlanWithUnits(file, flags.units);
  const clock = changeClock(flags, 'calendar import');
  await withTarget(flags, async (target) => {
    const deps = changeDeps(target, clock, flags.dryRun);
    const { diff, reconcile } = await importPlan(deps, plan, await target.actor(flags.actor));
    const requests = deps.requests?.requests();
    if (flags.json) {
      return console.log(JSON.stringify({ dryRun: Boolean(flags.dryRun), diff, reconcile, requests }, null, 2));
    }
    console.log(`${plan.id} (${target.kind})${flags.dryRun ? ': dry run, nothing written' : ''}:`);
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
    console.log(
      renderTable(
        ['milestone', 'deadline', 'rev', 'state', 'units', 'next stage'],
        rows.map((r) => [
          r.id,
          r.deadline,
          String(r.revision),
          r.paused ? 'paused' : 'active',
          String(r.responsible),
          r.next ?? '—',
        ]),
      ),
    );
  });
}

/** `calendar history <plan>`: every change, who made it and when. */
export async function showHistory(planId: string, flags: TargetFlags & { json?: boolean }): Promise<void> {
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const records = await target.stores.calendar.listAudit(planId);
    if (flags.json) return console.log(JSON.stringify(records, null, 2));
    for (const r of records) console.log(describeAudit(r, (t) => formatInZone(t, plan.timezone)));
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
    const result = await reconcilePlan({ calendar: target.stores.calendar, schedules, clock }, planOrFile);
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
