import { RuleRefusedError } from '../errors.js';
import { addDays } from '../time/wallClock.js';
import { HolidayCoverageError } from '../time/workdays.js';
import { calendarOf, type HolidaySources, interviewFor, occurrencesOf } from './ladder.js';
import type { Milestone, Plan, StageKind } from './schema.js';
import { STAGE_LABEL } from './stages.js';

type LadderPlan = Pick<Plan, 'timezone' | 'units' | 'ladder'> & HolidaySources;

/**
 * Where a deadline's ladder first meets a year without holiday data (放假安排): the step that crosses into it
 * (the deadline itself, a stage, or the interview after the summons), the date it reached, and the latest
 * deadline of the milestone that can still be scheduled.
 */
export interface CoverageGap {
  readonly milestone: Pick<Milestone, 'id' | 'title'>;
  readonly deadline: string;
  readonly step: StageKind | 'deadline' | 'interview';
  /** The first date without data the step reached. */
  readonly date: string;
  readonly year: number;
  /** The latest deadline whose whole ladder stays within years with data; absent when none is near. */
  readonly latestDeadline?: string;
}

/** The first step of the ladder from `deadline` that reaches a year without holiday data, if any. */
function firstGap(
  plan: LadderPlan,
  milestone: Milestone,
  deadline: string,
): Omit<CoverageGap, 'latestDeadline' | 'milestone' | 'deadline'> | undefined {
  const calendar = calendarOf(plan);
  const gap = (step: CoverageGap['step'], error: HolidayCoverageError) => ({
    step,
    date: error.date,
    year: Number(error.date.slice(0, 4)),
  });
  if (!calendar.covers(deadline)) return gap('deadline', new HolidayCoverageError(deadline));
  const kinds = new Set(plan.units.filter((u) => milestone.responsible.includes(u.id)).map((u) => u.kind));
  for (const stage of plan.ladder.stages) {
    if (!stage.appliesTo.some((k) => kinds.has(k))) continue;
    try {
      calendar.shift(deadline, stage.offset);
    } catch (error) {
      if (error instanceof HolidayCoverageError) return gap(stage.stage, error);
      throw error;
    }
  }
  const moved = { ...milestone, deadline, unitDeadlines: {} };
  const summons = occurrencesOf(plan, moved, calendar).find((o) => o.stage === 'summons');
  if (!summons) return undefined;
  try {
    interviewFor(plan, milestone, summons.wall.slice(0, 10));
  } catch (error) {
    if (error instanceof HolidayCoverageError) return gap('interview', error);
    throw error;
  }
  return undefined;
}

/** Whether `deadline`'s whole ladder (to the interview) can be scheduled; the gap and the latest date if not. */
export function coverageGap(plan: LadderPlan, milestone: Milestone, deadline: string): CoverageGap | undefined {
  const found = firstGap(plan, milestone, deadline);
  if (!found) return undefined;
  const latestDeadline = latestSchedulableDeadline(plan, milestone, found.year);
  return {
    milestone: { id: milestone.id, title: milestone.title },
    deadline,
    ...found,
    ...(latestDeadline ? { latestDeadline } : {}),
  };
}

/**
 * The latest deadline before `year` whose whole ladder stays in years with data: counted back from the last
 * day of the year before (a ladder spans weeks, so this looks back at most ~120 days).
 */
export function latestSchedulableDeadline(plan: LadderPlan, milestone: Milestone, year: number): string | undefined {
  let date = `${year - 1}-12-31`;
  const calendar = calendarOf(plan);
  if (!calendar.covers(date)) return undefined;
  for (let i = 0; i < 120; i++, date = addDays(date, -1)) {
    if (!firstGap(plan, milestone, date)) return date;
  }
  return undefined;
}

const STEP_LABEL: Record<CoverageGap['step'], string> = { ...STAGE_LABEL, deadline: '截止日', interview: '约谈会面' };

/** The refusal as the office reads it: which step crosses into which year, the latest date possible, what to do. */
export function describeGap(gap: CoverageGap): string {
  const latest = gap.latestDeadline
    ? `“${gap.milestone.title}”（${gap.milestone.id}）目前最晚可排期的截止日期为 ${gap.latestDeadline}。`
    : '';
  const where =
    gap.step === 'deadline'
      ? `截止日 ${gap.deadline} 本身落在 ${gap.year} 年`
      : `按督办梯度，其${STEP_LABEL[gap.step]}要数到 ${gap.date} 以后的工作日，进入 ${gap.year} 年`;
  return (
    `${gap.deadline} 无法排期：${where}，尚未录入 ${gap.year} 年放假安排（内置节假日数据只到 2026 年）。${latest}` +
    `请先录入 ${gap.year} 年的放假与调休安排：npm run -s cli -- calendar holidays set ${gap.year} <文件.json>，或在督办办公室页面录入。`
  );
}

/** Refuses a deadline whose ladder reaches a year without holiday data, saying which step and what is possible. */
export function requireCoverage(plan: LadderPlan, milestone: Milestone, deadline: string): void {
  const gap = coverageGap(plan, milestone, deadline);
  if (gap) throw new RuleRefusedError(describeGap(gap));
}
