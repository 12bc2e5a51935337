import type { BoardStatus } from '../result.js';

/** A live board also has units whose deadline has not come yet; a finished simulation never does. */
export type LightStatus = BoardStatus | 'pending';

/**
 * 红/黄/绿 as 督办 systems show them. The light always carries its word as text, so the status
 * survives colour blindness, greyscale print and copy-paste.
 */
export const LIGHT: Record<LightStatus, { light: string; word: string; color: string; className: string }> = {
  submitted: { light: '绿', word: '按时报送', color: '#2e9d4f', className: 'green' },
  late: { light: '黄', word: '逾期报送', color: '#e0a800', className: 'yellow' },
  missing: { light: '红', word: '未报送', color: '#d64541', className: 'red' },
  pending: { light: '灰', word: '未到期', color: '#9aa0a6', className: 'grey' },
};

export const LIGHT_ORDER: readonly LightStatus[] = ['submitted', 'late', 'missing', 'pending'];

/** `● 红 未报送` as one inline element. */
export function statusLight(status: LightStatus): string {
  const { light, word, className } = LIGHT[status];
  return `<span class="light ${className}"><span class="lamp" aria-hidden="true"></span><b>${light}</b> ${word}</span>`;
}

/** Counts per status, every status present (0 when none). */
export function countStatuses(statuses: Iterable<LightStatus>): Record<LightStatus, number> {
  const counts: Record<LightStatus, number> = { submitted: 0, late: 0, missing: 0, pending: 0 };
  for (const s of statuses) counts[s]++;
  return counts;
}
