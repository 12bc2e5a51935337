import { calendarOf } from '../plan/ladder.js';
import type { LadderStage, Plan, StageKind, UnitKind } from '../plan/schema.js';
import { STAGE_ORDER } from '../plan/stages.js';
import { formatInZone, instantOf, wallTime } from '../time/wallClock.js';
import type { WorkdayCalendar } from '../time/workdays.js';

/** A planned date whose ladder has a stage at an occurrence, and which step of the ladder it is. */
export interface ExitTrigger {
  readonly date: string;
  readonly step: number;
}

/**
 * One firing of the exit ledger's ladder: a stage at a wall-clock time, for every planned date whose ladder puts
 * that stage there (a reminder five workdays before one date and one workday before another may coincide: the
 * unit gets one notice naming both). Keyed in the notice ledger like a milestone's (stage, time, unit, role).
 */
export interface ExitOccurrence {
  readonly milestone: string;
  readonly stage: StageKind;
  /** Wall-clock `YYYY-MM-DDTHH:mm:ss` in the plan's zone. */
  readonly wall: string;
  readonly instant: number;
  readonly fireAt: string;
  readonly triggers: readonly ExitTrigger[];
}

type LadderPlan = Pick<Plan, 'timezone' | 'ladder' | 'holidays'>;

/**
 * The ledger's ladder: the plan's stages counted from each planned date, merged where a stage falls at the same
 * time for several dates, in time order. Throws HolidayCoverageError for a date whose ladder leaves the years the
 * holiday data covers (an import refuses such a row first).
 */
export function exitLadder(
  plan: LadderPlan,
  milestoneId: string,
  dates: Iterable<string>,
  calendar: WorkdayCalendar = calendarOf(plan),
): ExitOccurrence[] {
  const merged = new Map<string, { stage: StageKind; wall: string; triggers: ExitTrigger[] }>();
  for (const date of new Set(dates)) {
    plan.ladder.stages.forEach((stage, step) => {
      const wall = stageWall(calendar, stage, date);
      const key = `${wall}|${stage.stage}`;
      const entry = merged.get(key) ?? { stage: stage.stage, wall, triggers: [] };
      entry.triggers.push({ date, step });
      merged.set(key, entry);
    });
  }
  return [...merged.values()]
    .map(({ stage, wall, triggers }) => {
      const instant = instantOf(wall, plan.timezone);
      const sorted = triggers.sort((a, b) => a.date.localeCompare(b.date) || a.step - b.step);
      return {
        milestone: milestoneId,
        stage,
        wall,
        instant,
        fireAt: formatInZone(instant, plan.timezone),
        triggers: sorted,
      };
    })
    .sort((a, b) => a.instant - b.instant || STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage]);
}

/** When a ladder step falls for one planned date. */
export const stageWall = (calendar: WorkdayCalendar, stage: LadderStage, date: string) =>
  wallTime(calendar.shift(date, stage.offset), stage.hour);

/**
 * Whether a ladder step addresses a unit of this kind (通报 and 约谈 may apply to districts only, as in the seed).
 */
export const stepApplies = (plan: Pick<Plan, 'ladder'>, step: number, kind: UnitKind | undefined) =>
  kind !== undefined && (plan.ladder.stages[step]?.appliesTo.includes(kind) ?? false);
