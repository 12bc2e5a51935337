import { z } from 'zod';
import { PlanNotFoundError, RuleRefusedError, UnknownReferenceError } from '../errors.js';
import { slugSchema } from '../plan/schema.js';
import type { Attachment, CalendarStore, Clock, StoredPlan, Submission, SubmissionStore } from '../ports.js';
import { parseInstant } from '../time/wallClock.js';

/** One line of text a person typed: trimmed, no control characters (a header or a log line could break). */
const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
    .refine((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s), 'must be one line');

/** What an admin sends (the API, the CLI, a scenario) to say a unit delivered. */
export const submissionInputSchema = z.strictObject({
  plan: slugSchema,
  milestone: slugSchema,
  unit: slugSchema,
  /** ISO time with offset; defaults to now. A time in the past needs `reason`: it is recorded as backdated. */
  at: z
    .string()
    .refine((s) => {
      try {
        parseInstant(s);
        return true;
      } catch {
        return false;
      }
    }, 'must be an ISO time with an offset, e.g. 2021-05-28T16:30:00+08:00')
    .optional(),
  /** Why a past time is recorded (required with a past `at`). */
  reason: oneLine(200).optional(),
  /** The document's reference (文号) or a note. */
  ref: oneLine(200).optional(),
});
export type SubmissionInput = z.infer<typeof submissionInputSchema>;

/** Clocks disagree by a little: a delivery stamped this close to now is taken as now, not backdated. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface SubmitDeps {
  readonly calendar: CalendarStore;
  readonly submissions: SubmissionStore;
  readonly clock: Clock;
}

/** Who records a submission, for its `by` (and where a portal submission came from). */
export interface SubmissionAuthor {
  readonly by: string;
  readonly client?: Submission['client'];
}

export type SubmitOutcome =
  | { readonly recorded: true; readonly submission: Submission }
  | { readonly recorded: false; readonly existing: Submission };

/** The plan, checked to have the milestone and the unit responsible for it; the domain's refusals otherwise. */
export async function responsiblePlan(
  calendar: CalendarStore,
  ids: { plan: string; milestone: string; unit: string },
): Promise<StoredPlan> {
  const plan = await calendar.loadPlan(ids.plan);
  if (!plan) throw new PlanNotFoundError(ids.plan);
  const milestone = plan.milestones.find((m) => m.id === ids.milestone);
  if (!milestone) throw new UnknownReferenceError(`plan "${plan.id}" has no milestone "${ids.milestone}"`, 'milestone');
  if (!plan.units.some((u) => u.id === ids.unit)) {
    throw new UnknownReferenceError(`plan "${plan.id}" has no unit "${ids.unit}"`, 'unit');
  }
  if (!milestone.responsible.includes(ids.unit)) {
    throw new UnknownReferenceError(`unit "${ids.unit}" is not responsible for milestone "${milestone.id}"`, 'unit');
  }
  return plan;
}

/**
 * 报送 recorded by an admin (the API, the CLI): now, or at a stated past time with a reason, marked as
 * backdated so the board and the history show it. From that instant no reminder or escalation of this
 * milestone reaches the unit (dispatch reads submissions consistently just before sending).
 */
export async function submitDeliverable(
  deps: SubmitDeps,
  input: SubmissionInput,
  author: SubmissionAuthor,
): Promise<SubmitOutcome> {
  await responsiblePlan(deps.calendar, input);
  const now = deps.clock.now();
  const at = input.at === undefined ? now : parseInstant(input.at);
  // A delivery dated ahead would stop nothing now (dispatch counts only `at <= now`) and, being the
  // first, would then block the real one: a typo in the year must not silence the ladder.
  if (at > now + CLOCK_SKEW_MS) {
    throw new RuleRefusedError(`at ${input.at} is in the future: a delivery is recorded when it happened`);
  }
  const backdated = at < now - CLOCK_SKEW_MS;
  if (backdated && input.reason === undefined) {
    throw new RuleRefusedError(
      `at ${input.at} is in the past: a delivery recorded after the fact needs a reason (--reason), and is marked as backdated`,
    );
  }
  return record(deps, {
    plan: input.plan,
    milestone: input.milestone,
    unit: input.unit,
    at,
    by: author.by,
    ...(author.client ? { client: author.client } : {}),
    ...(input.ref === undefined ? {} : { ref: input.ref }),
    ...(backdated ? { backdated: { reason: input.reason as string, recordedAt: now } } : {}),
  });
}

/** What a unit fills in on its portal page (validated there, with messages in Chinese). */
export interface PortalSubmission {
  readonly plan: string;
  readonly milestone: string;
  readonly unit: string;
  readonly ref: string;
  readonly contact?: string;
  readonly phone?: string;
  readonly note?: string;
  readonly attachments: readonly Attachment[];
}

/** 报送 from the unit's own page: always at the server's time, never a time the form could state. */
export async function submitFromPortal(
  deps: SubmitDeps,
  input: PortalSubmission,
  author: SubmissionAuthor,
): Promise<SubmitOutcome> {
  await responsiblePlan(deps.calendar, input);
  const { contact, phone, note } = input;
  return record(deps, {
    plan: input.plan,
    milestone: input.milestone,
    unit: input.unit,
    at: deps.clock.now(),
    by: author.by,
    ref: input.ref,
    ...(contact ? { contact } : {}),
    ...(phone ? { phone } : {}),
    ...(note ? { note } : {}),
    ...(input.attachments.length > 0 ? { attachments: input.attachments } : {}),
    ...(author.client ? { client: author.client } : {}),
  });
}

async function record(deps: SubmitDeps, submission: Omit<Submission, 'seq'>): Promise<SubmitOutcome> {
  const out = await deps.submissions.record(submission);
  return out.recorded ? { recorded: true, submission: out.submission } : { recorded: false, existing: out.existing };
}
