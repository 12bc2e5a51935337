import { recordAudit } from '../calendar/audit.js';
import { checkCoverage, setUnitDeadline, unitOfMilestone } from '../calendar/unitDeadline.js';
import type { SendResult } from '../dispatch/sendNotices.js';
import { RuleRefusedError } from '../errors.js';
import { chineseDate } from '../notices/chineseDate.js';
import { calendarOf, ladderDeadline } from '../plan/ladder.js';
import { counts, type ExtensionRequest, type ExtensionStore, type StoredPlan } from '../ports.js';
import { followSchedules } from '../schedule/follow.js';
import type { ReconcileResult } from '../schedule/reconcile.js';
import { endOfDay, isCalendarDate } from '../time/wallClock.js';
import { sendReply } from './reply.js';
import type { ReviewDeps, Reviewer } from './review.js';

export interface ExtensionDeps extends ReviewDeps {
  readonly submissions: ReviewDeps['submissions'] & ExtensionStore;
}

type Ids = { plan: string; milestone: string; unit: string };

/** The last moment a unit may still ask: the end of its deadline day, or `ladder.extension.until` workdays after. */
export function lastMomentToAsk(plan: StoredPlan, deadline: string): number {
  const until = plan.ladder.extension.until;
  const day = until === 'deadline' ? deadline : calendarOf(plan).shift(deadline, until);
  return endOfDay(day, plan.timezone);
}

/**
 * 延期申请: a unit asks for a date of its own for one milestone, with its reason, while it still may (up
 * to its deadline, by default). One open request at a time; a unit that has delivered has nothing to ask.
 */
export async function requestExtension(
  deps: Pick<ExtensionDeps, 'calendar' | 'submissions' | 'clock'>,
  input: Ids & { deadline: string; reason: string },
  by: string,
): Promise<ExtensionRequest> {
  const { plan, milestone } = await unitOfMilestone(deps, input);
  if (!input.reason.trim())
    throw new RuleRefusedError('an extension request needs its reason', { zh: '请填写申请延期的理由。' });
  if (!isCalendarDate(input.deadline)) {
    throw new RuleRefusedError(`${input.deadline} is not a date (YYYY-MM-DD)`, { zh: '请选择申请延至的日期。' });
  }
  const current = ladderDeadline(milestone, input.unit);
  const now = deps.clock.now();
  if (now >= lastMomentToAsk(plan, current)) {
    throw new RuleRefusedError(`the deadline ${current} has passed: an extension can be asked for only before it`, {
      zh: `截止时间${chineseDate(current)}已过，不能再申请延期。`,
    });
  }
  if (input.deadline <= current) {
    throw new RuleRefusedError(`${input.deadline} is not after the deadline ${current}`, {
      zh: `申请延至的日期应晚于现截止时间${chineseDate(current)}。`,
    });
  }
  const own = (await deps.submissions.listForMilestone(input.plan, input.milestone)).filter(
    (s) => s.unit === input.unit,
  );
  if (own.some(counts))
    throw new RuleRefusedError(`unit "${input.unit}" has delivered "${input.milestone}": there is nothing to extend`, {
      zh: '本事项已报送，无需申请延期。',
    });
  checkCoverage(plan, milestone, input.unit, input.deadline);
  const out = await deps.submissions.requestExtension({
    plan: input.plan,
    milestone: input.milestone,
    unit: input.unit,
    deadline: input.deadline,
    reason: input.reason.trim(),
    at: now,
    by,
  });
  if (!out.recorded) {
    throw new RuleRefusedError(
      `unit "${input.unit}" already has an open request (to ${out.open.deadline}): wait for its decision`,
    );
  }
  await recordAudit(
    deps,
    input.plan,
    by,
    'requestExtension',
    `milestone:${input.milestone}:unit:${input.unit}`,
    undefined,
    out.request,
  );
  return out.request;
}

export interface ExtensionDecision {
  readonly request: ExtensionRequest;
  readonly reconcile?: ReconcileResult;
  readonly notice: SendResult;
}

/** The unit's open request, or a refusal saying there is none. */
async function openRequest(deps: ExtensionDeps, ids: Ids): Promise<ExtensionRequest> {
  const open = (await deps.submissions.listExtensions(ids.plan, ids.milestone)).find(
    (e) => e.unit === ids.unit && !e.decision,
  );
  if (!open) {
    throw new RuleRefusedError(`unit "${ids.unit}" has no open extension request for "${ids.milestone}"`, {
      zh: '该单位没有待审批的延期申请（可能已有人处理）。',
    });
  }
  return open;
}

async function decide(
  deps: ExtensionDeps,
  open: ExtensionRequest,
  decision: NonNullable<ExtensionRequest['decision']>,
) {
  if (!(await deps.submissions.decideExtension(open.plan, open.milestone, open.unit, open.seq, decision))) {
    throw new RuleRefusedError(`the request of "${open.unit}" was decided by someone else meanwhile`, {
      zh: '该延期申请刚刚已由他人处理，请刷新页面查看结果。',
    });
  }
  const decided = { ...open, decision };
  await recordAudit(
    deps,
    open.plan,
    decision.by,
    `extension:${decision.state}`,
    `milestone:${open.milestone}:unit:${open.unit}`,
    open,
    decided,
  );
  return decided;
}

/**
 * Approves the open request, with the date asked for or another one: that unit alone gets its own
 * deadline, and its ladder (reminders, due, 催办, 通报, 约谈) is re-planned from it. The unit is told.
 */
export async function approveExtension(
  deps: ExtensionDeps,
  ids: Ids,
  decider: Reviewer,
  deadline?: string,
): Promise<ExtensionDecision> {
  const { plan, milestone } = await unitOfMilestone(deps, ids);
  const open = await openRequest(deps, ids);
  const granted = deadline ?? open.deadline;
  const current = ladderDeadline(milestone, ids.unit);
  if (granted <= current) {
    throw new RuleRefusedError(`${granted} is not after the deadline ${current}`, {
      zh: `批准的日期应晚于现截止时间${chineseDate(current)}。`,
    });
  }
  checkCoverage(plan, milestone, ids.unit, granted);
  const request = await decide(deps, open, {
    state: 'approved',
    deadline: granted,
    at: deps.clock.now(),
    by: decider.by,
  });
  await setUnitDeadline(deps, ids, { deadline: granted, kind: 'extension' }, decider.by);
  const notice = await sendReply(
    deps,
    plan,
    milestone,
    ids.unit,
    { kind: 'extension-approved', asked: open.deadline, granted },
    decider.unit,
  );
  const reconcile = await followSchedules(deps, ids.plan);
  return { request, ...(reconcile ? { reconcile } : {}), notice };
}

/** Rejects the open request with a reason: the unit's date and ladder stay as they were. The unit is told. */
export async function rejectExtension(
  deps: ExtensionDeps,
  ids: Ids,
  decider: Reviewer,
  reason: string,
): Promise<ExtensionDecision> {
  if (!reason.trim()) throw new RuleRefusedError('a rejection needs its reason', { zh: '请填写不予延期的理由。' });
  const { plan, milestone } = await unitOfMilestone(deps, ids);
  const open = await openRequest(deps, ids);
  const request = await decide(deps, open, {
    state: 'rejected',
    reason: reason.trim(),
    at: deps.clock.now(),
    by: decider.by,
  });
  const notice = await sendReply(
    deps,
    plan,
    milestone,
    ids.unit,
    {
      kind: 'extension-rejected',
      asked: open.deadline,
      reason: reason.trim(),
      deadline: ladderDeadline(milestone, ids.unit),
    },
    decider.unit,
  );
  return { request, notice };
}
