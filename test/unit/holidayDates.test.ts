import chineseDaysPackage from 'chinese-days/package.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { DAYS_OFF, HOLIDAY_SOURCE, MAKEUP_WORKDAYS } from '../../shared/domain/time/holidayDates.js';
import { BUILT_IN_YEARS, WorkdayCalendar } from '../../shared/domain/time/workdays.js';
import { compactDates, holidayDatesModule, libraryDaysOff, libraryWorkdays } from '../support/holidayData.js';

describe('the compact holiday dates', () => {
  it("are exactly chinese-days' days off and make-up workdays, from the installed version", () => {
    // Assess: regenerate with `npx tsx test/support/holidayData.ts` after upgrading chinese-days.
    expect(HOLIDAY_SOURCE).toBe(`chinese-days ${chineseDaysPackage.version}`);
    expect(DAYS_OFF).toEqual(compactDates(libraryDaysOff()));
    expect(MAKEUP_WORKDAYS).toEqual(compactDates(libraryWorkdays()));
    expect(holidayDatesModule(chineseDaysPackage.version)).toContain(`'${DAYS_OFF[2021]}'`);
  });

  it("answer as the library's data does for every day of the years it covers", () => {
    // Prepare
    const off = new Set(libraryDaysOff());
    const on = new Set(libraryWorkdays());
    const calendar = new WorkdayCalendar();

    // Act / Assess
    for (let year = BUILT_IN_YEARS.first; year <= BUILT_IN_YEARS.last; year++) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        const weekday = new Date(t).getUTCDay();
        const expected = on.has(date) || (!off.has(date) && weekday !== 0 && weekday !== 6);
        if (calendar.isWorkday(date) !== expected) expect.fail(`${date}: expected workday=${expected}`);
      }
    }
  });
});
