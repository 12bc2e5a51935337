import { calendarOf, type HolidaySources, occurrencesOf } from '../plan/ladder.js';
import type { Milestone, Plan, StageKind } from '../plan/schema.js';
import { STAGE_LABEL } from '../plan/stages.js';
import { dayOfWeek } from '../time/wallClock.js';

/** One stage of a ladder as the office reads it: 提醒 on `12月8日 09:00`, and whether it is already past. */
export interface StageDate {
  readonly stage: StageKind;
  /** Wall clock `YYYY-MM-DDTHH:mm:ss` in the plan's zone. */
  readonly wall: string;
  readonly instant: number;
  /** Already past: it will not be sent (reconcile drops it and says so). */
  readonly past: boolean;
  /** Set on a unit's own ladder. */
  readonly unit?: string;
}

export interface DeadlineAdvice {
  /** What the office should know before relying on the date, in Chinese. */
  readonly warnings: string[];
  readonly stages: StageDate[];
}

const WEEKDAY = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** `2021-12-08T09:00:00` → `12月8日 09:00`. */
export const zhWall = (wall: string) =>
  `${Number(wall.slice(5, 7))}月${Number(wall.slice(8, 10))}日 ${wall.slice(11, 16)}`;

/**
 * The stages a (new) deadline gives a milestone — or one unit's own ladder — with the ones already past, and
 * warnings: a deadline on a day off (a Sunday, a public holiday), a ladder wholly in the past.
 */
export function deadlineAdvice(
  plan: Pick<Plan, 'timezone' | 'units' | 'ladder'> & HolidaySources,
  milestone: Milestone & { readonly unitDeadlines?: Readonly<Record<string, { deadline: string }>> },
  now: number,
  unit?: string,
): DeadlineAdvice {
  const deadline = unit === undefined ? milestone.deadline : (milestone.unitDeadlines?.[unit]?.deadline ?? '');
  const stages = occurrencesOf(plan, milestone)
    .filter((o) => o.unit === unit)
    .map((o) => ({
      stage: o.stage,
      wall: o.wall,
      instant: o.instant,
      past: o.instant <= now,
      ...(o.unit ? { unit: o.unit } : {}),
    }));
  const warnings: string[] = [];
  if (deadline && !calendarOf(plan).isWorkday(deadline)) {
    const dow = dayOfWeek(deadline);
    const why = dow === 0 || dow === 6 ? WEEKDAY[dow] : '法定节假日';
    const due = stages.find((s) => s.stage === 'due');
    warnings.push(
      `截止日期 ${deadline} 是${why}，不是工作日${due ? `：到期提醒提前在 ${zhWall(due.wall)} 发出` : ''}。`,
    );
  }
  if (stages.length > 0 && stages.every((s) => s.past)) {
    warnings.push('整个督办梯度都已过去：这一日期不会发出任何提醒或督办通知。');
  } else if (stages.some((s) => s.past)) {
    warnings.push(`${stages.filter((s) => s.past).length} 个环节的时间已过，不再发送（见下表）。`);
  }
  if (milestone.paused) warnings.push('该事项已暂停：恢复前不发送任何通知。');
  return { warnings, stages };
}

/** The stage dates as lines: `提醒      12月8日 09:00`, a past one marked `（已过，不发送）`. */
export function describeStageDates(stages: readonly StageDate[]): string[] {
  return stages.map(
    (s) => `${STAGE_LABEL[s.stage].padEnd(4, '　')}  ${zhWall(s.wall)}${s.past ? '（已过，不发送）' : ''}`,
  );
}
