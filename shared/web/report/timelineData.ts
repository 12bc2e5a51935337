import type { BoardRow, BoardStatus } from '../../domain/board/board.js';
import type { StageOccurrence } from '../../domain/plan/ladder.js';
import type { StageKind } from '../../domain/plan/schema.js';
import { isStage, type NoticeKind } from '../../domain/plan/stages.js';
import { instantOf, wallClockOf } from '../../domain/time/wallClock.js';
import { wallDate } from './format.js';

/** What a timeline draws besides the schedule: the notices sent and the board's submissions (a run, or the live table). */
export interface TimelineActivity {
  readonly notices: readonly Pick<NoticeOnTimeline, 'at' | 'milestone' | 'stage' | 'units'>[];
  readonly board: readonly Pick<BoardRow, 'milestone' | 'unit' | 'status' | 'submittedAt'>[];
}

/** A notice as the timeline places it: its fire time (ISO with offset), milestone, kind and units. */
export interface NoticeOnTimeline {
  readonly at: string;
  readonly milestone: string;
  readonly stage: NoticeKind;
  readonly units: readonly string[];
}

/** The key of one stage occurrence: failures and marks meet on it. */
export const stageKey = (milestone: string, stage: string, instant: number) => `${milestone}|${stage}|${instant}`;

/** Per stage occurrence: how many of its notices are owed but unsent, and whether it was dead-lettered. */
export interface StageFailure {
  readonly unsent: number;
  readonly deadLetter?: unknown;
}

/** One stage of one milestone at one moment: scheduled, sent, or both. */
export interface StageMark {
  readonly milestone: string;
  readonly stage: StageKind;
  readonly instant: number;
  readonly at: string;
  readonly units: Set<string>;
  /** Notices sent at this moment for this stage; 0 means scheduled but not sent. */
  sent: number;
  /** Notices of this stage owed but not sent (failed or left claimed): not to be drawn as "nobody owed". */
  unsent: number;
  /** The firing exhausted its retries. */
  deadLetter: boolean;
}

/** Submissions of one milestone on one day with one status. */
export interface SubmissionMark {
  readonly milestone: string;
  readonly status: BoardStatus;
  readonly instant: number;
  readonly entries: { unit: string; at: string }[];
}

/**
 * The schedule's stages and the notices merged: a notice at a scheduled moment fills that mark in, and
 * a stage with notices owed but unsent (`failures`, keyed by `stageKey`) is marked failed.
 */
export function collectStageMarks(
  schedule: readonly StageOccurrence[],
  result: TimelineActivity,
  failures: ReadonlyMap<string, StageFailure> = new Map(),
): StageMark[] {
  const marks = new Map<string, StageMark>();
  const get = (milestone: string, stage: StageKind, instant: number, at: string) => {
    const key = stageKey(milestone, stage, instant);
    let mark = marks.get(key);
    if (!mark) {
      const failure = failures.get(key);
      mark = {
        milestone,
        stage,
        instant,
        at,
        units: new Set(),
        sent: 0,
        unsent: failure?.unsent ?? 0,
        deadLetter: failure?.deadLetter !== undefined,
      };
      marks.set(key, mark);
    }
    return mark;
  };
  for (const o of schedule) {
    const mark = get(o.milestone, o.stage, o.instant, o.fireAt);
    for (const u of o.units) mark.units.add(u);
  }
  for (const n of result.notices) {
    const instant = Date.parse(n.at);
    // The timeline draws the ladder; replies (办结, 退回, …) are in the notice list.
    if (Number.isNaN(instant) || !isStage(n.stage)) continue;
    const mark = get(n.milestone, n.stage, instant, n.at);
    mark.sent++;
    for (const u of n.units) mark.units.add(u);
  }
  return [...marks.values()].sort((a, b) => a.instant - b.instant);
}

/** Board submissions grouped by milestone, day and status: on a year axis a day is a few pixels. */
export function collectSubmissions(result: TimelineActivity): SubmissionMark[] {
  const marks = new Map<string, SubmissionMark>();
  for (const row of result.board) {
    if (row.submittedAt === undefined) continue;
    const instant = Date.parse(row.submittedAt);
    if (Number.isNaN(instant)) continue;
    const key = `${row.milestone}|${wallDate(row.submittedAt)}|${row.status}`;
    let mark = marks.get(key);
    if (!mark) {
      mark = { milestone: row.milestone, status: row.status, instant, entries: [] };
      marks.set(key, mark);
    }
    mark.entries.push({ unit: row.unit, at: row.submittedAt });
  }
  return [...marks.values()];
}

export interface MonthTick {
  readonly instant: number;
  /** Empty for a tick drawn without a label (the closing boundary, or skipped on long plans). */
  readonly label: string;
  readonly year?: string;
}

/**
 * Month boundaries in the plan's zone, from the month of `min` to the month after `max`. Labels
 * are thinned so that they stay at least `minGap` apart over `width`.
 */
export function monthAxis(
  min: number,
  max: number,
  zone: string,
  width: number,
  minGap = 36,
): { start: number; end: number; ticks: MonthTick[] } {
  const first = wallClockOf(min, zone).date;
  const last = wallClockOf(max, zone).date;
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const endKey = Number(last.slice(0, 4)) * 12 + Number(last.slice(5, 7));
  const months: { y: number; m: number }[] = [];
  while (y * 12 + m <= endKey + 1) {
    months.push({ y, m });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  const step = Math.max(1, Math.ceil(((months.length - 1) * minGap) / width));
  const ticks = months.map((mo, i): MonthTick => {
    const instant = instantOf(`${mo.y}-${String(mo.m).padStart(2, '0')}-01T00:00:00`, zone);
    if (i === months.length - 1 || i % step !== 0) return { instant, label: '' };
    const year = i === 0 || mo.m <= step ? { year: `${mo.y}年` } : {};
    return { instant, label: `${mo.m}月`, ...year };
  });
  const start = ticks[0]?.instant ?? min;
  const end = ticks[ticks.length - 1]?.instant ?? max;
  return { start, end: end > start ? end : start + 1, ticks };
}

export const DAY_MS = 86_400_000;

/** Days (fractional) from the start of the deadline day to `instant`; 0 … 1 is the deadline day. */
export function daysFromDeadline(instant: number, deadlineDayStart: number): number {
  return (instant - deadlineDayStart) / DAY_MS;
}
