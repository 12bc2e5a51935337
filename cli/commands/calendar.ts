import type { Command } from 'commander';
import { DryRunScheduleStore } from '../../shared/adapters/dryRunScheduleStore.js';
import { applyEdit } from '../../shared/calendar/applyEdit.js';
import { type CalendarEdit, calendarEditSchema } from '../../shared/calendar/editSchema.js';
import { importPlan } from '../../shared/calendar/importPlan.js';
import { occurrencesOf } from '../../shared/plan/ladder.js';
import type { Plan } from '../../shared/plan/schema.js';
import { PlanValidationError, zodIssues } from '../../shared/plan/validate.js';
import type { CalendarStore, StoredPlan } from '../../shared/ports.js';
import { reconcilePlan } from '../../shared/schedule/reconcile.js';
import { formatInZone, parseInstant } from '../../shared/time/wallClock.js';
import { loadPlanFile, UsageError } from '../io.js';
import { renderTable } from '../table.js';
import { clockFrom, openTarget, type Target } from '../target.js';
import { describeAudit, describeDiff, describeReconcile } from './calendarOutput.js';

interface TargetFlags {
  aws?: boolean;
  now?: string;
  actor?: string;
}

const actorOf = (flags: TargetFlags) => flags.actor ?? process.env.DUBAN_ACTOR ?? process.env.USER ?? 'admin';

/** Opens the target, runs, and always closes its clients. */
async function withTarget<T>(
  flags: TargetFlags,
  work: (target: Target, clock: { now(): number }) => Promise<T>,
): Promise<T> {
  const target = openTarget(flags.aws);
  try {
    return await work(target, clockFrom(flags.now, parseInstant));
  } finally {
    target.close();
  }
}

async function loadStored(calendar: CalendarStore, planId: string): Promise<StoredPlan> {
  const plan = await calendar.loadPlan(planId);
  if (!plan) throw new UsageError(`plan "${planId}" is not in the calendar; import it with \`calendar import <file>\``);
  return plan;
}

const common = (command: Command) =>
  command
    .option('--aws', 'work on AWS (stack outputs in the environment) instead of the local stack')
    .option('--now <iso>', 'the time to act at, e.g. 2021-05-20T09:00:00+08:00 (default: now)')
    .option('--actor <name>', 'who is making the change, for the audit trail');

