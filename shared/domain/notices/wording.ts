import type { Milestone, Unit } from '../plan/schema.js';
import { dayOfWeek } from '../time/wallClock.js';
import { chineseDate } from './chineseDate.js';
import { type DocNumbering, formatDocNumber } from './docNumber.js';

/**
 * The pieces of formal Chinese every notice is made of: how a unit is addressed, the deliverable in its
 * words, dates, and titles that stay within 40 characters.
 */

/** In a plan's deliverable (and a summons's 参加人员), the unit's own level: `本市（区）` in the seed's words. */
export const OWN_LEVEL = '{本级}';

/** 称谓: `你市`, `你区`, `你局` — the plan's, or `你单位`. */
export const addressOf = (unit: Pick<Unit, 'addressAs'>) => unit.addressAs ?? '你单位';

/**
 * A deliverable (or any plan text with `{本级}`) as it reads in a notice to `unit` (`你市2021年…工作计划`), or
 * in a notice to several units (`本级2021年…工作计划`).
 */
export const phrased = (text: string, unit?: Pick<Unit, 'addressAs'>) =>
  text.replaceAll(OWN_LEVEL, unit ? addressOf(unit) : '本级');

/** The document a milestone asks for, as a title quotes it: `《市（区）落后产能退出工作计划》`. */
export const quoted = (milestone: Pick<Milestone, 'shortTitle' | 'title'>) =>
  `《${phrased(milestone.shortTitle ?? milestone.title)}》`;

/** An email's subject — the 公文 title and its 文号 after it — is at most 40 characters. */
export const MAX_SUBJECT = 40;

/**
 * Room the 文号 takes in the subject: the issuer's number for the year, with four digits (the number is
 * assigned later, when a worker claims the notice), in its brackets. None when the notice is not numbered.
 */
export const numberRoom = (numbering?: Pick<DocNumbering, 'template' | 'year'>) =>
  numbering ? [...formatDocNumber(numbering, 9999)].length + 2 : 0;

/** The preferred title when it fits in the subject beside its 文号 (`room`), else the shorter one. */
export const fitTitle = (preferred: string, shorter: string, room = 0) =>
  [...preferred].length <= MAX_SUBJECT - room ? preferred : shorter;

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** `2021-06-18` → `2021年6月18日（星期五）`. */
export const dateWithWeekday = (date: string) => `${chineseDate(date)}（${WEEKDAYS[dayOfWeek(date)]}）`;

/** `2021-06-07` → `6月7日` (with the year when it is not `year`). */
export function monthDay(date: string, year?: string): string {
  if (year !== undefined && date.slice(0, 4) !== year) return chineseDate(date);
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
}

/** Outside the 正文: how the mail was sent. */
export const SENT_AUTOMATICALLY = '本邮件由督办系统根据工作计划时间节点自动发送；已报送的单位不会再收到本事项的提醒。';
/** Outside the 正文: what a reminder's attachment is. */
export const CALENDAR_HINT = '附件 deadline.ics 为报送截止日期，可导入日历提醒。';
/** Outside the 正文: an answer to what the unit did. */
export const ANSWERED_AUTOMATICALLY = '本邮件由督办系统自动发送。';

/** What the next date brings, said as a fact: 通报 or 约谈 (a repeat of 催办 needs no saying). */
export function whatComesNext(next: string | undefined, you: string, done: '报送' | '完成'): string {
  if (next === 'circular') return `届时仍未${done}的，将按计划予以通报。`;
  if (next === 'summons') return `届时仍未${done}的，将按计划约谈${you}主要负责人。`;
  return '';
}
