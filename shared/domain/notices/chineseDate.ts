/** `2021-05-31` → `2021年5月31日`, the form official documents use. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** `2021-06-18T15:00:00` → `2021年6月18日15:00`. */
export function chineseDateTime(wall: string): string {
  return `${chineseDate(wall.slice(0, 10))}${wall.slice(11, 16)}`;
}
