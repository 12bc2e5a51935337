/**
 * The State Council's holiday arrangements for 2021 and January 2022, typed in from its notices: an
 * oracle independent of chinese-days and of our calendar code (chinese-days' own `isWorkday` reads
 * the process's local weekday, so it answers for the wrong day west of UTC).
 */
const WEEKDAYS_OFF = new Set([
  '2021-01-01', // 元旦
  '2021-02-11', // 春节 (02-11 … 02-17)
  '2021-02-12',
  '2021-02-15',
  '2021-02-16',
  '2021-02-17',
  '2021-04-05', // 清明节
  '2021-05-03', // 劳动节 (05-01 … 05-05)
  '2021-05-04',
  '2021-05-05',
  '2021-06-14', // 端午节
  '2021-09-20', // 中秋节
  '2021-09-21',
  '2021-10-01', // 国庆节 (10-01 … 10-07)
  '2021-10-04',
  '2021-10-05',
  '2021-10-06',
  '2021-10-07',
  '2022-01-03', // 元旦 (2022-01-01 … 01-03)
]);
/** 调休: the weekend days of 2021 that are workdays. */
export const MAKE_UP_WORKDAYS_2021: readonly string[] = [
  '2021-02-07',
  '2021-02-20',
  '2021-04-25',
  '2021-05-08',
  '2021-09-18',
  '2021-09-26',
  '2021-10-09',
];
const MAKE_UP_WORKDAYS = new Set(MAKE_UP_WORKDAYS_2021);

/** Whether `date` (YYYY-MM-DD, 2021-01-01 … 2022-01-31) is a workday on the mainland. */
export function isOfficialWorkday(date: string): boolean {
  if (date < '2021-01-01' || date > '2022-01-31') throw new RangeError(`${date} is outside the oracle's range`);
  if (MAKE_UP_WORKDAYS.has(date)) return true;
  if (WEEKDAYS_OFF.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}
