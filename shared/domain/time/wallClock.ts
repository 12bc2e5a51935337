import { tzOffset } from '@date-fns/tz';

/**
 * Wall-clock time in a plan's time zone. Deadlines and fire times are wall-clock values
 * (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss`); instants are epoch milliseconds. Nothing here
 * uses `toISOString()` to build a wall-clock value, because that is UTC, not the plan's zone.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists (2021-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** True when the IANA zone is known to this runtime's ICU data. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical IANA name (`PRC`, `asia/shanghai` → `Asia/Shanghai`), as Scheduler and the stores want it. */
export function canonicalTimeZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Adds whole days to a calendar date, by calendar arithmetic (no zone involved). */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday for a calendar date. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** `YYYY-MM-DDTHH:mm:ss` for a date and hour. */
export function wallTime(date: string, hour: number, minute = 0): string {
  return `${date}T${pad(hour)}:${pad(minute)}:00`;
}

/** The instant at which a wall-clock time occurs in a zone. */
export function instantOf(wall: string, zone: string): number {
  const m = WALL.exec(wall);
  if (!m) throw new RangeError(`not a wall-clock time: ${wall}`);
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  // The offset at the guess, then once more at the corrected instant (matters only near DST changes).
  const first = asUtc - tzOffset(zone, new Date(asUtc)) * 60_000;
  return asUtc - tzOffset(zone, new Date(first)) * 60_000;
}

/** The wall-clock fields of an instant in a zone. */
export function wallClockOf(instant: number, zone: string): { date: string; time: string; offsetMinutes: number } {
  const offsetMinutes = tzOffset(zone, new Date(instant));
  const shifted = new Date(instant + offsetMinutes * 60_000);
  const date = `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
  const time = `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
  return { date, time, offsetMinutes };
}

/** ISO 8601 with the zone's offset, e.g. `2021-04-27T09:00:00+08:00`. */
export function formatInZone(instant: number, zone: string): string {
  const { date, time, offsetMinutes } = wallClockOf(instant, zone);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The wall-clock `YYYY-MM-DDTHH:mm:ss` of an instant in a zone (what Scheduler's `at()` takes). */
export function wallOf(instant: number, zone: string): string {
  const { date, time } = wallClockOf(instant, zone);
  return `${date}T${time}`;
}

/** The first instant after the end of a deadline day (deadlines are "by the end of that day"). */
export function endOfDay(date: string, zone: string): number {
  return instantOf(wallTime(addDays(date, 1), 0), zone);
}

/**
 * Parses an ISO 8601 instant that names its offset (`Z` or `±hh:mm`). A time without an offset is
 * refused: it would be read in the process's zone, which is exactly the mistake this module exists to avoid.
 */
export function parseInstant(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new RangeError(`"${value}" is not an ISO time with an offset (e.g. 2021-05-31T09:00:00+08:00)`);
  }
  const t = Date.parse(value);
  if (Number.isNaN(t) || !isCalendarDate(value.slice(0, 10))) throw new RangeError(`"${value}" is not a valid time`);
  return t;
}
