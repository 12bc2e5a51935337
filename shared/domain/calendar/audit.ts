import { randomUUID } from 'node:crypto';
import type { CalendarStore, Clock } from '../ports.js';

/** Keeps who changed what, when, with the state before and after (日历变更留痕). */
export async function recordAudit(
  deps: { calendar: CalendarStore; clock: Clock },
  plan: string,
  actor: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await deps.calendar.appendAudit({
    plan,
    at: deps.clock.now(),
    id: randomUUID().slice(0, 8),
    actor,
    action,
    target,
    before,
    after,
  });
}
