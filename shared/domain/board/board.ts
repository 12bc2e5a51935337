import type { BoardRow } from '../../../sim/result.js';
import { deadlineInstant } from '../plan/ladder.js';
import type { StageKind } from '../plan/schema.js';
import type { NoticeLedger, StoredPlan, SubmissionStore } from '../ports.js';
import { formatInZone } from '../time/wallClock.js';

const STAGE_ORDER: Record<StageKind, number> = { reminder: 0, due: 1, overdue: 2, circular: 3, summons: 4 };

/**
 * 督办看板: per milestone and responsible unit, whether it delivered on time (submitted), after the
 * deadline (late) or not at all (missing), and the last stage of the ladder that reached it.
 */
export async function buildBoard(
  plan: StoredPlan,
  stores: { submissions: SubmissionStore; ledger: NoticeLedger },
  /** On a live board, a unit whose deadline is still ahead is `pending`, not `missing`. */
  now = Number.POSITIVE_INFINITY,
): Promise<BoardRow[]> {
  const rows: BoardRow[] = [];
  for (const m of plan.milestones) {
    const [subs, notices] = await Promise.all([
      stores.submissions.listForMilestone(plan.id, m.id),
      stores.ledger.listForMilestone(plan.id, m.id),
    ]);
    const deadline = deadlineInstant(plan, m);
    for (const unit of m.responsible) {
      const sub = subs.find((s) => s.unit === unit);
      const last = notices
        .filter((n) => n.state === 'sent' && n.units.includes(unit))
        .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage])
        .at(-1);
      rows.push({
        milestone: m.id,
        unit,
        status: sub ? (sub.at < deadline ? 'submitted' : 'late') : now < deadline ? 'pending' : 'missing',
        ...(sub ? { submittedAt: formatInZone(sub.at, plan.timezone) } : {}),
        ...(last ? { lastStage: last.stage } : {}),
      });
    }
  }
  return rows;
}
