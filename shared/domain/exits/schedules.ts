import type { ScheduleSpec, StoredPlan } from '../ports.js';
import { fitName } from '../schedule/names.js';
import { type ExitOccurrence, exitLadder } from './ladder.js';
import type { LedgerMilestone } from './status.js';
import type { ExitItem } from './types.js';

/**
 * The schedules the exit ledger wants: one per firing of its ladder over the items' planned dates, each carrying
 * the time it is for (`occurrence`), since many firings share a stage. A paused ledger wants none.
 */
export function exitSchedules(
  plan: StoredPlan,
  milestone: LedgerMilestone & { readonly revision: number },
  items: readonly Pick<ExitItem, 'plannedDate'>[],
): (ScheduleSpec & { instant: number })[] {
  if (milestone.paused) return [];
  return exitLadder(
    plan,
    milestone.id,
    items.map((i) => i.plannedDate),
  ).map((o) => ({
    name: exitScheduleName(milestone.id, o),
    plan: plan.id,
    at: o.wall,
    timezone: plan.timezone,
    instant: o.instant,
    payload: {
      plan: plan.id,
      milestone: milestone.id,
      stage: o.stage,
      revision: milestone.revision,
      occurrence: o.wall,
    },
  }));
}

/**
 * A schedule's name for an occurrence: `<milestone>.<YYYYMMDDTHHmm>-<stage>`. Named by its time, not by a date or
 * step: the items' dates come and go, and one occurrence serves every date that puts a stage there.
 */
export function exitScheduleName(milestone: string, occurrence: Pick<ExitOccurrence, 'stage' | 'wall'>): string {
  const compact = occurrence.wall.slice(0, 16).replace(/[-:]/g, '');
  return fitName(`${milestone}.${compact}-${occurrence.stage}`);
}
