import { DAYS_OFF, MAKEUP_WORKDAYS } from './holidayDates.js';
import { addDays, dayOfWeek } from './wallClock.js';

/**
 * chinese-days' data (the State Council's arrangements), as `YYYY-MM-DD` sets: its dates, kept compact in
 * holidayDates.ts (generated from the library, and held to it by a test). We read the data, not the
 * library's functions: those parse the string as UTC midnight and then read the local-time weekday, so
 * on a machine west of UTC they answer for the day before.
 */
const expand = (byYear: Readonly<Record<number, string>>): ReadonlySet<string> =>
  new Set(
    Object.entries(byYear).flatMap(([year, days]) =>
      (days.match(/\d{4}/g) ?? []).map((mmdd) => `${year}-${mmdd.slice(0, 2)}-${mmdd.slice(2)}`),
    ),
  );
let builtIn: { off: ReadonlySet<string>; on: ReadonlySet<string> } | undefined;
const builtInDays = () => {
  builtIn ??= { off: expand(DAYS_OFF), on: expand(MAKEUP_WORKDAYS) };
  return builtIn;
};

/** Years for which chinese-days carries the State Council's holiday arrangements. */
export const BUILT_IN_YEARS = { first: 2004, last: 2026 } as const;

/** Days off and make-up workdays (调休) a plan supplies itself, beyond or on top of the built-in data. */
export interface ExtraHolidays {
  /** Extra days off (public holidays the data lacks, or local ones). */
  readonly off?: readonly string[];
  /** Make-up workdays that fall on a weekend. */
  readonly workdays?: readonly string[];
  /** Years the plan's own lists describe completely, so deadlines there are accepted. */
  readonly years?: readonly number[];
}

/**
 * The plan's own lists and the office's (放假安排 entered once for every plan, `calendar holidays set`) as one:
 * every day off, make-up workday and described year of either.
 */
export function mergeHolidays(...sources: readonly (ExtraHolidays | undefined)[]): ExtraHolidays {
  const present = sources.filter((s): s is ExtraHolidays => s !== undefined);
  if (present.length <= 1) return present[0] ?? {};
  return {
    off: present.flatMap((s) => s.off ?? []),
    workdays: present.flatMap((s) => s.workdays ?? []),
    years: present.flatMap((s) => s.years ?? []),
  };
}

/** The office's 放假安排 of several years as one set of extra holidays (each year described whole). */
export function officeHolidaysOf(
  years: readonly { year: number; off: readonly string[]; workdays: readonly string[] }[],
): ExtraHolidays | undefined {
  if (years.length === 0) return undefined;
  return {
    off: years.flatMap((y) => y.off),
    workdays: years.flatMap((y) => y.workdays),
    years: years.map((y) => y.year),
  };
}

/** Thrown when a date falls in a year nobody has told us the holidays of. */
export class HolidayCoverageError extends Error {
  constructor(readonly date: string) {
    super(
      `${date} falls in ${date.slice(0, 4)}, which the holiday data does not cover ` +
        `(built in: ${BUILT_IN_YEARS.first}–${BUILT_IN_YEARS.last}); list the year's days off and make-up workdays under "holidays" with "years": [${date.slice(0, 4)}]`,
    );
    this.name = 'HolidayCoverageError';
  }
}

/**
 * Mainland China workdays: public holidays and 调休 from chinese-days, plus the plan's own lists.
 * Only `YYYY-MM-DD` strings go in (a Date would be read in the process's zone).
 */
export class WorkdayCalendar {
  private readonly off: ReadonlySet<string>;
  private readonly on: ReadonlySet<string>;
  private readonly ownYears: ReadonlySet<number>;

  constructor(extra: ExtraHolidays = {}) {
    this.off = new Set(extra.off ?? []);
    this.on = new Set(extra.workdays ?? []);
    this.ownYears = new Set(extra.years ?? []);
  }

  covers(date: string): boolean {
    const year = Number(date.slice(0, 4));
    return this.ownYears.has(year) || (year >= BUILT_IN_YEARS.first && year <= BUILT_IN_YEARS.last);
  }

  isWorkday(date: string): boolean {
    if (!this.covers(date)) throw new HolidayCoverageError(date);
    if (this.on.has(date)) return true;
    if (this.off.has(date)) return false;
    if (builtInDays().on.has(date)) return true;
    if (builtInDays().off.has(date)) return false;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /**
   * The workday `offset` workdays away from `date`. 0 is `date` when it is a workday, else the last
   * workday before it (a deadline on a day off is announced on the workday before). Negative offsets
   * count back from that day and positive ones forward from `date`, neither counting the day itself:
   * so −1 is always the workday before the 0 day and +1 the first workday after `date`, and no two
   * offsets ever land on the same day.
   */
  shift(date: string, offset: number): string {
    let d = date;
    while (offset <= 0 && !this.isWorkday(d)) d = addDays(d, -1);
    if (offset === 0) return d;
    const step = offset < 0 ? -1 : 1;
    let remaining = Math.abs(offset);
    while (remaining > 0) {
      d = addDays(d, step);
      if (this.isWorkday(d)) remaining -= 1;
    }
    return d;
  }
}
