import { describe, expect, it } from 'vitest';
import { BUILT_IN_YEARS, HolidayCoverageError, WorkdayCalendar } from '../../shared/domain/time/workdays.js';
import { MAKE_UP_WORKDAYS_2021 } from '../support/officialCalendar.js';

/** The State Council's 2021 arrangement as chinese-days carries it (plus New Year 2022). */
const DAYS_OFF_ON_WEEKDAYS = [
  '2021-05-03', // Labour Day (Mon–Wed; 05-01/02 are a weekend)
  '2021-05-04',
  '2021-05-05',
  '2021-06-14', // Dragon Boat (Monday)
  '2022-01-03', // New Year (Monday; 01-01/02 are a weekend)
];
const DAYS_OFF_ON_WEEKENDS = ['2021-05-01', '2021-05-02', '2022-01-01', '2022-01-02'];
/** 调休: weekend days that are workdays in 2021. */
const MAKE_UP_WORKDAYS = MAKE_UP_WORKDAYS_2021;

describe('WorkdayCalendar on the built-in 2021–2022 data', () => {
  const calendar = new WorkdayCalendar();

  it('treats the Labour Day, Dragon Boat and New Year holidays as days off', () => {
    // Act
    const verdicts = [...DAYS_OFF_ON_WEEKDAYS, ...DAYS_OFF_ON_WEEKENDS].map((d) => [d, calendar.isWorkday(d)]);

    // Assess
    expect(verdicts).toEqual([...DAYS_OFF_ON_WEEKDAYS, ...DAYS_OFF_ON_WEEKENDS].map((d) => [d, false]));
  });

  it('treats every 2021 make-up weekend day (调休) as a workday', () => {
    // Act
    const verdicts = MAKE_UP_WORKDAYS.map((d) => [d, calendar.isWorkday(d)]);

    // Assess
    expect(verdicts).toEqual(MAKE_UP_WORKDAYS.map((d) => [d, true]));
  });

  it('counts 250 workdays in 2021, whatever the process time zone is', () => {
    // 261 weekdays − 18 weekday holidays + 7 make-up weekend days (2/7, 2/20, 4/25, 5/8, 9/18, 9/26, 10/9).
    // Prepare
    const days: string[] = [];
    for (let t = Date.UTC(2021, 0, 1); t <= Date.UTC(2021, 11, 31); t += 86_400_000) {
      days.push(new Date(t).toISOString().slice(0, 10));
    }

    // Act
    const workdays = days.filter((d) => calendar.isWorkday(d));

    // Assess
    expect(days).toHaveLength(365);
    expect(workdays).toHaveLength(250);
  });

  it('answers for the date asked whatever the process time zone is (a machine in the Americas too)', () => {
    // Prepare
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';

    // Act
    let verdicts: boolean[];
    try {
      verdicts = ['2021-06-05', '2021-06-07', '2021-04-24', '2021-04-25'].map((d) => calendar.isWorkday(d));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }

    // Assess: Saturday, Monday, Saturday, make-up Sunday
    expect(verdicts).toEqual([false, true, false, true]);
  });

  it('keeps ordinary weekdays as workdays and ordinary weekends as days off', () => {
    // Act
    const friday = calendar.isWorkday('2021-04-30');
    const tuesday = calendar.isWorkday('2021-06-15');
    const saturday = calendar.isWorkday('2021-06-12');
    const sunday = calendar.isWorkday('2021-06-13');

    // Assess
    expect([friday, tuesday, saturday, sunday]).toEqual([true, true, false, false]);
  });
});

