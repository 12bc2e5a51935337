import { chineseDate } from '../domain/notices/chineseDate.js';
import { wallClockOf } from '../domain/time/wallClock.js';

/** An instant as people here read it: `2021年5月24日 09:00` in the plan's zone. */
export function zhDateTime(instant: number, zone: string): string {
  const { date, time } = wallClockOf(instant, zone);
  return `${chineseDate(date)} ${time.slice(0, 5)}`;
}

/** An ISO time with offset (a fire time) as `5月24日 09:00`. */
export function zhShort(iso: string): string {
  const [, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${m}月${d}日 ${iso.slice(11, 16)}`;
}

/** A byte count as `1.2 MB` / `340 KB`. */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
