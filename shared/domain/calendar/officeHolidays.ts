import { z } from 'zod';
import { dateSchema } from '../plan/schema.js';
import { type PlanIssue, PlanValidationError, zodIssues } from '../plan/validate.js';
import type { CalendarStore, Clock, HolidayYear, ScheduleStore } from '../ports.js';
import { type ReconcileResult, reconcilePlan } from '../schedule/reconcile.js';
import { addDays, dayOfWeek, wallOf } from '../time/wallClock.js';
import { BUILT_IN_YEARS } from '../time/workdays.js';
import { auditRecord } from './audit.js';

/** Where the office's own changes are kept in the audit trail (not a plan id: ids are slugs). */
export const OFFICE_AUDIT = '_office';

/** A year's 放假安排 as a file (or the console's form) gives it: the days off and the make-up workdays. */
export const holidayYearFileSchema = z.strictObject({
  off: z.array(dateSchema).min(1, 'must list the year’s public holidays (days off)'),
  workdays: z.array(dateSchema).default([]),
});

/**
 * Validates a year's 放假安排 as a plan's `holidays` are validated (dates that exist, at least one day off), and
 * more: every date in that year, none listed twice or as both, make-up workdays on a weekend (a weekday is a
 * workday already). Every problem is reported, located (`off[3]: …`).
 */
export function parseHolidayYear(year: number, input: unknown): { off: string[]; workdays: string[] } {
  if (!Number.isInteger(year) || year <= BUILT_IN_YEARS.last || year > 2100) {
    throw new PlanValidationError([
      {
        path: 'year',
        message: `must be a year after ${BUILT_IN_YEARS.last} (the built-in data covers ${BUILT_IN_YEARS.first}–${BUILT_IN_YEARS.last})`,
      },
    ]);
  }
  const parsed = holidayYearFileSchema.safeParse(input);
  if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
  const issues: PlanIssue[] = [];
  const seen = new Set<string>();
  const check = (list: 'off' | 'workdays', dates: readonly string[]) =>
    dates.forEach((date, i) => {
      const path = `${list}[${i}]`;
      if (!date.startsWith(`${year}-`)) issues.push({ path, message: `${date} is not in ${year}` });
      if (seen.has(date)) issues.push({ path, message: `${date} is listed twice` });
      seen.add(date);
      const dow = dayOfWeek(date);
      if (list === 'workdays' && dow !== 0 && dow !== 6)
        issues.push({ path, message: `${date} is a weekday: a make-up workday (调休上班) falls on a weekend` });
    });
  check('off', parsed.data.off);
  check('workdays', parsed.data.workdays);
  if (issues.length > 0) throw new PlanValidationError(issues);
  return { off: [...parsed.data.off].sort(), workdays: [...parsed.data.workdays].sort() };
}

export interface HolidayDeps {
  readonly calendar: CalendarStore;
  readonly schedules: ScheduleStore;
  readonly clock: Clock;
}

export interface HolidayChange {
  readonly before?: HolidayYear;
  readonly after: HolidayYear;
  /** Every plan reconciled with the new year: what its schedules did (a correction may move fire times). */
  readonly plans: ReconcileResult[];
}

/**
 * 录入放假安排: one year's days off and make-up workdays for every plan, audited (in the office's trail), and
 * every plan's schedules reconciled at once: a ladder that reaches that year can be scheduled from now on, and
 * a corrected year moves the fire times it touches (dispatch counts with the same data).
 */
export async function setHolidayYear(
  deps: HolidayDeps,
  year: number,
  input: unknown,
  actor: string,
): Promise<HolidayChange> {
  const lists = parseHolidayYear(year, input);
  const before = (await deps.calendar.listHolidayYears()).find((y) => y.year === year);
  const after: HolidayYear = { year, ...lists, at: deps.clock.now(), by: actor };
  const audit = auditRecord(deps, OFFICE_AUDIT, actor, 'setHolidays', `holidays:${year}`, before && strip(before), {
    off: after.off,
    workdays: after.workdays,
  });
  await deps.calendar.putHolidayYear(after, audit);
  const plans: ReconcileResult[] = [];
  for (const plan of await deps.calendar.listPlans()) plans.push(await reconcilePlan(deps, plan));
  return { ...(before ? { before } : {}), after, plans };
}

const strip = (y: HolidayYear) => ({ off: y.off, workdays: y.workdays });

/**
 * The year the console warns about: the first year after today's without data, while today is within
 * `horizonDays` of it (a ladder spans about a month, so from mid-December no deadline reaching it can be set).
 */
export function missingHolidayYear(
  covers: (date: string) => boolean,
  now: number,
  zone: string,
  horizonDays = 60,
): number | undefined {
  const today = wallOf(now, zone).slice(0, 10);
  for (let d = 0; d <= horizonDays; d += 1) {
    const date = addDays(today, d);
    if (!covers(date)) return Number(date.slice(0, 4));
  }
  return undefined;
}
