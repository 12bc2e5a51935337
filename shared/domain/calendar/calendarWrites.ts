import type { CalendarStore, CalendarWrite } from '../ports.js';

/**
 * Applies an edit's writes one by one through the store's own guarded methods (what a store without
 * transactions does inside `commitEdit`); resolves with the revision each milestone write wrote.
 */
export async function applyWritesInTurn(
  store: Pick<CalendarStore, 'putMilestone' | 'deleteMilestone' | 'putUnit' | 'rotateLink'>,
  planId: string,
  writes: readonly CalendarWrite[],
): Promise<(number | undefined)[]> {
  const revisions: (number | undefined)[] = [];
  for (const write of writes) {
    if (write.kind === 'putMilestone') {
      revisions.push(await store.putMilestone(planId, write.milestone, write.expectedRevision));
      continue;
    }
    if (write.kind === 'deleteMilestone')
      await store.deleteMilestone(planId, write.milestoneId, write.expectedRevision);
    else if (write.kind === 'rotateLink') await store.rotateLink(planId, write.unitId);
    else await store.putUnit(planId, write.unit);
    revisions.push(undefined);
  }
  return revisions;
}
