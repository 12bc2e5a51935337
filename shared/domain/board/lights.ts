/**
 * 红/黄/绿 as 督办 systems show them, and 灰 for a unit whose deadline has not come yet. Every board (the
 * terminal, the HTML report, the portal) reads its words and colours here. The light always carries
 * its word as text, so the status survives colour blindness, greyscale print and copy-paste.
 */
export type LightStatus = 'submitted' | 'late' | 'missing' | 'pending';

export interface Light {
  /** 绿 / 黄 / 红 / 灰. */
  readonly light: string;
  readonly word: string;
  /** For HTML: a colour and a class name. */
  readonly color: string;
  readonly className: string;
  /** For a terminal: an ANSI colour code. */
  readonly ansi: number;
}

export const LIGHT: Record<LightStatus, Light> = {
  submitted: { light: '绿', word: '按时报送', color: '#2e9d4f', className: 'green', ansi: 32 },
  late: { light: '黄', word: '逾期报送', color: '#e0a800', className: 'yellow', ansi: 33 },
  missing: { light: '红', word: '未报送', color: '#d64541', className: 'red', ansi: 31 },
  pending: { light: '灰', word: '未到期', color: '#9aa0a6', className: 'grey', ansi: 90 },
};

/** The order lights are counted and listed in. */
export const LIGHT_ORDER: readonly LightStatus[] = ['submitted', 'late', 'missing', 'pending'];

/** Counts per status, every status present (0 when none). */
export function countStatuses(statuses: Iterable<LightStatus>): Record<LightStatus, number> {
  const counts: Record<LightStatus, number> = { submitted: 0, late: 0, missing: 0, pending: 0 };
  for (const s of statuses) counts[s]++;
  return counts;
}
