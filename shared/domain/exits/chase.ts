import { calendarOf, unitIndex } from '../plan/ladder.js';
import type { Plan } from '../plan/schema.js';
import { type ExitOccurrence, stageWall, stepApplies } from './ladder.js';
import { type ExitProgress, exitProgress, isDone, type LedgerMilestone } from './status.js';
import type { ExitItem } from './types.js';

/** An item a notice names, with where it stands. */
export interface ChasedItem {
  readonly item: ExitItem;
  readonly progress: ExitProgress;
}

/** A unit an occurrence addresses, and the items its notice names. */
export interface ChasedUnit {
  readonly unit: string;
  readonly items: readonly ChasedItem[];
}

type ChasePlan = Pick<Plan, 'timezone' | 'ladder' | 'holidays' | 'units'>;

/**
 * Who one firing of the ledger's ladder addresses, and about which items, as of `now` (steps recorded later do
 * not count). Reminders, the due notice and 催办 go to each unit with an item not done planned on a date this
 * occurrence counts from. 通报 and 约谈 are the seed's trigger (对未按要求完成淘汰落后产能任务的市（区），采取通报、约谈方式):
 * a unit is named when an item of this occurrence's dates is still not done and it has at least the plan's
 * `minItems` items that far past their date; the notice names every one of them. Units in the plan's order.
 */
export function chasedUnits(
  plan: ChasePlan,
  milestone: LedgerMilestone,
  occurrence: ExitOccurrence,
  items: readonly ExitItem[],
  now: number,
): ChasedUnit[] {
  const kinds = unitIndex(plan);
  const calendar = calendarOf(plan);
  const open = new Map<string, ChasedItem[]>();
  for (const item of items) {
    if (!milestone.responsible.includes(item.unit) || item.createdAt > now) continue;
    const progress = exitProgress(milestone.ledger, item, plan.timezone, now);
    if (isDone(progress)) continue;
    open.set(item.unit, [...(open.get(item.unit) ?? []), { item, progress }]);
  }
  const escalates = occurrence.stage === 'circular' || occurrence.stage === 'summons';
  const step = plan.ladder.stages.findIndex(
    (s, i) => s.stage === occurrence.stage && occurrence.triggers.some((t) => t.step === i),
  );
  const stage = plan.ladder.stages[step];
  const chased: ChasedUnit[] = [];
  for (const unit of milestone.responsible) {
    const kind = kinds.get(unit)?.kind;
    const dates = new Set(occurrence.triggers.filter((t) => stepApplies(plan, t.step, kind)).map((t) => t.date));
    const mine = open.get(unit) ?? [];
    const triggered = mine.filter((c) => dates.has(c.item.plannedDate));
    if (triggered.length === 0) continue;
    if (!escalates || !stage) {
      chased.push({ unit, items: byDate(triggered) });
      continue;
    }
    // Everything this unit has that is at least as far past its date as this stage: what the 通报 names.
    const past = mine.filter((c) => stageWall(calendar, stage, c.item.plannedDate) <= occurrence.wall);
    if (past.length >= milestone.ledger.escalation.minItems) chased.push({ unit, items: byDate(past) });
  }
  return chased;
}

const byDate = (items: ChasedItem[]) =>
  [...items].sort(
    (a, b) => a.item.plannedDate.localeCompare(b.item.plannedDate) || a.item.name.localeCompare(b.item.name, 'zh'),
  );
