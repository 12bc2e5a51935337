import type { DispatchDeps, DispatchOutcome } from '../dispatch/dispatch.js';
import { toNoticeWork } from '../dispatch/toWork.js';
import { receiptLinkUrl, unitLinkUrl } from '../links/unitLink.js';
import { buildExitNotices } from '../notices/exitNotices.js';
import { deadlineInstant } from '../plan/ladder.js';
import type { SchedulePayload, StoredPlan } from '../ports.js';
import { chasedUnits } from './chase.js';
import { type ExitOccurrence, exitLadder } from './ladder.js';
import type { LedgerMilestone } from './status.js';

/** How early before its time a firing still counts for its occurrence (clock skew), as for a milestone. */
const EARLY_TOLERANCE_MS = 5 * 60_000;

/**
 * 督办 one firing of the exit ledger's ladder: read the plan's items (one consistent Query, paged), find the
 * occurrence the schedule names (its wall-clock time) among the ladder the items' dates make now, and enqueue its
 * notices for the workers, which send each once through the notice ledger, as for a milestone.
 *
 * No revision check: the occurrence is recomputed from the current calendar and items at every firing, so a
 * schedule whose time no date puts a stage at any more (an item moved, the ladder edited) finds nothing and sends
 * nothing; and one the ladder has moved past (its next firing is due) is skipped.
 */
export async function dispatchExitStage(
  deps: DispatchDeps,
  plan: StoredPlan,
  milestone: LedgerMilestone,
  payload: SchedulePayload,
): Promise<DispatchOutcome> {
  if (!deps.exits)
    throw new Error(`dispatch of "${milestone.id}" needs the exit ledger's items, and has no store for them`);
  const now = deps.clock.now();
  const items = await deps.exits.listItems(plan.id);
  const ladder = exitLadder(
    plan,
    milestone.id,
    items.map((i) => i.plannedDate),
  );
  const occurrence =
    payload.occurrence === undefined
      ? ladder.filter((o) => o.stage === payload.stage && o.instant <= now + EARLY_TOLERANCE_MS).at(-1)
      : ladder.find((o) => o.stage === payload.stage && o.wall === payload.occurrence);
  if (!occurrence) return skip(deps, payload, 'not-due');
  const sendBefore = supersededAt(plan, ladder, occurrence);
  if (sendBefore !== undefined && sendBefore <= now) return skip(deps, payload, 'superseded');

  const chased = chasedUnits(plan, milestone, occurrence, items, now);
  // Each unit's own link in the notices to it alone; its 回执 link in its 约谈通知 (as a milestone's).
  const personal = occurrence.stage === 'reminder' || occurrence.stage === 'due' || occurrence.stage === 'overdue';
  const linkOf = (unit: string) =>
    occurrence.stage === 'summons'
      ? receiptLinkUrl(deps.portal, plan, unit, milestone.id, now)
      : unitLinkUrl(deps.portal, plan, unit, now);
  const links = new Map(
    personal || occurrence.stage === 'summons'
      ? await Promise.all(chased.map(async (c) => [c.unit, await linkOf(c.unit)] as const))
      : [],
  );
  const work = buildExitNotices(plan, milestone, occurrence, chased, links, ladder).map((n) =>
    toNoticeWork(n, occurrence, sendBefore),
  );
  await deps.queue.enqueue(work);
  const missing = chased.map((c) => c.unit);
  deps.log.info('exit ledger stage dispatched', {
    ...payload,
    occurrence: occurrence.fireAt,
    missing: missing.length,
    items: chased.reduce((n, c) => n + c.items.length, 0),
    queued: work.length,
  });
  return { status: 'done', occurrence: occurrence.fireAt, missing, queued: work.length };
}

/**
 * From when the ladder has moved past `occurrence`: its next firing, or for a reminder or the due notice the end
 * of the last planned day it speaks of (a notice redriven days later must not say "today is the day").
 */
function supersededAt(
  plan: StoredPlan,
  ladder: readonly ExitOccurrence[],
  occurrence: ExitOccurrence,
): number | undefined {
  const next = ladder.find((o) => o.instant > occurrence.instant)?.instant;
  const beforeDate = occurrence.stage === 'reminder' || occurrence.stage === 'due';
  const lastDate = occurrence.triggers
    .map((t) => t.date)
    .sort()
    .at(-1) as string;
  const limits = [next, beforeDate ? deadlineInstant(plan, { deadline: lastDate }) + 1 : undefined].filter(
    (t): t is number => t !== undefined,
  );
  return limits.length === 0 ? undefined : Math.min(...limits);
}

function skip(deps: DispatchDeps, payload: SchedulePayload, reason: 'not-due' | 'superseded'): DispatchOutcome {
  deps.log.info('stage skipped', { ...payload, reason });
  return { status: 'skipped', reason };
}
