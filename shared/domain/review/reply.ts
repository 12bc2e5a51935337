import { type SendDeps, type SendResult, sendNow } from '../dispatch/sendNotices.js';
import { type PortalLinks, unitLinkUrl } from '../links/unitLink.js';
import { buildReply, type ReplyFacts } from '../notices/replies.js';
import type { Milestone } from '../plan/schema.js';
import type { StoredPlan } from '../ports.js';
import { formatInZone, wallOf } from '../time/wallClock.js';

export interface ReplyDeps extends SendDeps {
  readonly portal: PortalLinks;
}

/**
 * Tells a unit the answer (办结, 退回, the decision on its 延期申请), exactly once like every notice: keyed on
 * the answer and its moment, claimed in the ledger before SES. The unit's link goes with it.
 */
export async function sendReply(
  deps: ReplyDeps,
  plan: StoredPlan,
  milestone: Milestone,
  unitId: string,
  facts: ReplyFacts,
  /** The reviewing unit that answers (its 函); undefined for an admin: the milestone's recipient answers. */
  reviewer: string | undefined,
): Promise<SendResult> {
  const unit = plan.units.find((u) => u.id === unitId);
  if (!unit) throw new Error(`unit "${unitId}" is not in plan "${plan.id}"`);
  const now = deps.clock.now();
  const occurrence = wallOf(now, plan.timezone);
  const notice = buildReply(plan, milestone, unit, facts, {
    occurrence,
    date: occurrence.slice(0, 10),
    ...(reviewer === undefined ? {} : { reviewer }),
    link: await unitLinkUrl(deps.portal, plan, unitId, now),
  });
  return sendNow(deps, notice, formatInZone(now, plan.timezone));
}
