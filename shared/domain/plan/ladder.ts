import { endOfDay, formatInZone, instantOf, wallTime } from '../time/wallClock.js';
import { type ExtraHolidays, mergeHolidays, WorkdayCalendar } from '../time/workdays.js';
import { effectiveRepeat } from './defaultLadder.js';
import type { Interview, Milestone, Plan, StageKind, Unit } from './schema.js';

/** One firing of one ladder stage for one milestone. */
export interface StageOccurrence {
  readonly milestone: string;
  /** Index of the stage in the plan's ladder: stable across deadline moves, so it names the schedule. */
  readonly step: number;
  readonly stage: StageKind;
  /** Wall-clock `YYYY-MM-DDTHH:mm:ss` in the plan's zone. */
  readonly wall: string;
  /** The same moment as an instant (epoch ms). */
  readonly instant: number;
  /** ISO with offset, e.g. `2021-05-31T09:00:00+08:00`. */
  readonly fireAt: string;
  /** Responsible units of the kinds this stage addresses. */
  readonly units: readonly string[];
  /** The deadline (YYYY-MM-DD) this occurrence counts from: the milestone's, or `unit`'s own. */
  readonly deadline: string;
  /** Set when the occurrence serves one unit's own deadline (an extension, a return): that unit alone. */
  readonly unit?: string;
  /** A stage's repeat (`repeat`): 1 for the first time it comes again, 2 for the next… Absent the first time. */
  readonly round?: number;
}

/** A milestone with the units that have a date of their own (as the calendar stores it). */
type MilestoneWithUnitDates = Milestone & { readonly unitDeadlines?: Readonly<Record<string, { deadline: string }>> };

/** What decides a plan's workdays: its own `holidays`, and the years the office entered for every plan. */
export type HolidaySources = Pick<Plan, 'holidays'> & {
  /** 放假安排 the office entered once for every plan (loaded with a stored plan). */
  readonly officeHolidays?: ExtraHolidays;
};

export function calendarOf(plan: HolidaySources): WorkdayCalendar {
  return new WorkdayCalendar(mergeHolidays(plan.holidays, plan.officeHolidays));
}

/**
 * Every stage of the ladder for one milestone that addresses at least one unit, in time order: the
 * milestone's own ladder for the units that keep its deadline, and a ladder of its own for each unit with a
 * date of its own (an approved extension, a return), counted from that date and addressing that unit alone.
 */
export function occurrencesOf(
  plan: Pick<Plan, 'timezone' | 'units' | 'ladder'> & HolidaySources,
  milestone: MilestoneWithUnitDates,
  calendar = calendarOf(plan),
): StageOccurrence[] {
  // An exit ledger is chased by its items' planned dates (exits/ladder.ts), never by the milestone's deadline.
  if (milestone.ledger) return [];
  const own = milestone.unitDeadlines ?? {};
  const shared = milestone.responsible.filter((u) => own[u] === undefined);
  const result = ladderFrom(plan, milestone.id, milestone.deadline, shared, calendar);
  for (const unit of milestone.responsible) {
    const date = own[unit]?.deadline;
    if (date !== undefined) result.push(...ladderFrom(plan, milestone.id, date, [unit], calendar, unit));
  }
  return result.sort((a, b) => a.instant - b.instant || a.step - b.step || (a.unit ?? '').localeCompare(b.unit ?? ''));
}

/**
 * The ladder's stages counted from `deadline`, each addressing those of `responsible` of the kinds it applies
 * to; a stage that repeats comes again every `everyWorkdays` for the units no later stage addresses.
 */
