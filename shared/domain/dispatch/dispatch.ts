import pLimit from 'p-limit';
import { screenSuppressed } from '../delivery/suppression.js';
import { type PortalLinks, unitLinkUrl } from '../links/unitLink.js';
import type { Log } from '../log.js';
import { buildNotices, type PlannedNotice } from '../notices/build.js';
import { deadlineInstant, occurrencesOf, type StageOccurrence } from '../plan/ladder.js';
import {
  type CalendarStore,
  type Clock,
  counts,
  type Mailer,
  type NoticeLedger,
  type SchedulePayload,
  type StoredMilestone,
  type StoredPlan,
  type SubmissionStore,
  type SuppressionList,
} from '../ports.js';
import { redactedError } from '../redact.js';
import { type RetryOptions, sleep, withRetry } from '../retry.js';

export interface DispatchDeps {
  readonly calendar: CalendarStore;
  readonly submissions: SubmissionStore;
  readonly ledger: NoticeLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly log: Log;
  /** Where the personal links in notices point, and the key that signs them. */
  readonly portal: PortalLinks;
  /**
   * The account's suppression list, asked before each send (see delivery/suppression.ts).
   * @default none: the local stand-in has none
   */
  readonly suppression?: SuppressionList;
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
  /**
   * How the dispatcher waits between its own retries (the ledger write after SES, a claim in flight
   * elsewhere). A simulation on a virtual clock scales it down. @default real time
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How early before its fire time a delivery still counts for that occurrence (clock skew; Scheduler may fire early by seconds). */
const EARLY_TOLERANCE_MS = 5 * 60_000;

/**
 * Once SES has a message, failing to record it means sending it again later: retry the write well
 * past the SDK's own attempts (each of these is up to 8 of them), and still well inside the lease.
 */
const RECORD_RETRY: RetryOptions = { attempts: 6, baseMs: 250, maxMs: 4_000, isRetryable: () => true };

/**
 * A notice another invocation has claimed is usually being sent right now (a duplicate delivery):
 * wait for it before calling this invocation incomplete, so that a duplicate does not end as an error
 * (and, on its last retry, in the DLQ). A claim still held after these waits belongs to a sender that
 * died: the throw makes the retry take it over once its lease expires.
 */
const IN_FLIGHT_WAITS_MS = [250, 500, 1_000, 2_000, 4_000];

export type SkipReason =
  | 'unknown-plan'
  | 'unknown-milestone'
  | 'stale-revision'
  | 'paused'
  | 'not-due'
  /** A later step of the ladder is already due: this one's words ("due today") would be wrong now. */
  | 'superseded';

export type DispatchOutcome =
  | { readonly status: 'skipped'; readonly reason: SkipReason }
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
 * notices exactly once. Safe to run twice, concurrently, after a crash, or replayed days later.
 */
export async function dispatchStage(deps: DispatchDeps, payload: SchedulePayload): Promise<DispatchOutcome> {
  const { log } = deps;
  const plan = await deps.calendar.loadPlan(payload.plan);
  if (!plan) return skip(log, payload, 'unknown-plan');
  const milestone = plan.milestones.find((m) => m.id === payload.milestone);
  if (!milestone) return skip(log, payload, 'unknown-milestone');
  if (milestone.paused) return skip(log, payload, 'paused');

  const now = deps.clock.now();
  // A payload for one unit's own ladder sees only that ladder; the milestone's own sees the units that keep its date.
  const occurrences = occurrencesOf(plan, milestone).filter((o) => o.unit === payload.unit);
  const occurrence =
    payload.occurrence === undefined
      ? dueOccurrence(occurrences, payload, now)
      : occurrences.find((o) => o.stage === payload.stage && o.wall === payload.occurrence);
  // A schedule made for an older calendar must never send what the edit re-planned. The one thing it
  // may still do is finish notices it had begun and left unfinished, for an occurrence the current
  // calendar keeps unchanged (same stage, same time): otherwise an edit during an outage would lose them.
  const current = isCurrent(milestone, payload);
  const resumable = current || !occurrence ? undefined : await unfinishedKeys(deps, plan, occurrence);
  if (!current && !resumable?.size) return skip(log, payload, 'stale-revision');
  if (!occurrence) return skip(log, payload, 'not-due');
  if (isSuperseded(plan, occurrences, occurrence, now)) return skip(log, payload, 'superseded');

  const submitted = new Set(
    (await deps.submissions.listForMilestone(plan.id, milestone.id))
      .filter((s) => counts(s) && s.at <= now)
      .map((s) => s.unit),
  );
  const missing = occurrence.units.filter((u) => !submitted.has(u));
  const links = await personalLinks(deps, plan, occurrence, missing, now);
  // The notices speak of the date this occurrence counts from: the unit's own, on its own ladder.
  const dated = { ...milestone, deadline: occurrence.deadline };
  const notices = buildNotices(plan, dated, occurrence, missing, links).filter(
    (n) => !resumable || resumable.has(recipientOf(n.key)),
  );

  const send = (notice: PlannedNotice) => sendOnce(deps, plan, notice, occurrence);
  const results = await pLimit(deps.concurrency ?? 1).map(notices, send);
  for (const wait of IN_FLIGHT_WAITS_MS) {
    const inFlight = results.flatMap((r, i) => (r === 'in-flight' ? [i] : []));
    if (inFlight.length === 0) break;
    await (deps.sleep ?? sleep)(wait);
    for (const i of inFlight) results[i] = await send(notices[i] as PlannedNotice);
  }
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
  log.info(resumable ? 'stage resumed after an edit' : 'stage dispatched', {
    ...payload,
    ...outcome,
    missing: missing.length,
  });
  return outcome;
}

/** The stages whose notice goes to each unit alone, and so carries its personal link. */
const PERSONAL_STAGES: ReadonlySet<StageOccurrence['stage']> = new Set(['reminder', 'due', 'overdue']);

/** Each missing unit's link, for a stage that writes to units one by one. */
async function personalLinks(
  deps: DispatchDeps,
  plan: StoredPlan,
  occurrence: StageOccurrence,
  missing: readonly string[],
  now: number,
): Promise<Map<string, string>> {
  if (!PERSONAL_STAGES.has(occurrence.stage)) return new Map();
  return new Map(
    await Promise.all(missing.map(async (unit) => [unit, await unitLinkUrl(deps.portal, plan, unit, now)] as const)),
  );
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

/**
 * Whether the ladder has moved past `occurrence`: its next step is due, or, for a reminder or the due
 * notice, the deadline has passed. A retry minutes late still sends; a DLQ replay days later does not
 * tell a unit "the deadline is today" after its summons went out.
 */
function isSuperseded(
  plan: StoredPlan,
  occurrences: readonly StageOccurrence[],
  occurrence: StageOccurrence,
  now: number,
): boolean {
  const next = occurrences.find((o) => o.instant > occurrence.instant);
  if (next && next.instant <= now) return true;
  const beforeDeadline = occurrence.stage === 'reminder' || occurrence.stage === 'due';
  return beforeDeadline && deadlineInstant(plan, { deadline: occurrence.deadline }) < now;
}

/**
 * Whether the schedule was made for the calendar as it stands: the milestone's revision, and for a unit's
 * own ladder that unit's date revision too (moving one unit's date leaves the others' schedules current).
 */
function isCurrent(milestone: StoredMilestone, payload: SchedulePayload): boolean {
  if (milestone.revision !== payload.revision) return false;
  if (payload.unit === undefined) return true;
  return milestone.unitDeadlines?.[payload.unit]?.revision === payload.unitRevision;
}

/** `unit#role` of a notice: which recipient of an occurrence it is. */
const recipientOf = (key: PlannedNotice['key']) => `${key.unit}#${key.role}`;

/** The recipients of `occurrence` whose notices the ledger holds but not as sent (claimed or failed). */
async function unfinishedKeys(deps: DispatchDeps, plan: StoredPlan, occurrence: StageOccurrence) {
  const records = await deps.ledger.listForMilestone(plan.id, occurrence.milestone);
  return new Set(
    records
      .filter((r) => r.stage === occurrence.stage && r.occurrence === occurrence.wall && r.state !== 'sent')
      .map(recipientOf),
  );
}

type SendResult = 'sent' | 'already-sent' | 'in-flight' | 'failed';

async function sendOnce(
  deps: DispatchDeps,
  plan: StoredPlan,
  notice: PlannedNotice,
  occurrence: StageOccurrence,
): Promise<SendResult> {
  const { ledger, clock, log } = deps;
  const { email, key } = notice;
  const claimedAt = clock.now();
  try {
    const claim = await ledger.claim(
      key,
      { units: notice.units, to: email.to, cc: email.cc, subject: email.subject, fireAt: occurrence.fireAt },
      claimedAt,
      deps.leaseMs ?? 120_000,
    );
    if (claim.outcome === 'sent') return 'already-sent';
    if (claim.outcome === 'in-flight') return 'in-flight';
  } catch (error) {
    log.error('notice claim failed', { ...logKey(key), error: redactedError(error) });
    return 'failed';
  }
  let messageId: string;
  try {
    // Nobody left to reach (every address suppressed): closed in the ledger as such, and the office told.
    if ((await screenSuppressed(deps, plan, notice, claimedAt)) === 'closed') return 'sent';
    ({ messageId } = await deps.mailer.send(email));
  } catch (error) {
    log.error('notice send failed', { ...logKey(key), error: redactedError(error) });
    await ledger.markFailed(key, redactedError(error), clock.now(), claimedAt).catch(() => undefined);
    return 'failed';
  }
  try {
    await withRetry(() => ledger.markSent(key, messageId, clock.now()), { ...RECORD_RETRY, sleep: deps.sleep });
  } catch (error) {
    // SES has it; the claim expires and a retry may send it once more — the documented residual window.
    log.error('notice sent but not recorded', { ...logKey(key), messageId, error: redactedError(error) });
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
function skip(log: Log, payload: SchedulePayload, reason: SkipReason): DispatchOutcome {
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
