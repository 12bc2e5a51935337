import { endOfDay, formatInZone, instantOf, wallTime } from '../time/wallClock.js';
import { WorkdayCalendar } from '../time/workdays.js';
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
}

export function calendarOf(plan: Pick<Plan, 'holidays'>): WorkdayCalendar {
  return new WorkdayCalendar(plan.holidays);
}

/** Every stage of the ladder for one milestone that addresses at least one unit, in time order. */
export function occurrencesOf(
  plan: Pick<Plan, 'timezone' | 'units' | 'ladder' | 'holidays'>,
  milestone: Milestone,
  calendar = calendarOf(plan),
): StageOccurrence[] {
  const kindOf = new Map(plan.units.map((u) => [u.id, u.kind]));
  const result: StageOccurrence[] = [];
  plan.ladder.stages.forEach((stage, step) => {
    const units = milestone.responsible.filter((id) => {
      const kind = kindOf.get(id);
      return kind !== undefined && stage.appliesTo.includes(kind);
    });
    if (units.length === 0) return;
    const wall = wallTime(calendar.shift(milestone.deadline, stage.offset), stage.hour);
    const instant = instantOf(wall, plan.timezone);
    result.push({
      milestone: milestone.id,
      step,
      stage: stage.stage,
      wall,
      instant,
      fireAt: formatInZone(instant, plan.timezone),
      units,
    });
  });
  return result.sort((a, b) => a.instant - b.instant || a.step - b.step);
}

/** Every occurrence of every milestone that is not paused, sorted by fire time. */
export function planSchedule(plan: Plan): StageOccurrence[] {
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
  plan: Pick<Plan, 'timezone' | 'ladder' | 'holidays'>,
  milestone: Milestone,
  summonsDate: string,
): Interview & { wall: string; at: string } {
  const interview = milestone.interview ?? plan.ladder.interview;
  const wall = wallTime(calendarOf(plan).shift(summonsDate, interview.afterWorkdays), interview.hour);
  return { ...interview, wall, at: formatInZone(instantOf(wall, plan.timezone), plan.timezone) };
}

export function unitIndex(plan: Pick<Plan, 'units'>): Map<string, Unit> {
  return new Map(plan.units.map((u) => [u.id, u]));
}
