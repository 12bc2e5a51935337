import type { Command } from 'commander';
import type { DryRunScheduleStore } from '../../shared/adapters/aws/scheduler/dryRunScheduleStore.js';
import type { CalendarDeps } from '../../shared/domain/calendar/applyEdit.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import { PlanNotFoundError } from '../../shared/domain/errors.js';
import type { CalendarStore, Clock, StoredPlan } from '../../shared/domain/ports.js';
import { parseInstant } from '../../shared/domain/time/wallClock.js';
import { RefusedError, UsageError } from '../errors.js';
import { clockFrom, openTarget, type Target } from '../target.js';

/** The options every calendar command takes. */
export interface TargetFlags {
  aws?: boolean;
  now?: string;
  actor?: string;
}

/** The options of a command that changes the calendar or the schedules. */
export interface ChangeFlags extends TargetFlags {
  dryRun?: boolean;
  json?: boolean;
}

const READ_NOW = 'the time to act at, e.g. 2021-05-20T09:00:00+08:00 (default: now)';
/** What `--now` means on a command that changes a live target. */
export const PREVIEW_NOW = 'preview the change as at this time, e.g. 2021-05-20T09:00:00+08:00 (only with --dry-run)';

export const targetOptions = (command: Command, nowHelp = READ_NOW) =>
  command
    .option('--aws', 'work on AWS (stack outputs in the environment) instead of the local stack')
    .option('--now <iso>', nowHelp)
    .option(
      '--actor <name>',
      'who is making the change, for the audit trail (local stack; on AWS it is your IAM identity)',
    );

export const changeOptions = (command: Command) =>
  targetOptions(command, PREVIEW_NOW)
    .option('--dry-run', 'validate, show the difference and the schedule requests it would take; change nothing')
    .option('--json', 'print JSON');

/** Opens the target, runs, and always closes its clients. A plan that is not there is named with the ones that are. */
export async function withTarget<T>(flags: TargetFlags, work: (target: Target) => Promise<T>): Promise<T> {
  const target = openTarget(flags.aws);
  try {
    return await work(target);
  } catch (error) {
    if (error instanceof PlanNotFoundError) throw await planNotFound(target.stores.calendar, error.plan, error);
    throw error;
  } finally {
    target.close();
  }
}

/** `plan "x" is not in the calendar`, with every imported plan (id and title) to choose from. */
export async function planNotFound(
  calendar: Pick<CalendarStore, 'listPlans' | 'loadPlan'>,
  planId: string,
  cause?: unknown,
): Promise<RefusedError> {
  const ids = await calendar.listPlans();
  const titled = await Promise.all(
    ids.slice(0, 20).map(async (id) => `${id}（${(await calendar.loadPlan(id))?.title ?? ''}）`),
  );
  const list =
    ids.length === 0
      ? '尚未导入任何计划 (no plan is imported yet)'
      : `已导入的计划 (imported plans): ${titled.join('、')}${ids.length > 20 ? ` 等 ${ids.length} 个` : ''}`;
  return new RefusedError(
    `plan "${planId}" is not in the calendar; ${list}. Import a plan with \`calendar import <file>\``,
    cause === undefined ? undefined : { cause },
  );
}

/** The clock of a command that only reads: `--now` or the system clock. */
export const readClock = (flags: TargetFlags): Clock => clockFrom(flags.now, parseInstant);

/**
 * The clock of a command that changes a live target (the local stack or AWS). Their runner and Scheduler
 * fire on the real clock, so an edit reconciled at another time would create schedules for moments that
 * have passed (sent at once) or drop ones still ahead: `--now` is for previews only. Without it, the
 * real clock also stamps the audit record.
 */
export function changeClock(flags: ChangeFlags, command: string): Clock {
  if (flags.now !== undefined && !flags.dryRun) {
    throw new UsageError(
      `${command}: --now works only with --dry-run. A live stack (local or AWS) runs on the real clock, so ` +
        'changing it "at" another time would schedule stages for the wrong moments; --now is for previews. ' +
        `Add --dry-run to preview the change at ${flags.now}, or drop --now to apply it now.`,
    );
  }
  return clockFrom(flags.now, parseInstant);
}

/**
 * The dependencies of a change: the target's own, or for a dry run a scratch copy of its calendar and a
 * schedule store that reads its schedules and records requests. The same domain code runs either way.
 */
export function changeDeps(
  target: Target,
  clock: Clock,
  dryRun: boolean | undefined,
): CalendarDeps & { requests?: DryRunScheduleStore } {
  const exits = target.stores.exits;
  if (!dryRun) return { calendar: target.stores.calendar, schedules: target.schedules, clock, exits };
  const requests = target.previewSchedules();
  return { calendar: new ScratchCalendar(target.stores.calendar), schedules: requests, clock, requests, exits };
}

export async function loadStored(calendar: CalendarStore, planId: string): Promise<StoredPlan> {
  const plan = await calendar.loadPlan(planId);
  if (!plan) throw await planNotFound(calendar, planId);
  return plan;
}
