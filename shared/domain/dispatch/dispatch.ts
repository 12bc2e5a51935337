import { dispatchExitStage } from '../exits/dispatchExits.js';
import type { LedgerMilestone } from '../exits/status.js';
import type { ExitLedger } from '../exits/types.js';
import { type PortalLinks, receiptLinkUrl, unitLinkUrl } from '../links/unitLink.js';
import type { Log } from '../log.js';
import { buildNotices, type PlannedNotice, partnerNotices } from '../notices/build.js';
import { deadlineInstant, occurrencesOf, type StageOccurrence } from '../plan/ladder.js';
import {
  type CalendarStore,
  type Clock,
  counts,
  type NoticeLedger,
  type SchedulePayload,
  type StoredMilestone,
  type StoredPlan,
  type SubmissionReader,
  type WorkQueue,
} from '../ports.js';
import { toNoticeWork } from './toWork.js';

export interface DispatchDeps {
  /** Dispatch only reads the plan. */
  readonly calendar: Pick<CalendarStore, 'loadPlan'>;
  readonly submissions: SubmissionReader;
  /** Read only when a schedule of an older revision may finish what it had begun. */
  readonly ledger: Pick<NoticeLedger, 'listForMilestone'>;
  /** Where the notices go to be sent by the workers (sendNotices). */
  readonly queue: WorkQueue;
  readonly clock: Clock;
  readonly log: Log;
  /** Where the personal links in notices point, and the key that signs them. */
  readonly portal: PortalLinks;
  /**
   * Units whose notices are rendered and enqueued at a time: a national stage of 50,000 units is never
   * held in memory whole, and the workers start on the first chunk while the rest is rendered. @default 200
   */
  readonly chunkUnits?: number;
  /** The exit ledger's items, read when a firing is the ledger's (exits/dispatchExits.ts). */
  readonly exits?: Pick<ExitLedger, 'listItems'>;
}

/** How early before its fire time a delivery still counts for that occurrence (clock skew; Scheduler may fire early by seconds). */
const EARLY_TOLERANCE_MS = 5 * 60_000;

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
      /** Notices handed to the workers (each is sent at most once whatever the queue repeats). */
      readonly queued: number;
    };

/**
 * 督办 one stage of one milestone: find who has not delivered, render the stage's notices for them and
 * hand them to the workers through the queue, which send each exactly once (sendNotices). Safe to run
 * twice, concurrently, after a crash, or replayed days later: the ledger claim in the worker is what
 * keeps a notice from going out twice, however often it is enqueued.
 */
export async function dispatchStage(deps: DispatchDeps, payload: SchedulePayload): Promise<DispatchOutcome> {
  const { log } = deps;
  const plan = await deps.calendar.loadPlan(payload.plan);
  if (!plan) return skip(log, payload, 'unknown-plan');
  const milestone = plan.milestones.find((m) => m.id === payload.milestone);
  if (!milestone) return skip(log, payload, 'unknown-milestone');
  if (milestone.paused) return skip(log, payload, 'paused');
  if (milestone.ledger) return dispatchExitStage(deps, plan, milestone as LedgerMilestone, payload);

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
  // The notices speak of the date this occurrence counts from: the unit's own, on its own ladder.
  const dated = { ...milestone, deadline: occurrence.deadline };
  const sendBefore = supersededAt(plan, occurrences, occurrence);
  const work = (n: PlannedNotice) => toNoticeWork(n, occurrence, sendBefore);
  // The circular names every late unit in one notice (or its parts); the other stages have one or two per
  // unit, and are rendered, signed (personal links) and enqueued a chunk of units at a time.
  const chunk = occurrence.stage === 'circular' ? Math.max(1, missing.length) : (deps.chunkUnits ?? 200);
  let queued = 0;
  const enqueue = async (notices: PlannedNotice[]) => {
    const owed = notices.filter((n) => !resumable || resumable.has(recipientOf(n.key)));
    await deps.queue.enqueue(owed.map(work));
    queued += owed.length;
  };
  // 会同 units hear of the milestone with its first reminder, while a responsible unit still owes it.
  if (missing.length > 0) await enqueue(partnerNotices(plan, dated, occurrence, occurrences));
  for (let i = 0; i < missing.length; i += chunk) {
    const units = missing.slice(i, i + chunk);
    const links = await personalLinks(deps, plan, occurrence, units, now);
    await enqueue(buildNotices(plan, dated, occurrence, units, links, occurrences));
  }
  const outcome = { status: 'done' as const, occurrence: occurrence.fireAt, missing, queued };
  log.info(resumable ? 'stage resumed after an edit' : 'stage dispatched', {
    ...payload,
    ...outcome,
    missing: missing.length,
  });
  return outcome;
}

/** The stages whose notice goes to each unit alone, and so carries its personal link. */
const PERSONAL_STAGES: ReadonlySet<StageOccurrence['stage']> = new Set(['reminder', 'due', 'overdue']);

/**
 * Each missing unit's link, for a stage that writes to units one by one: its personal link, or, in a
 * 约谈通知 (to the unit's office, head and supervisor alike), the link to its 回执.
 */
async function personalLinks(
  deps: DispatchDeps,
  plan: StoredPlan,
  occurrence: StageOccurrence,
  missing: readonly string[],
  now: number,
): Promise<Map<string, string>> {
  const mint =
    occurrence.stage === 'summons'
      ? (unit: string) => receiptLinkUrl(deps.portal, plan, unit, occurrence.milestone, now)
      : PERSONAL_STAGES.has(occurrence.stage)
        ? (unit: string) => unitLinkUrl(deps.portal, plan, unit, now)
        : undefined;
  if (!mint) return new Map();
  return new Map(await Promise.all(missing.map(async (unit) => [unit, await mint(unit)] as const)));
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
  const at = supersededAt(plan, occurrences, occurrence);
  return at !== undefined && at <= now;
}

/**
 * The instant from which `isSuperseded` holds for `occurrence`: what a worker checks before it sends,
 * so a message delivered late (a DLQ redrive) sends nothing the ladder has moved past.
 */
function supersededAt(
  plan: StoredPlan,
  occurrences: readonly StageOccurrence[],
  occurrence: StageOccurrence,
): number | undefined {
  // The next step that addresses any of its units: a repeat for other units does not move past it.
  const next = occurrences.find(
    (o) => o.instant > occurrence.instant && o.units.some((u) => occurrence.units.includes(u)),
  )?.instant;
  const beforeDeadline = occurrence.stage === 'reminder' || occurrence.stage === 'due';
  // A reminder or the due notice is superseded once the deadline has passed: from a millisecond after it.
  const deadline = beforeDeadline ? deadlineInstant(plan, { deadline: occurrence.deadline }) + 1 : undefined;
  const limits = [next, deadline].filter((t): t is number => t !== undefined);
  return limits.length === 0 ? undefined : Math.min(...limits);
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

function skip(log: Log, payload: SchedulePayload, reason: SkipReason): DispatchOutcome {
  log.info('stage skipped', { ...payload, reason });
  return { status: 'skipped', reason };
}
