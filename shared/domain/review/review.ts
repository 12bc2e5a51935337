import { recordAudit } from '../calendar/audit.js';
import { checkCoverage, setUnitDeadline, unitOfMilestone } from '../calendar/unitDeadline.js';
import type { SendResult } from '../dispatch/sendNotices.js';
import { RuleRefusedError } from '../errors.js';
import { calendarOf, judgedDeadline } from '../plan/ladder.js';
import { counts, type Review, type Submission, type SubmissionStore } from '../ports.js';
import { followSchedules, type ScheduleFollowDeps } from '../schedule/follow.js';
import type { ReconcileResult } from '../schedule/reconcile.js';
import { wallOf } from '../time/wallClock.js';
import { type ReplyDeps, sendReply } from './reply.js';

export interface ReviewDeps extends ScheduleFollowDeps, ReplyDeps {
  /** The calendar whole: a return moves the unit's date (an edit); a reply reads only the plan. */
  readonly calendar: ScheduleFollowDeps['calendar'];
  readonly submissions: SubmissionStore;
}

/** Who reviews: the recipient unit through its link, or an admin. */
export interface Reviewer {
  readonly by: string;
  /** The reviewing unit, when it is one (it signs the answer); absent for an admin. */
  readonly unit?: string;
}

export interface ReviewOutcome {
  readonly submission: Submission;
  /** For a return: the unit's new short date, and the schedules that followed it (when reconciled here). */
  readonly deadline?: string;
  readonly reconcile?: ReconcileResult;
  /** Whether the answer reached the unit (a failed send stays in the ledger, owed). */
  readonly notice: SendResult;
}

type Ids = { plan: string; milestone: string; unit: string };

/** The unit's submission waiting for review (待审核): the one that counts, not yet reviewed. */
async function awaitingReview(deps: ReviewDeps, ids: Ids): Promise<Submission> {
  const own = (await deps.submissions.listForMilestone(ids.plan, ids.milestone)).filter((s) => s.unit === ids.unit);
  const current = own.filter(counts).at(-1);
  if (!current) {
    throw new RuleRefusedError(`unit "${ids.unit}" has no submission of "${ids.milestone}" to review`, {
      zh: '该单位没有待审核的报送材料。',
    });
  }
  if (current.review) {
    throw new RuleRefusedError(`the submission of "${ids.unit}" was already reviewed (${current.review.state})`, {
      zh: '该报送材料已审核过。',
    });
  }
  return current;
}

async function record(deps: ReviewDeps, ids: Ids, current: Submission, review: Review): Promise<Submission> {
  if (!(await deps.submissions.review(ids.plan, ids.milestone, ids.unit, current.seq, review))) {
    throw new RuleRefusedError(`the submission of "${ids.unit}" was reviewed or voided by someone else meanwhile`, {
      zh: '该报送材料刚刚已由他人审核或作废，请刷新页面查看。',
    });
  }
  const reviewed = { ...current, review };
  await recordAudit(
    deps,
    ids.plan,
    review.by,
    `review:${review.state}`,
    `submission:${ids.milestone}:${ids.unit}`,
    current,
    reviewed,
  );
  return reviewed;
}

/** 办结: the matter is closed for that unit; it is told so. */
export async function acceptSubmission(deps: ReviewDeps, ids: Ids, reviewer: Reviewer): Promise<ReviewOutcome> {
  const { plan, milestone } = await unitOfMilestone(deps, ids);
  const current = await awaitingReview(deps, ids);
  const submission = await record(deps, ids, current, { state: 'accepted', at: deps.clock.now(), by: reviewer.by });
  const notice = await sendReply(
    deps,
    plan,
    milestone,
    ids.unit,
    {
      kind: 'accepted',
      submittedOn: wallOf(current.at, plan.timezone).slice(0, 10),
      ...(current.ref ? { ref: current.ref } : {}),
    },
    reviewer.unit,
  );
  return { submission, notice };
}

/**
 * 退回: the submission no longer counts; the unit gets a short date of its own (`ladder.returnWorkdays`
 * from today) and its ladder resumes from it — stages it already had for the old date are not sent again.
 * It is told why and by when, with its link. Timeliness stays judged by the date it had before.
 */
export async function returnSubmission(
  deps: ReviewDeps,
  ids: Ids,
  reason: string,
  reviewer: Reviewer,
): Promise<ReviewOutcome> {
  if (!reason.trim()) {
    throw new RuleRefusedError('a return needs its reason: what the unit must put right', {
      zh: '请填写退回理由：需要该单位补充或更正的内容。',
    });
  }
  const { plan, milestone } = await unitOfMilestone(deps, ids);
  const current = await awaitingReview(deps, ids);
  const today = wallOf(deps.clock.now(), plan.timezone).slice(0, 10);
  const deadline = calendarOf(plan).shift(today, plan.ladder.returnWorkdays);
  checkCoverage(plan, milestone, ids.unit, deadline);
  const submission = await record(deps, ids, current, {
    state: 'returned',
    at: deps.clock.now(),
    by: reviewer.by,
    reason: reason.trim(),
    deadline,
  });
  await setUnitDeadline(
    deps,
    ids,
    { deadline, kind: 'return', judgedBy: judgedDeadline(milestone, ids.unit) },
    reviewer.by,
  );
  const notice = await sendReply(
    deps,
    plan,
    milestone,
    ids.unit,
    { kind: 'returned', submittedOn: wallOf(current.at, plan.timezone).slice(0, 10), reason: reason.trim(), deadline },
    reviewer.unit,
  );
  const reconcile = await followSchedules(deps, ids.plan);
  return { submission, deadline, ...(reconcile ? { reconcile } : {}), notice };
}