function ladderFrom(
  plan: Pick<Plan, 'timezone' | 'units' | 'ladder'>,
  milestoneId: string,
  deadline: string,
  responsible: readonly string[],
  calendar: WorkdayCalendar,
  unit?: string,
): StageOccurrence[] {
  const kindOf = new Map(plan.units.map((u) => [u.id, u.kind]));
  const addressed = (stage: Plan['ladder']['stages'][number]) =>
    responsible.filter((id) => {
      const kind = kindOf.get(id);
      return kind !== undefined && stage.appliesTo.includes(kind);
    });
  const result: StageOccurrence[] = [];
  const stages = plan.ladder.stages;
  stages.forEach((stage, step) => {
    const units = addressed(stage);
    if (units.length === 0) return;
    // The units a later stage takes over (通报, 约谈) are pressed by it; the others hear this one again.
    const later = new Set(stages.slice(step + 1).flatMap(addressed));
    const at = (offset: number, round?: number) => {
      const wall = wallTime(calendar.shift(deadline, offset), stage.hour);
      const instant = instantOf(wall, plan.timezone);
      result.push({
        milestone: milestoneId,
        step,
        stage: stage.stage,
        wall,
        instant,
        fireAt: formatInZone(instant, plan.timezone),
        units: round === undefined ? units : units.filter((id) => !later.has(id)),
        deadline,
        ...(unit === undefined ? {} : { unit }),
        ...(round === undefined ? {} : { round }),
      });
    };
    at(stage.offset);
    const repeat = effectiveRepeat(stage);
    if (!repeat || units.every((id) => later.has(id))) return;
    for (let round = 1; round <= repeat.times; round++) at(stage.offset + round * repeat.everyWorkdays, round);
  });
  return result;
}

/**
 * The occurrence after `occurrence` that will next address `unit` (its next date on the ladder), if any:
 * what a 催办 or a circular names as the date to deliver by.
 */
export function nextFor(
  occurrences: readonly StageOccurrence[],
  occurrence: StageOccurrence,
  unit: string,
): StageOccurrence | undefined {
  return occurrences.find(
    (o) => o.instant > occurrence.instant && o.unit === occurrence.unit && o.units.includes(unit),
  );
}

/**
 * The deadline a unit's delivery is judged by: its own (an extension, an admin's date) or the milestone's.
 * A return's short date drives the ladder only; the unit is still judged by the date it had before.
 */
export function judgedDeadline(
  milestone: MilestoneWithUnitDates & {
    readonly unitDeadlines?: Readonly<Record<string, { deadline: string; judgedBy?: string }>>;
  },
  unit: string,
): string {
  const own = milestone.unitDeadlines?.[unit];
  return own?.judgedBy ?? own?.deadline ?? milestone.deadline;
}

/** The date the unit's ladder counts from: its own, or the milestone's. */
export const ladderDeadline = (milestone: MilestoneWithUnitDates, unit: string) =>
  milestone.unitDeadlines?.[unit]?.deadline ?? milestone.deadline;

/** Every occurrence of every milestone that is not paused, sorted by fire time. */
export function planSchedule(plan: Plan & HolidaySources): StageOccurrence[] {
  const calendar = calendarOf(plan);
  return plan.milestones
    .filter((m) => !m.paused)
    .flatMap((m) => occurrencesOf(plan, m, calendar))
    .sort((a, b) => a.instant - b.instant || a.milestone.localeCompare(b.milestone) || a.step - b.step);
}

/** The instant a milestone's deadline passes: the end of the deadline day in the plan's zone. */
export function deadlineInstant(plan: Pick<Plan, 'timezone'>, milestone: Pick<Milestone, 'deadline'>): number {
  return endOfDay(milestone.deadline, plan.timezone);
}

/** 约谈安排 for a summons sent on `summonsDate`: the milestone's override or the ladder's. */
export function interviewFor(
  plan: Pick<Plan, 'timezone' | 'ladder'> & HolidaySources,
  milestone: Milestone,
  summonsDate: string,
): Interview & { wall: string; at: string; explainBy: string } {
  const interview = milestone.interview ?? plan.ladder.interview;
  const calendar = calendarOf(plan);
  const day = calendar.shift(summonsDate, interview.afterWorkdays);
  const wall = wallTime(day, interview.hour);
  // The written explanation and the 回执: by the end of a workday before the interview, never before the summons.
  const before = calendar.shift(day, -(interview.explainWorkdaysBefore ?? 1));
  const explainBy = before > summonsDate ? before : day;
  return { ...interview, wall, at: formatInZone(instantOf(wall, plan.timezone), plan.timezone), explainBy };
}

export function unitIndex(plan: Pick<Plan, 'units'>): Map<string, Unit> {
  return new Map(plan.units.map((u) => [u.id, u]));
}
