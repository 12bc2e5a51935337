import * as z from 'zod/mini';
import { stageKinds } from '../plan/stages.js';

/**
 * One notice handed from the planner (dispatch) to a sender (a worker): one queue message. It carries
 * everything the worker needs to claim, send and record the notice without reading the plan again:
 * its ledger key, what the claim records, the rendered email, and the deadline's calendar entry for
 * notices that attach one (built when it is sent, so the planner does not carry the iCalendar code).
 * zod/mini: the worker parses it and must stay lean.
 */
export const noticeWorkSchema = z.strictObject({
  key: z.strictObject({
    plan: z.string(),
    milestone: z.string(),
    stage: z.enum(stageKinds),
    occurrence: z.string(),
    unit: z.string(),
    role: z.enum(['unit', 'supervisor', 'head', 'all', 'partner']),
  }),
  units: z.array(z.string()),
  /** ISO with the plan's offset: the stage's fire time. */
  fireAt: z.string(),
  /**
   * Epoch ms from which the ladder has moved past this notice (its next step is due, or the deadline
   * passed for a reminder): a message redriven from the dead-letter queue days later sends nothing.
   * Absent for the last step of a ladder.
   */
  sendBefore: z.optional(z.number()),
  email: z.strictObject({
    to: z.array(z.string()),
    cc: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
  }),
  /**
   * The 文号 series the notice is numbered in (its issuer's, for the year of its date): the worker takes
   * its number when it claims it and puts it where the rendering left its slot. Absent: not numbered.
   */
  numbering: z.optional(z.strictObject({ series: z.string(), year: z.number(), template: z.string() })),
  /** The deadline as an all-day calendar entry (`deadline.ics`), for reminders and the due notice. */
  calendar: z.optional(
    z.strictObject({
      plan: z.strictObject({ id: z.string(), title: z.string() }),
      milestone: z.strictObject({
        id: z.string(),
        title: z.string(),
        deliverable: z.string(),
        deadline: z.string(),
        revision: z.optional(z.number()),
      }),
      unit: z.string(),
    }),
  ),
});
export type NoticeWork = z.infer<typeof noticeWorkSchema>;
export type DeadlineEntry = NonNullable<NoticeWork['calendar']>;

/** Notices one worker invocation takes at most (the SQS event source's batch size). */
export const WORKER_BATCH_SIZE = 10;
/**
 * The worker's Lambda timeout. A notice's worst case is about 100 s (SES: 8 attempts of up to 10 s plus
 * backoff; the ledger writes), so the worker stops taking notices when less than that is left and hands
 * the rest back: no invocation runs into its timeout.
 */
export const WORKER_TIMEOUT_S = 180;
/** Time a notice may take at worst; the worker starts one only with this much of its invocation left. */
export const NOTICE_WORST_CASE_MS = 100_000;
/**
 * How long a received message stays hidden: six times the worker's timeout, as AWS advises for a Lambda
 * event source (throttled invocations are retried within it). Also well past the ledger's 2-minute
 * lease, so a message redelivered after a crash re-takes the dead worker's claim: one duplicate, at most.
 */
export const QUEUE_VISIBILITY_S = 6 * WORKER_TIMEOUT_S;
/** Receives before a message goes to the dead-letter queue (and the alarm fires). */
export const QUEUE_MAX_RECEIVES = 5;
