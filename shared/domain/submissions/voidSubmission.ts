import { recordAudit } from '../calendar/audit.js';
import { RuleRefusedError } from '../errors.js';
import { type CalendarStore, type Clock, counts, type Submission, type SubmissionStore } from '../ports.js';
import { responsiblePlan } from './submit.js';

export interface VoidDeps {
  readonly calendar: CalendarStore;
  readonly submissions: SubmissionStore;
  readonly clock: Clock;
}

/**
 * 作废: an admin strikes out a unit's submission that was recorded by mistake. It stays on record, marked
 * voided (who, when, why) and audited; from then on it counts for nothing, and the unit's ladder resumes
 * with the next stage due (stages that fired while it counted are not sent again).
 */
export async function voidSubmission(
  deps: VoidDeps,
  input: { plan: string; milestone: string; unit: string; reason: string },
  by: string,
): Promise<Submission> {
  await responsiblePlan(deps.calendar, input);
  const current = (await deps.submissions.listForMilestone(input.plan, input.milestone)).find(
    (s) => s.unit === input.unit && counts(s),
  );
  if (!current) {
    throw new RuleRefusedError(
      `unit "${input.unit}" has no submission of "${input.milestone}" that counts: nothing to void`,
    );
  }
  const voiding = { at: deps.clock.now(), by, reason: input.reason };
  const target = `submission:${input.milestone}:${input.unit}`;
  // The record goes first (write-ahead): no voiding exists without its audit record; one that then loses
  // to a concurrent voiding gets a second record saying so.
  await recordAudit(deps, input.plan, by, 'voidSubmission', target, current, { ...current, voided: voiding });
  if (!(await deps.submissions.void(input.plan, input.milestone, input.unit, current.seq, voiding))) {
    await recordAudit(
      deps,
      input.plan,
      by,
      'voidSubmission (refused: voided by someone else meanwhile)',
      target,
      current,
      null,
    );
    throw new RuleRefusedError(`the submission of "${input.unit}" was voided by someone else meanwhile`);
  }
  return { ...current, voided: voiding };
}
