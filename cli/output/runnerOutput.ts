import type { PendingFiring } from '../../shared/adapters/local/runnerJournal.js';
import type { DeadLetter, Firing } from '../../shared/adapters/local/scheduleRunner.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import type { DeadNotice } from '../../sim/result.js';

/** `2026-12-03T09:00:05+08:00` → `2026-12-03 09:00`. */
const minute = (instant: number, zone: string) => formatInZone(instant, zone).replace('T', ' ').slice(0, 16);

/**
 * One line per attempt, as `local up` prints it: a failure says whether a retry is coming and when,
 * or that it was the last attempt. "Will retry" is never printed when no retry will come.
 */
export function describeFiring(firing: Firing, zone: string): string {
  const which = firing.attempt > 1 ? ` (retry ${firing.attempt - 1})` : '';
  const outcome = firing.ok
    ? ''
    : firing.retryAt !== undefined
      ? ` — failed, will retry at ${minute(firing.retryAt, zone)}`
      : ' — failed: dead letter';
  return `${formatInZone(firing.at, zone)}  fired ${firing.schedule}${which}${outcome}`;
}

/** The dead-letter line every command prints (`simulate`, `local up`, `status`): the schedule first. */
export function describeDeadLetter(letter: DeadLetter): string {
  return `dead letter: ${letter.schedule} after ${letter.attempts} attempts: ${letter.error}`;
}

/** A notice the work queue gave up on: which one, and after how many deliveries. */
export function describeDeadNotice(notice: DeadNotice): string {
  return `dead notice: ${notice.milestone} ${notice.stage} at ${notice.occurrence.replace('T', ' ').slice(0, 16)} to ${notice.unit} (${notice.role}) after ${notice.receives} deliveries`;
}

/** What a dead letter was for, and when it gave up, for the operator deciding what to resend. */
export function describeDeadLetterStage(letter: DeadLetter): string {
  const { milestone, stage, revision } = letter.payload;
  return `${milestone} ${stage} due ${letter.at.replace('T', ' ').slice(0, 16)} (revision ${revision}), last attempt ${minute(letter.failedAt, letter.timezone)}`;
}

/** `local up` at start: the firings it takes up again, which a stop had cut short or left waiting. */
export function describeResumed(pending: readonly PendingFiring[], now: number): string[] {
  if (pending.length === 0) return [];
  return [
    `  resuming ${pending.length} firing${pending.length === 1 ? '' : 's'} interrupted or waiting for a retry:`,
    ...pending.map(
      (p) => `    ${p.spec.name} attempt ${p.attempt} ${p.at <= now ? 'now' : `at ${minute(p.at, p.spec.timezone)}`}`,
    ),
  ];
}
