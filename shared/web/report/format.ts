/**
 * Display helpers for times. Fire times and submissions arrive as ISO strings already in the plan's
 * offset (`2021-05-31T09:00:00+08:00`), so the wall-clock part is shown as written: re-formatting
 * through `Date` would print the machine's zone instead of the plan's.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

/** `2021-05-31T09:00:00+08:00` → `2021-05-31 09:00`; anything else is returned unchanged. */
export function wallMinute(iso: string): string {
  const m = ISO.exec(iso);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` : iso;
}

/** `2021-05-31T09:00:00+08:00` → `05-31 09:00`, for dense cells where the year is obvious. */
export function shortMinute(iso: string): string {
  const m = ISO.exec(iso);
  return m ? `${m[2]}-${m[3]} ${m[4]}:${m[5]}` : iso;
}

/** `2021-05-31T09:00:00+08:00` → `2021-05-31`. */
export function wallDate(iso: string): string {
  const m = ISO.exec(iso);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : iso;
}

/** Names for unit ids, falling back to the id so an unknown unit still shows up. */
export function namesOf(ids: readonly string[], names: ReadonlyMap<string, string>): string[] {
  return ids.map((id) => names.get(id) ?? id);
}

/** `甲、乙、丙等 7 个单位` when a list is too long for one line. */
export function shortList(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join('、');
  return `${names.slice(0, max).join('、')}等 ${names.length} 个单位`;
}