describe('WorkdayCalendar.shift', () => {
  const calendar = new WorkdayCalendar();

  it('returns the date itself for offset 0 on a workday, including a make-up Sunday', () => {
    // Act
    const weekday = calendar.shift('2021-05-31', 0);
    const makeUp = calendar.shift('2021-04-25', 0);

    // Assess
    expect(weekday).toBe('2021-05-31');
    expect(makeUp).toBe('2021-04-25');
  });

  it('moves offset 0 on a day off back to the last workday before it', () => {
    // Act
    const labourDay = calendar.shift('2021-05-03', 0);
    const dragonBoat = calendar.shift('2021-06-14', 0);
    const newYear = calendar.shift('2022-01-03', 0);
    const sunday = calendar.shift('2021-06-13', 0);

    // Assess
    expect(labourDay).toBe('2021-04-30');
    expect(dragonBoat).toBe('2021-06-11');
    expect(newYear).toBe('2021-12-31');
    expect(sunday).toBe('2021-06-11');
  });

  it('counts negative offsets back in workdays, excluding the date itself and landing on make-up days', () => {
    // Act
    const beforeCityPlan = calendar.shift('2021-04-30', -5);
    const beforeCitySummary = calendar.shift('2022-01-05', -1);
    const fiveBeforeCitySummary = calendar.shift('2022-01-05', -5);
    const fromAHoliday = calendar.shift('2021-05-04', -1);

    // Assess
    expect(beforeCityPlan).toBe('2021-04-25'); // 04-29, 28, 27, 26, then Sunday 04-25 (调休)
    expect(beforeCitySummary).toBe('2022-01-04');
    expect(fiveBeforeCitySummary).toBe('2021-12-28'); // skips 01-03, 01-02, 01-01
    // 05-04 is a day off, so its offset-0 day is 04-30 and one workday before that is 04-29.
    expect(fromAHoliday).toBe('2021-04-29');
  });

  it('never lands two offsets of a deadline on a day off on the same day', () => {
    // Prepare: deadlines on a Sunday, inside the Labour Day break and on Dragon Boat Monday.
    const deadlines = ['2021-06-13', '2021-05-03', '2021-06-14', '2022-01-01'];

    // Act
    const days = deadlines.map((d) => [-2, -1, 0, 1, 2].map((offset) => calendar.shift(d, offset)));

    // Assess
    expect(days).toEqual([
      ['2021-06-09', '2021-06-10', '2021-06-11', '2021-06-15', '2021-06-16'],
      ['2021-04-28', '2021-04-29', '2021-04-30', '2021-05-06', '2021-05-07'],
      ['2021-06-09', '2021-06-10', '2021-06-11', '2021-06-15', '2021-06-16'],
      ['2021-12-29', '2021-12-30', '2021-12-31', '2022-01-04', '2022-01-05'],
    ]);
  });

  it('counts positive offsets forward in workdays, skipping holidays and using make-up Saturdays', () => {
    // Act
    const afterCityPlan = calendar.shift('2021-04-30', 1);
    const threeAfterCityPlan = calendar.shift('2021-04-30', 3);
    const tenAfterDistrictPlans = calendar.shift('2021-05-31', 10);
    const fromAHoliday = calendar.shift('2021-05-01', 1);

    // Assess
    expect(afterCityPlan).toBe('2021-05-06');
    expect(threeAfterCityPlan).toBe('2021-05-08'); // 05-06, 05-07, Saturday 05-08 (调休)
    expect(tenAfterDistrictPlans).toBe('2021-06-15'); // skips Dragon Boat 06-14
    expect(fromAHoliday).toBe('2021-05-06');
  });
});

describe('WorkdayCalendar coverage', () => {
  it(`covers only ${BUILT_IN_YEARS.first}–${BUILT_IN_YEARS.last} by default`, () => {
    // Prepare
    const calendar = new WorkdayCalendar();

    // Act
    const covered = ['2003-12-31', '2004-01-01', '2026-12-31', '2027-01-01'].map((d) => calendar.covers(d));

    // Assess
    expect(covered).toEqual([false, true, true, false]);
  });

  it('throws HolidayCoverageError naming the date and the year to list when asked about an uncovered year', () => {
    // Prepare
    const calendar = new WorkdayCalendar();

    // Act
    let thrown: unknown;
    try {
      calendar.isWorkday('2027-01-04');
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(HolidayCoverageError);
    expect((thrown as HolidayCoverageError).date).toBe('2027-01-04');
    expect((thrown as Error).message).toContain('"years": [2027]');
  });

  it('refuses to shift across into an uncovered year', () => {
    // Prepare
    const calendar = new WorkdayCalendar();

    // Act
    const act = () => calendar.shift('2026-12-31', 1);

    // Assess
    expect(act).toThrow(HolidayCoverageError);
  });

  it('covers a year the plan lists, with its own days off and make-up workdays on top of weekends', () => {
    // Prepare
    const calendar = new WorkdayCalendar({ years: [2027], off: ['2027-01-01'], workdays: ['2027-01-09'] });

    // Act
    const covers = calendar.covers('2027-06-30');
    const verdicts = ['2027-01-01', '2027-01-02', '2027-01-04', '2027-01-09', '2027-01-10'].map((d) =>
      calendar.isWorkday(d),
    );
    const reminder = calendar.shift('2027-01-05', -5);

    // Assess
    expect(covers).toBe(true);
    expect(verdicts).toEqual([false, false, true, true, false]);
    expect(reminder).toBe('2026-12-28'); // 01-04, then 2026-12-31, 30, 29, 28
  });

  it("lets a plan's own lists override the built-in data of a covered year", () => {
    // Prepare
    const calendar = new WorkdayCalendar({ off: ['2021-06-11'], workdays: ['2021-06-14'] });

    // Act
    const localHoliday = calendar.isWorkday('2021-06-11');
    const declaredWorkday = calendar.isWorkday('2021-06-14');

    // Assess
    expect(localHoliday).toBe(false);
    expect(declaredWorkday).toBe(true);
  });
});
