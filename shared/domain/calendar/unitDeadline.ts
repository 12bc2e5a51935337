import { PlanNotFoundError, RuleRefusedError, UnknownReferenceError } from '../errors.js';
import { coverageGap, describeGap } from '../plan/coverage.js';
import { calendarOf, interviewFor, ladderDeadline, occurrencesOf } from '../plan/ladder.js';
import type { StoredMilestone, StoredPlan, UnitDeadline } from '../ports.js';
import { isCalendarDate } from '../time/wallClock.js';
import { HolidayCoverageError } from '../time/workdays.js';
import type { CalendarDeps } from './applyEdit.js';
import { recordAudit } from './audit.js';

/** The plan, the milestone and the unit's place in it, for a change of that unit's date. */
export async function unitOfMilestone(
  deps: Pick<CalendarDeps, 'calendar'>,
  ids: { plan: string; milestone: string; unit: string },
): Promise<{ plan: StoredPlan; milestone: StoredMilestone }> {
  const plan = await deps.calendar.loadPlan(ids.plan);
  if (!plan) throw new PlanNotFoundError(ids.plan);
  const milestone = plan.milestones.find((m) => m.id === ids.milestone);
  if (!milestone) throw new UnknownReferenceError(`plan "${plan.id}" has no milestone "${ids.milestone}"`, 'milestone');
  if (!milestone.responsible.includes(ids.unit)) {
    throw new UnknownReferenceError(`unit "${ids.unit}" is not responsible for milestone "${milestone.id}"`, 'unit');
  }
  return { plan, milestone };
}

/** Refuses a date whose ladder (to the interview) runs into a year without holiday data. */
export function checkCoverage(plan: StoredPlan, milestone: StoredMilestone, unit: string, deadline: string): void {
  if (!isCalendarDate(deadline)) {
    throw new RuleRefusedError(`${deadline} is not a date (YYYY-MM-DD)`, { zh: '请选择一个有效的日期。' });
  }
  const moved = { ...milestone, unitDeadlines: { ...milestone.unitDeadlines, [unit]: { deadline } } };
  try {
    if (!calendarOf(plan).covers(deadline)) throw new HolidayCoverageError(deadline);
    const summons = occurrencesOf(plan, moved).find((o) => o.unit === unit && o.stage === 'summons');
    if (summons) interviewFor(plan, milestone, summons.wall.slice(0, 10));
  } catch (error) {
    if (!(error instanceof HolidayCoverageError)) throw error;
    // Which step crosses into the year and the latest date possible, as for the milestone's own date; the unit
    // reads the short Chinese text (the office enters the year, not the unit).
    const gap = coverageGap(plan, { ...milestone, responsible: [unit] }, deadline);
    const message = gap ? describeGap(gap) : `${deadline} cannot be scheduled: ${error.message}`;
    throw new RuleRefusedError(message, {
      cause: error,
      zh: `${deadline}之后的督办环节跨入尚无节假日安排的年份，暂不能安排；请督办办公室先录入该年的放假安排。`,
    });
  }
}

export interface UnitDeadlineChange {
  readonly from: string;
  readonly to: UnitDeadline;
}

/**
 * Gives one unit a date of its own for a milestone (an approved extension, a return's short date, an
 * admin's decision): that unit's ladder is re-planned from it, nobody else's moves. Audited. The caller has
 * the schedules follow (reconcile writes only that unit's).
 */
export async function setUnitDeadline(
  deps: Pick<CalendarDeps, 'calendar' | 'clock'>,
  ids: { plan: string; milestone: string; unit: string },
  date: Omit<UnitDeadline, 'revision'>,
  actor: string,
): Promise<UnitDeadlineChange> {
  const { plan, milestone } = await unitOfMilestone(deps, ids);
  checkCoverage(plan, milestone, ids.unit, date.deadline);
  const from = ladderDeadline(milestone, ids.unit);
  const to = await deps.calendar.setUnitDeadline(ids.plan, ids.milestone, ids.unit, date);
  await recordAudit(
    deps,
    ids.plan,
    actor,
    'setUnitDeadline',
    `milestone:${ids.milestone}:unit:${ids.unit}`,
    { deadline: from },
    to,
  );
  return { from, to };
}
