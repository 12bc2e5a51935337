import { createEvent } from 'ics';
import type { Milestone, Plan } from '../plan/schema.js';
import { addDays } from '../time/wallClock.js';

/**
 * An all-day calendar entry on the deadline, so a unit can put it into its own calendar. The UID is
 * the same for every reminder of a milestone, and SEQUENCE is the milestone's revision: a moved
 * deadline arrives as a newer version of the same entry, which calendar clients replace rather than
 * ignore (RFC 5545 §3.8.7.4). `revision` defaults to a stored milestone's own.
 */
export function deadlineIcs(
  plan: Pick<Plan, 'id' | 'title'>,
  milestone: Pick<Milestone, 'id' | 'title' | 'deliverable' | 'deadline'> & { readonly revision?: number },
  unitId: string,
  revision: number | undefined = milestone.revision,
): string {
  const [y, m, d] = milestone.deadline.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = addDays(milestone.deadline, 1).split('-').map(Number) as [number, number, number];
  const { error, value } = createEvent({
    uid: `${plan.id}.${milestone.id}.${unitId}@duban`,
    productId: 'duban/ics',
    start: [y, m, d],
    end: [ey, em, ed],
    title: `截止：${milestone.title}`,
    description: `${plan.title}\n报送材料：${milestone.deliverable}`,
    status: 'CONFIRMED',
    busyStatus: 'FREE',
    // Any increasing number will do for SEQUENCE; the revision is one, and says which version it is.
    ...(revision === undefined ? {} : { sequence: revision }),
  });
  if (error || !value) throw new Error(`cannot build the deadline calendar file: ${error?.message ?? 'empty'}`);
  return value;
}
