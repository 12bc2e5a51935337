import type { Unit } from '../plan/schema.js';
import {
  type ExtensionRequest,
  type ExtensionStore,
  type ReviewState,
  reviewStateOf,
  type StoredMilestone,
  type StoredPlan,
  type Submission,
  type SubmissionStore,
} from '../ports.js';

/** One responsible unit's latest submission, as its reviewer sees it. */
export interface ReviewItem {
  readonly unit: Unit;
  readonly submission: Submission;
  readonly review: ReviewState;
}

/** A milestone the reviewer receives: what the units sent and the extension requests waiting for a decision. */
export interface ReviewMilestone {
  readonly milestone: StoredMilestone;
  /** Per responsible unit that has sent something (voided submissions left out), pending first. */
  readonly items: readonly ReviewItem[];
  /** Responsible units with nothing sent (or nothing left after a return). */
  readonly waiting: readonly Unit[];
  readonly openRequests: readonly { readonly unit: Unit; readonly request: ExtensionRequest }[];
}

const ORDER: Record<ReviewState, number> = { pending: 0, returned: 1, accepted: 2 };

/**
 * 审核 — what a recipient unit (报送对象, e.g. 市工业和信息化局) reviews: every milestone it receives, each
 * responsible unit's latest submission with its review state, and the open 延期申请 to decide. The office
 * (no `reviewer`) sees the same queue over every milestone of the plan.
 */
export async function reviewQueue(
  stores: { submissions: SubmissionStore & ExtensionStore },
  plan: StoredPlan,
  reviewer: string | undefined,
): Promise<ReviewMilestone[]> {
  const units = new Map(plan.units.map((u) => [u.id, u]));
  const received = plan.milestones.filter((m) => reviewer === undefined || m.recipient === reviewer);
  return Promise.all(
    received.map(async (milestone) => {
      const [subs, requests] = await Promise.all([
        stores.submissions.listForMilestone(plan.id, milestone.id),
        stores.submissions.listExtensions(plan.id, milestone.id),
      ]);
      const items: ReviewItem[] = [];
      const waiting: Unit[] = [];
      for (const id of milestone.responsible) {
        const unit = units.get(id);
        if (!unit) continue;
        const latest = subs
          .filter((s) => s.unit === id && s.voided === undefined)
          .sort((a, b) => a.seq - b.seq)
          .at(-1);
        if (latest) items.push({ unit, submission: latest, review: reviewStateOf(latest) });
        if (!latest || reviewStateOf(latest) === 'returned') waiting.push(unit);
      }
      items.sort((a, b) => ORDER[a.review] - ORDER[b.review]);
      const openRequests = requests
        .filter((r) => r.decision === undefined)
        .flatMap((request) => {
          const unit = units.get(request.unit);
          return unit ? [{ unit, request }] : [];
        });
      return { milestone, items, waiting, openRequests };
    }),
  );
}

/** How many things wait for the reviewer: submissions to review and requests to decide. */
export const pendingCount = (queue: readonly ReviewMilestone[]) =>
  queue.reduce((n, m) => n + m.items.filter((i) => i.review === 'pending').length + m.openRequests.length, 0);
