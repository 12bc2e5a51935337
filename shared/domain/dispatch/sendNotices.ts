import pLimit from 'p-limit';
import { noticeTags } from '../delivery/noticeTags.js';
import { screenSuppressed } from '../delivery/suppression.js';
import type { Log } from '../log.js';
import type { PlannedNotice } from '../notices/build.js';
import { fillDocNumber } from '../notices/docNumber.js';
import { finishEmail } from '../notices/finishEmail.js';
import type {
  CalendarStore,
  Clock,
  Mailer,
  NoticeKey,
  NoticeLedger,
  OutgoingEmail,
  SuppressionList,
} from '../ports.js';
import { redactedError } from '../redact.js';
import { type RetryOptions, sleep, withRetry } from '../retry.js';
import { claimNumbered } from './docNumbers.js';
import { NOTICE_WORST_CASE_MS, type NoticeWork } from './noticeWork.js';

export interface SendDeps {
  readonly ledger: NoticeLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly log: Log;
  /** Read only when an address is suppressed, to name its unit to the office. */
  readonly calendar: Pick<CalendarStore, 'loadPlan'>;
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
   * at a time is what bounds duplicates to one per crash; throughput comes from several paced workers.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * How the sender waits between its own retries (the ledger write after SES, a claim in flight
   * elsewhere). A simulation on a virtual clock scales it down. @default real time
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * What became of one notice. `deferred`: not started, because the invocation had too little time left
 * for it (it comes back with the queue's next delivery); `superseded`: the ladder has moved past it.
 */
export type SendResult = 'sent' | 'already-sent' | 'in-flight' | 'failed' | 'superseded' | 'deferred';

/** Whether a result leaves the notice owed: its message must come back. */
export const isUnfinished = (r: SendResult) => r === 'in-flight' || r === 'failed' || r === 'deferred';

/**
 * Once SES has a message, failing to record it means sending it again later: retry the write well
 * past the SDK's own attempts (each of these is up to 8 of them), and still well inside the lease.
 */
const RECORD_RETRY: RetryOptions = { attempts: 6, baseMs: 250, maxMs: 4_000, isRetryable: () => true };

/**
 * A notice another sender has claimed is usually being sent right now (a duplicate delivery): wait for
 * it before calling it unfinished, so that a duplicate does not cost a redelivery. A claim still held
 * after these waits belongs to a sender that died: the message comes back after the queue's visibility
 * timeout, when the lease has long expired, and that delivery takes the claim over.
 */
const IN_FLIGHT_WAITS_MS = [250, 500, 1_000, 2_000, 4_000];

/**
 * 发送 — sends the notices one worker invocation received, each exactly once: claim in the ledger, SES,
 * record the MessageId. `timeLeftMs` (the invocation's remaining time) keeps the worker from starting a
 * notice it might not finish before its timeout. Results are in the order of `notices`.
 */
export async function sendNotices(
  deps: SendDeps,
  notices: readonly NoticeWork[],
  timeLeftMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<SendResult[]> {
  const send = (notice: NoticeWork) =>
    timeLeftMs() < NOTICE_WORST_CASE_MS ? Promise.resolve<SendResult>('deferred') : sendOnce(deps, notice);
  const results =
    (deps.concurrency ?? 1) === 1
      ? await oneAtATime(deps, notices, timeLeftMs)
      : await pLimit(deps.concurrency ?? 1).map(notices, send);
  for (const wait of IN_FLIGHT_WAITS_MS) {
    const inFlight = results.flatMap((r, i) => (r === 'in-flight' ? [i] : []));
    if (inFlight.length === 0) break;
    await (deps.sleep ?? sleep)(wait);
    for (const i of inFlight) results[i] = await send(notices[i] as NoticeWork);
  }
  const count = (r: SendResult) => results.filter((x) => x === r).length;
  deps.log.info('notices sent', {
    received: notices.length,
    sent: count('sent'),
    alreadySent: count('already-sent'),
    superseded: count('superseded'),
    inFlight: count('in-flight'),
    failed: count('failed'),
    deferred: count('deferred'),
  });
  return results;
}

/**
 * One send in flight, each notice's claim taken while the one before is with SES and the ledger: a claim
 * sends nothing, so a crash leaves at most the one notice SES accepted unrecorded (the crash bound), and
 * the claim's round trip is off the worker's path (it has a fortieth of a second per notice at 25/s).
 * A claim is taken ahead only while the invocation has time for two notices' worst cases.
 */
async function oneAtATime(
  deps: SendDeps,
  notices: readonly NoticeWork[],
  timeLeftMs: () => number,
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  let next: Promise<Claimed> | undefined;
  for (const [i, notice] of notices.entries()) {
    const claimed = next ?? (timeLeftMs() < NOTICE_WORST_CASE_MS ? undefined : claim(deps, notice));
    next = undefined;
    if (!claimed) {
      results.push('deferred');
      continue;
    }
    const following = notices[i + 1];
    if (following && timeLeftMs() >= 2 * NOTICE_WORST_CASE_MS) next = claim(deps, following);
    const c = await claimed;
    results.push(c.result ?? (await deliver(deps, notice, c)));
  }
  await next;
  return results;
}

async function sendOnce(deps: SendDeps, notice: Sendable): Promise<SendResult> {
  const c = await claim(deps, notice);
  return c.result ?? deliver(deps, notice, c);
}

/**
 * One notice sent now, outside the queue: the replies (办结, 退回, a decision on an extension) that answer a
 * person at once, through the same claim → SES → record as every notice. `fireAt`: the moment it answers.
 */
export function sendNow(deps: SendDeps, notice: PlannedNotice, fireAt: string): Promise<SendResult> {
  return sendOnce(deps, { ...notice, fireAt });
}

/** What claim and delivery read of a notice: a queued one (NoticeWork), or a reply sent at once. */
type Sendable = Pick<NoticeWork, 'fireAt' | 'sendBefore' | 'calendar' | 'numbering'> & {
  readonly key: NoticeKey;
  readonly units: readonly string[];
  readonly email: OutgoingEmail;
};

/**
 * A claim's outcome: `result` when there is nothing to send (or it failed), else the claim to send under,
 * with the notice's 文号 when it is numbered.
 */
interface Claimed {
  readonly claimedAt: number;
  readonly result?: SendResult;
  readonly docNumber?: string;
}

/** A unit's personal link (`…/u/<token>`) is a credential: the archived text keeps where it went, not the token. */
const withoutLinks = (text: string) => text.replace(/\/u\/[A-Za-z0-9_.-]+/g, '/u/（专用链接，已隐去）');

async function claim(deps: SendDeps, notice: Sendable): Promise<Claimed> {
  const { ledger, clock, log } = deps;
  const { key, email } = notice;
  const claimedAt = clock.now();
  if (notice.sendBefore !== undefined && claimedAt >= notice.sendBefore) {
    log.info('notice superseded: the ladder has moved past it', logKey(key));
    return { claimedAt, result: 'superseded' };
  }
  try {
    const claimed = await claimNumbered(
      ledger,
      key,
      {
        units: notice.units,
        to: email.to,
        cc: email.cc,
        subject: email.subject,
        fireAt: notice.fireAt,
        text: withoutLinks(email.text),
      },
      claimedAt,
      deps.leaseMs ?? 120_000,
      notice.numbering,
    );
    if (claimed.outcome === 'sent') return { claimedAt, result: 'already-sent' };
    if (claimed.outcome === 'in-flight') return { claimedAt, result: 'in-flight' };
    if (claimed.outcome === 'claimed' && claimed.docNumber !== undefined)
      return { claimedAt, docNumber: claimed.docNumber };
    return { claimedAt };
  } catch (error) {
    log.error('notice claim failed', { ...logKey(key), error: redactedError(error) });
    // A claim taken before its numbering failed is let go at once (only ours: the write is conditional).
    await ledger.markFailed(key, redactedError(error), clock.now(), claimedAt).catch(() => undefined);
    return { claimedAt, result: 'failed' };
  }
}

/** SES, then the MessageId in the ledger: the window between the two is the one residual duplicate. */
async function deliver(deps: SendDeps, notice: Sendable, claim: Claimed): Promise<SendResult> {
  const { ledger, clock, log } = deps;
  const { key } = notice;
  const { claimedAt } = claim;
  let messageId: string;
  try {
    // Nobody left to reach (every address suppressed): closed in the ledger as such, and the office told.
    if ((await screenSuppressed(deps, notice, claimedAt)) === 'closed') return 'sent';
    // SES puts the tags in every event about the message: how the delivery events find the notice.
    // The number the claim gave it goes where dispatch left its slot.
    const numbered = claim.docNumber === undefined ? notice.email : fillDocNumber(notice.email, claim.docNumber);
    const email = await finishEmail({ ...notice, email: numbered });
    ({ messageId } = await deps.mailer.send({ ...email, tags: noticeTags(key) }));
  } catch (error) {
    log.error('notice send failed', { ...logKey(key), error: redactedError(error) });
    await ledger.markFailed(key, redactedError(error), clock.now(), claimedAt).catch(() => undefined);
    return 'failed';
  }
  try {
    await withRetry(() => ledger.markSent(key, messageId, clock.now()), { ...RECORD_RETRY, sleep: deps.sleep });
  } catch (error) {
    // SES has it; the claim expires and a redelivery may send it once more — the documented residual window.
    log.error('notice sent but not recorded', { ...logKey(key), messageId, error: redactedError(error) });
    return 'failed';
  }
  return 'sent';
}

const logKey = (k: NoticeKey) => ({
  milestone: k.milestone,
  stage: k.stage,
  occurrence: k.occurrence,
  unit: k.unit,
  role: k.role,
});