export function registerCalendarCommands(program: Command): void {
  const calendar = program.command('calendar').description('administer the milestone calendar; the schedules follow');

  common(calendar.command('import <file>').description('validate a plan file, show the difference, apply it'))
    .option('--dry-run', 'show the difference only')
    .action(async (file: string, flags: TargetFlags & { dryRun?: boolean }) => {
      const plan = loadPlanFile(file);
      await withTarget(flags, async (target, clock) => {
        const deps = { calendar: target.stores.calendar, schedules: target.schedules, clock };
        const { diff, reconcile } = await importPlan(deps, plan, actorOf(flags), { dryRun: Boolean(flags.dryRun) });
        console.log(`${plan.id} (${target.kind}):`);
        for (const line of describeDiff(diff)) console.log(`  ${line}`);
        if (reconcile) for (const line of describeReconcile(reconcile)) console.log(`  ${line}`);
        else console.log('  dry run: nothing written');
      });
    });

  const edit = (name: string, args: string, description: string, toEdit: (...a: string[]) => CalendarEdit) =>
    common(calendar.command(`${name} ${args}`).description(description)).action(async (...raw: unknown[]) => {
      const positional = raw.filter((x): x is string => typeof x === 'string');
      const flags = raw.find((x) => typeof x === 'object' && x !== null && !('commands' in x)) as TargetFlags;
      const [planId, ...rest] = positional as [string, ...string[]];
      const parsed = calendarEditSchema.safeParse(toEdit(...rest));
      if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
      await withTarget(flags, async (target, clock) => {
        const result = await applyEdit(
          { calendar: target.stores.calendar, schedules: target.schedules, clock },
          planId,
          parsed.data,
          actorOf(flags),
        );
        for (const b of result.bumped)
          console.log(`${b.milestone}: revision ${b.from} → ${b.to < 0 ? 'removed' : b.to}`);
        for (const line of describeReconcile(result.reconcile)) console.log(line);
      });
    });
  edit(
    'set-deadline',
    '<plan> <milestone> <date>',
    'move a milestone’s deadline (YYYY-MM-DD)',
    (milestone, deadline) => ({
      type: 'setDeadline',
      milestone: milestone as string,
      deadline: deadline as string,
    }),
  );
  edit('pause', '<plan> <milestone>', 'stop sending anything for a milestone', (milestone) => ({
    type: 'pause',
    milestone: milestone as string,
  }));
  edit('resume', '<plan> <milestone>', 'resume a paused milestone', (milestone) => ({
    type: 'resume',
    milestone: milestone as string,
  }));
  edit(
    'add-responsible',
    '<plan> <milestone> <unit>',
    'make a unit responsible for a milestone',
    (milestone, unit) => ({
      type: 'addResponsible',
      milestone: milestone as string,
      unit: unit as string,
    }),
  );
  edit('remove-responsible', '<plan> <milestone> <unit>', 'release a unit from a milestone', (milestone, unit) => ({
    type: 'removeResponsible',
    milestone: milestone as string,
    unit: unit as string,
  }));

  common(calendar.command('list <plan>').description('milestones, deadlines, revisions and the next stage of each'))
    .option('--json', 'print JSON')
    .action(async (planId: string, flags: TargetFlags & { json?: boolean }) => {
      await withTarget(flags, async (target, clock) => {
        const plan = await loadStored(target.stores.calendar, planId);
        const now = clock.now();
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
    });

  common(calendar.command('history <plan>').description('every calendar change: who, when, what'))
    .option('--json', 'print the audit records as JSON (with before and after)')
    .action(async (planId: string, flags: TargetFlags & { json?: boolean }) => {
      await withTarget(flags, async (target) => {
        const plan = await loadStored(target.stores.calendar, planId);
        const records = await target.stores.calendar.listAudit(planId);
        if (flags.json) return console.log(JSON.stringify(records, null, 2));
        for (const r of records) console.log(describeAudit(r, (t) => formatInZone(t, plan.timezone)));
      });
    });

  common(calendar.command('sync <planOrFile>').description('reconcile the schedules with the calendar'))
    .option('--dry-run', 'print the requests instead of making them')
    .option('--json', 'print JSON')
    .action(async (planOrFile: string, flags: TargetFlags & { dryRun?: boolean; json?: boolean }) => {
      if (planOrFile.endsWith('.json')) {
        if (!flags.dryRun)
          throw new UsageError('to apply a plan file use `calendar import <file>`; `sync <file>` needs --dry-run');
        return printDryRun(loadPlanFile(planOrFile), clockFrom(flags.now, parseInstant), Boolean(flags.json));
      }
      if (flags.dryRun)
        throw new UsageError('--dry-run takes a plan file: `calendar sync plans/<plan>.json --dry-run`');
      await withTarget(flags, async (target, clock) => {
        const result = await reconcilePlan(
          { calendar: target.stores.calendar, schedules: target.schedules, clock },
          planOrFile,
        );
        if (flags.json) return console.log(JSON.stringify(result, null, 2));
        for (const line of describeReconcile(result)) console.log(line);
      });
    });
}

/**
 * Reconciles a plan file against an empty schedule store and prints the exact CreateSchedule requests
 * the EventBridge adapter would send (placeholder ARNs), without sending anything.
 */
async function printDryRun(plan: Plan, clock: { now(): number }, json: boolean): Promise<void> {
  const stored: StoredPlan = { ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) };
  const schedules = new DryRunScheduleStore({ groupPrefix: 'duban-' });
  const calendar = { loadPlan: async () => stored } as unknown as CalendarStore;
  const result = await reconcilePlan({ calendar, schedules, clock }, plan.id);
  if (json) return console.log(JSON.stringify(schedules.requests(), null, 2));
  for (const r of schedules.requests()) console.log(`${r.op} ${r.request.GroupName}/${r.request.Name}`);
  console.log(`${result.writes} requests (dry run: nothing sent)`);
}
