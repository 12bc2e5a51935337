import { z } from 'zod';
import { PlanNotFoundError, RuleRefusedError, UnknownReferenceError } from '../errors.js';
import { slugSchema } from '../plan/schema.js';
import type { CalendarStore, Clock, Submission, SubmissionStore } from '../ports.js';
import { parseInstant } from '../time/wallClock.js';

/** What a unit (or the API on its behalf) sends to say it delivered. */
export const submissionInputSchema = z.strictObject({
  plan: slugSchema,
  milestone: slugSchema,
  unit: slugSchema,
  /** ISO time with offset; defaults to now. */
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
  /** The document's reference (文号) or a note. */
  ref: z
    .string()
    .trim()
    .min(1)
    .max(200)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must be one line')
    .optional(),
});
export type SubmissionInput = z.infer<typeof submissionInputSchema>;

/** Clocks disagree by a little: a delivery stamped up to this far ahead is taken as now-ish. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface SubmitDeps {
  readonly calendar: CalendarStore;
  readonly submissions: SubmissionStore;
  readonly clock: Clock;
}

export type SubmitOutcome =
  | { readonly recorded: true; readonly submission: Submission }
  | { readonly recorded: false; readonly existing: Submission };

/**
 * 报送: records that a unit delivered. From that instant no reminder or escalation of this milestone
 * reaches it (dispatch reads submissions consistently just before sending).
 */
export async function submitDeliverable(deps: SubmitDeps, input: SubmissionInput): Promise<SubmitOutcome> {
  const plan = await deps.calendar.loadPlan(input.plan);
  if (!plan) throw new PlanNotFoundError(input.plan);
  const milestone = plan.milestones.find((m) => m.id === input.milestone);
  if (!milestone)
    throw new UnknownReferenceError(`plan "${plan.id}" has no milestone "${input.milestone}"`, 'milestone');
  if (!plan.units.some((u) => u.id === input.unit)) {
    throw new UnknownReferenceError(`plan "${plan.id}" has no unit "${input.unit}"`, 'unit');
  }
  if (!milestone.responsible.includes(input.unit)) {
    throw new UnknownReferenceError(`unit "${input.unit}" is not responsible for milestone "${milestone.id}"`, 'unit');
  }
  const now = deps.clock.now();
  const at = input.at === undefined ? now : parseInstant(input.at);
  // A delivery dated ahead would stop nothing now (dispatch counts only `at <= now`) and, being the
  // first, would then block the real one: a typo in the year must not silence the ladder.
  if (at > now + FUTURE_TOLERANCE_MS) {
    throw new RuleRefusedError(`at ${input.at} is in the future: a delivery is recorded when it happened`);
  }
  const submission: Submission = {
    plan: plan.id,
    milestone: milestone.id,
    unit: input.unit,
    at,
    ...(input.ref === undefined ? {} : { ref: input.ref }),
  };
  const out = await deps.submissions.record(submission);
  return out.recorded || !out.existing ? { recorded: true, submission } : { recorded: false, existing: out.existing };
}
