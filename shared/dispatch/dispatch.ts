import type { Log } from '../log.js';
import { buildNotices, type PlannedNotice } from '../notices/build.js';
import { occurrencesOf, type StageOccurrence } from '../plan/ladder.js';
import type { CalendarStore, Clock, Mailer, NoticeLedger, SchedulePayload, SubmissionStore } from '../ports.js';
import { mapPool } from './pool.js';

export interface DispatchDeps {
  readonly calendar: CalendarStore;
  readonly submissions: SubmissionStore;
  readonly ledger: NoticeLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly log: Log;
  /**
   * How long a claim protects a notice being sent. A claim older than this belongs to a sender that
   * died (between SES and the ledger), so a retry may send again: the one residual duplicate.
   * @default 120000 (2 minutes: one send with all its throttling retries takes under a minute)
   */
  readonly leaseMs?: number;
  /**
   * Sends in flight at once. A crash re-sends every notice caught between SES and the ledger, so one
   * at a time is what bounds duplicates to one per crash; throughput beyond ~1/(SES + DynamoDB latency)
   * comes from fanning a stage out to several paced workers (see the README's scale section).
   * @default 1
   */
  readonly concurrency?: number;
}

/** How early before its fire time a delivery still counts for that occurrence (clock skew; Scheduler may fire early by seconds). */
const EARLY_TOLERANCE_MS = 5 * 60_000;

export type DispatchOutcome =
  | {
      readonly status: 'skipped';
      readonly reason: 'unknown-plan' | 'unknown-milestone' | 'stale-revision' | 'paused' | 'not-due';
    }
  | {
      readonly status: 'done';
      readonly occurrence: string;
      readonly missing: readonly string[];
      readonly sent: number;
      readonly alreadySent: number;
      readonly inFlight: number;
      readonly failed: number;
    };

/**
 * 督办 one stage of one milestone: find who has not delivered, and send each of them the stage's
 * notices exactly once. Safe to run twice, concurrently, or after a crash.
 */
export async function dispatchStage(deps: DispatchDeps, payload: SchedulePayload): Promise<DispatchOutcome> {
  const { log } = deps;
  const plan = await deps.calendar.loadPlan(payload.plan);
  if (!plan) return skip(log, payload, 'unknown-plan');
  const milestone = plan.milestones.find((m) => m.id === payload.milestone);
  if (!milestone) return skip(log, payload, 'unknown-milestone');
  // A schedule made for an older calendar must never send: the edit that bumped the revision re-planned it.
  if (milestone.revision !== payload.revision) return skip(log, payload, 'stale-revision');
  if (milestone.paused) return skip(log, payload, 'paused');

  const now = deps.clock.now();
  const occurrence = dueOccurrence(occurrencesOf(plan, milestone), payload, now);
  if (!occurrence) return skip(log, payload, 'not-due');

  const submitted = new Set(
    (await deps.submissions.listForMilestone(plan.id, milestone.id)).filter((s) => s.at <= now).map((s) => s.unit),
  );
  const missing = occurrence.units.filter((u) => !submitted.has(u));
  const notices = buildNotices(plan, milestone, occurrence, missing);

  const results = await mapPool(notices, deps.concurrency ?? 1, (notice) => sendOnce(deps, notice, occurrence));
  const count = (r: SendResult) => results.filter((x) => x === r).length;
  const outcome = {
    status: 'done' as const,
    occurrence: occurrence.fireAt,
    missing,
    sent: count('sent'),
    alreadySent: count('already-sent'),
    inFlight: count('in-flight'),
    failed: count('failed'),
  };
  log.info('stage dispatched', { ...payload, ...outcome, missing: missing.length });
  return outcome;
}

/**
 * The occurrence of `payload.stage` this delivery is for: the latest one already due. Several reminders
 * share the stage name; a late retry of an earlier one can only ever send a later one at or after its time.
 */
function dueOccurrence(
  occurrences: StageOccurrence[],
  payload: SchedulePayload,
  now: number,
): StageOccurrence | undefined {
  return occurrences.filter((o) => o.stage === payload.stage && o.instant <= now + EARLY_TOLERANCE_MS).at(-1);
}

type SendResult = 'sent' | 'already-sent' | 'in-flight' | 'failed';

async function sendOnce(deps: DispatchDeps, notice: PlannedNotice, occurrence: StageOccurrence): Promise<SendResult> {
  const { ledger, clock, log } = deps;
  const { email, key } = notice;
  try {
    const claim = await ledger.claim(
      key,
      { units: notice.units, to: email.to, cc: email.cc, subject: email.subject, fireAt: occurrence.fireAt },
      clock.now(),
      deps.leaseMs ?? 120_000,
    );
    if (claim.outcome === 'sent') return 'already-sent';
    if (claim.outcome === 'in-flight') return 'in-flight';
  } catch (error) {
    log.error('notice claim failed', { ...logKey(key), error: errorName(error) });
    return 'failed';
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(email));
  } catch (error) {
    log.error('notice send failed', { ...logKey(key), error: errorName(error) });
    await ledger.markFailed(key, errorName(error), clock.now()).catch(() => undefined);
    return 'failed';
  }
  try {
    await ledger.markSent(key, messageId, clock.now());
  } catch (error) {
    // SES has it; the claim expires and a retry may send it once more — the documented residual window.
    log.error('notice sent but not recorded', { ...logKey(key), messageId, error: errorName(error) });
    return 'failed';
  }
  return 'sent';
}

const logKey = (k: PlannedNotice['key']) => ({
  milestone: k.milestone,
  stage: k.stage,
  occurrence: k.occurrence,
  unit: k.unit,
  role: k.role,
});
/** An error for logs and the ledger, with any address in it redacted (SES names unverified identities). */
const errorName = (error: unknown) =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).replace(
    /[^\s@<>"',;:]+@[^\s@<>"',;:]+/g,
    '<address>',
  );

function skip(
  log: Log,
  payload: SchedulePayload,
  reason: Extract<DispatchOutcome, { status: 'skipped' }>['reason'],
): DispatchOutcome {
  log.info('stage skipped', { ...payload, reason });
  return { status: 'skipped', reason };
}

/** Thrown when some notices are not yet sent, so the scheduler's retry (safe) finishes the job. */
export class DispatchIncompleteError extends Error {
  constructor(readonly outcome: Extract<DispatchOutcome, { status: 'done' }>) {
    super(
      `stage ${outcome.occurrence}: ${outcome.failed} notices failed, ${outcome.inFlight} still in flight elsewhere`,
    );
    this.name = 'DispatchIncompleteError';
  }
}
