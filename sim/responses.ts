import {
  approveExtension,
  type ExtensionDeps,
  rejectExtension,
  requestExtension,
} from '../shared/domain/review/extensions.js';
import { acceptSubmission, returnSubmission } from '../shared/domain/review/review.js';
import { voidSubmission } from '../shared/domain/submissions/voidSubmission.js';
import type { ResponseEvent } from './scenario.js';

/**
 * A review or extension event of a scenario, made as its person would: the milestone's recipient reviews
 * and decides (through its link), the unit asks, an admin voids. The same domain code as the portal and
 * the CLI; the replies go through the ledger and SES like every notice.
 */
export async function applyResponse(
  deps: ExtensionDeps,
  planId: string,
  event: ResponseEvent,
): Promise<string | undefined> {
  const plan = await deps.calendar.loadPlan(planId);
  const recipient = plan?.milestones.find((m) => m.id === event.response.milestone)?.recipient;
  const ids = { plan: planId, milestone: event.response.milestone, unit: event.response.unit };
  const reviewer = { by: `link:${recipient ?? 'unknown'}:v1`, ...(recipient ? { unit: recipient } : {}) };
  switch (event.kind) {
    case 'accept':
      await acceptSubmission(deps, ids, reviewer);
      return undefined;
    case 'return': {
      const out = await returnSubmission(deps, ids, event.response.reason, reviewer);
      return `returned: ${ids.milestone} of ${ids.unit}, new deadline ${out.deadline}`;
    }
    case 'requestExtension':
      await requestExtension(
        deps,
        { ...ids, deadline: event.response.deadline, reason: event.response.reason },
        `link:${ids.unit}:v1`,
      );
      return undefined;
    case 'approveExtension': {
      const out = await approveExtension(deps, ids, reviewer, event.response.deadline);
      return `extension approved: ${ids.milestone} of ${ids.unit} to ${out.request.decision?.deadline}`;
    }
    case 'rejectExtension':
      await rejectExtension(deps, ids, reviewer, event.response.reason);
      return undefined;
    case 'void':
      await voidSubmission(deps, { ...ids, reason: event.response.reason }, 'simulate');
      return undefined;
  }
}
