import { occurrencesOf, type StageOccurrence } from '../plan/ladder.js';
import type { StageKind } from '../plan/stages.js';
import type { SchedulePayload, StoredPlan } from '../ports.js';

export type FireChoice =
  | {
      readonly fire: true;
      readonly payload: SchedulePayload;
      readonly occurrence: StageOccurrence;
      readonly early: boolean;
    }
  | { readonly fire: false; readonly reason: 'unknown-milestone' | 'paused' | 'no-such-stage' };

/**
 * What an operator's `fire <plan> <milestone> <stage>` sends: the occurrence of that stage now due (the
 * latest one whose time has come), else the next one ahead, sent early. Either way dispatch applies every
 * usual rule: nobody who submitted, nothing twice, nothing the ladder has moved past.
 */
export function occurrenceToFire(plan: StoredPlan, milestoneId: string, stage: StageKind, now: number): FireChoice {
  const milestone = plan.milestones.find((m) => m.id === milestoneId);
  if (!milestone) return { fire: false, reason: 'unknown-milestone' };
  if (milestone.paused) return { fire: false, reason: 'paused' };
  // The milestone's own ladder (units with a date of their own are fired by their own schedules).
  const ofStage = occurrencesOf(plan, milestone).filter((o) => o.stage === stage && o.unit === undefined);
  const due = ofStage.filter((o) => o.instant <= now).at(-1);
  const chosen = due ?? ofStage[0];
  if (!chosen) return { fire: false, reason: 'no-such-stage' };
  const payload = { plan: plan.id, milestone: milestone.id, stage, revision: milestone.revision };
  return due
    ? { fire: true, payload, occurrence: chosen, early: false }
    : { fire: true, payload: { ...payload, occurrence: chosen.wall }, occurrence: chosen, early: true };
}
