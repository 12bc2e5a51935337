import { countStatuses, LIGHT } from '../../domain/board/lights.js';
import { escapeHtml } from '../../domain/notices/escape.js';
import type { StageOccurrence } from '../../domain/plan/ladder.js';
import { calendarOf, deadlineInstant } from '../../domain/plan/ladder.js';
import type { Milestone, Plan } from '../../domain/plan/schema.js';
import { STAGE_LABEL, stageKinds } from '../../domain/plan/stages.js';
import { addDays, dayOfWeek, instantOf } from '../../domain/time/wallClock.js';
import { namesOf, wallMinute } from './format.js';
import { STAGE_STYLE, shapeMarkup } from './stages.js';
import {
  collectStageMarks,
  collectSubmissions,
  daysFromDeadline,
  monthAxis,
  type StageFailure,
  type StageMark,
  type SubmissionMark,
  type TimelineActivity,
} from './timelineData.js';

/*
 * Two panels share each milestone's row. The year overview places every milestone in the plan's
 * months (the brief's axis); but a ladder spans ~3 weeks, about 30 px of a year, so a second panel
 * shows the same marks in days around each deadline, where reminders, 催办 and 约谈 stand apart and
 * the non-workdays that stretch the ladder are shaded. The viewBox is 1200 wide.
 */
const W = 1200;
const LABEL_W = 262;
const OV = { x0: 282, x1: 690 };
const DT = { x0: 726, x1: 1182 };
const LEGEND_H = 40;
const HEAD_H = 22;
const AXIS_H = 26;
const TOP = LEGEND_H + HEAD_H + AXIS_H;
const ROW_H = 88;
const LANE_TOP = 16;
const LANE_H = 11;
const MARK_R = 4.4;
/** One lane per stage kind, then one for submissions: marks hours apart would otherwise overlap. */
const SUBMISSION_LANE = stageKinds.length;
/** The day panel never spans more than this many days; marks beyond are pinned to its edge. */
const MAX_DAYS = 90;

export interface TimelineInput {
  readonly plan: Plan;
  readonly schedule: readonly StageOccurrence[];
  readonly result: TimelineActivity;
  /** Stages whose notices were owed and not sent (by `stageKey`) are drawn as failed, never as "nobody owed". */
  readonly failedStages?: ReadonlyMap<string, StageFailure>;
}

interface Row {
  readonly milestone: Milestone;
  readonly dayStart: number;
  readonly deadline: number;
  readonly marks: StageMark[];
  readonly submissions: SubmissionMark[];
}

/** The plan's year as an inline SVG: one row per milestone, its deadline, every stage and every submission. */
export function renderTimeline({ plan, schedule, result, failedStages }: TimelineInput): string {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const marks = collectStageMarks(schedule, result, failedStages);
  const submissions = collectSubmissions(result);
  const rows: Row[] = plan.milestones.map((m) => ({
    milestone: m,
    dayStart: instantOf(`${m.deadline}T00:00:00`, plan.timezone),
    deadline: deadlineInstant(plan, m),
    marks: marks.filter((s) => s.milestone === m.id),
    submissions: submissions.filter((s) => s.milestone === m.id),
  }));

  const instants = rows.flatMap((r) => [
    r.deadline,
    ...r.marks.map((s) => s.instant),
    ...r.submissions.map((s) => s.instant),
  ]);
  const axis = monthAxis(Math.min(...instants), Math.max(...instants), plan.timezone, OV.x1 - OV.x0);
  const ox = (t: number) => OV.x0 + ((t - axis.start) / (axis.end - axis.start)) * (OV.x1 - OV.x0);

  const offsets = rows.flatMap((r) =>
    [...r.marks, ...r.submissions].map((s) => daysFromDeadline(s.instant, r.dayStart)),
  );
  const dMin = Math.max(-MAX_DAYS / 3, Math.floor(Math.min(0, ...offsets)) - 1);
  const dMax = Math.min(dMin + MAX_DAYS, Math.ceil(Math.max(1, ...offsets)) + 1);
  const perDay = (DT.x1 - DT.x0) / (dMax - dMin);
  const dx = (d: number) => DT.x0 + (Math.min(dMax, Math.max(dMin, d)) - dMin) * perDay;

  const height = TOP + rows.length * ROW_H + 6;
  const calendar = calendarOf(plan);
  const isWorkday = (date: string) => {
    try {
      return calendar.isWorkday(date);
    } catch {
      const dow = dayOfWeek(date);
      return dow !== 0 && dow !== 6;
    }
  };

  const body = rows.map((row, i) => {
    const top = TOP + i * ROW_H;
    const rowNames = names;
    const counts = countStatuses(result.board.filter((b) => b.milestone === row.milestone.id).map((b) => b.status));
    const shade: string[] = [];
    for (let d = dMin; d < dMax; d++) {
      if (!isWorkday(addDays(row.milestone.deadline, d)))
        shade.push(
          `<rect x="${r1(dx(d))}" y="${top + 4}" width="${r1(perDay)}" height="${ROW_H - 8}" class="tl-off"/>`,
        );
    }
    const day = (t: number) => dx(daysFromDeadline(t, row.dayStart));
    return `<g class="tl-row" data-milestone="${escapeHtml(row.milestone.id)}">${
      i % 2 === 1 ? `<rect x="0" y="${top}" width="${W}" height="${ROW_H}" class="tl-stripe"/>` : ''
    }<line x1="0" y1="${top + ROW_H}" x2="${W}" y2="${top + ROW_H}" class="tl-rule"/>${label(row.milestone, top, counts)}${shade.join('')}<rect x="${r1(dx(0))}" y="${top + 4}" width="${r1(perDay)}" height="${ROW_H - 8}" class="tl-dueday"/>${panelMarks(row, top, ox, rowNames, true)}${panelMarks(row, top, day, rowNames, false)}</g>`;
  });

  return `<svg class="timeline" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="tl-title tl-desc" xmlns="http://www.w3.org/2000/svg">
<title id="tl-title">${escapeHtml(`${plan.title} 督办时间轴`)}</title>
<desc id="tl-desc">每个时间节点一行。左栏为全年概览（按月），右栏为截止日前后（按自然日）。虚线为截止时间，各形状为督办环节的发送时间，圆点为各单位报送时间。</desc>
${legend(marks.some(isFailed))}
<text x="${OV.x0}" y="${LEGEND_H + 14}" class="tl-panel">全年概览（按月）</text>
<text x="${DT.x0}" y="${LEGEND_H + 14}" class="tl-panel">截止日前后（按自然日，阴影为非工作日）</text>
<g class="tl-axis">${monthGrid(axis.ticks, ox, height)}${dayGrid(dMin, dMax, dx, perDay, height)}</g>
${body.join('\n')}
</svg>`;
}

function monthGrid(ticks: ReturnType<typeof monthAxis>['ticks'], x: (t: number) => number, height: number): string {
  return ticks
    .map((t) => {
      const tx = r1(x(t.instant));
      const year = t.year ? `<text x="${tx + 3}" y="${TOP - 16}" class="tl-year">${t.year}</text>` : '';
      const month = t.label ? `<text x="${tx + 3}" y="${TOP - 4}" class="tl-month">${t.label}</text>` : '';
      return `<line x1="${tx}" y1="${TOP - 24}" x2="${tx}" y2="${height - 4}" class="tl-grid"/>${year}${month}`;
    })
    .join('');
}

/** Day ticks, labelled every few days so labels keep ~26 units apart; day 0 is 截止日. */
function dayGrid(dMin: number, dMax: number, x: (d: number) => number, perDay: number, height: number): string {
  const every = [1, 2, 5, 7, 14, 30].find((k) => k * perDay >= 26) ?? 30;
  const out: string[] = [];
  for (let d = dMin; d <= dMax; d++) {
    const tx = r1(x(d));
    const major = d % every === 0;
    out.push(
      `<line x1="${tx}" y1="${TOP - (major ? 10 : 5)}" x2="${tx}" y2="${height - 4}" class="${major ? 'tl-grid' : 'tl-grid-minor'}"/>`,
    );
    if (d < dMax && (major || d === 0)) {
      const text = d === 0 ? '截止日' : d > 0 ? `+${d}` : `${d}`;
      // Keep clear of the wider 截止日 label.
      if (d !== 0 && Math.abs(d) * perDay < 34) continue;
      out.push(
        `<text x="${r1(x(d) + perDay / 2)}" y="${TOP - 12}" text-anchor="middle" class="${d === 0 ? 'tl-dueday-label' : 'tl-month'}">${text}</text>`,
      );
    }
  }
  return out.join('');
}

function label(m: Milestone, top: number, counts: ReturnType<typeof countStatuses>): string {
  const lines = wrap(m.title, LABEL_W - 12);
  const out = lines.map(
    (line, i) => `<text x="8" y="${top + 22 + i * 17}" class="tl-label">${escapeHtml(line)}</text>`,
  );
  const y = top + 22 + lines.length * 17;
  const meta = `截止 ${m.deadline} · ${m.responsible.length} 个责任单位${m.paused ? ' · 已暂停' : ''}`;
  out.push(`<text x="8" y="${y + 1}" class="tl-meta">${escapeHtml(meta)}</text>`);
  const tally = (['submitted', 'late', 'missing'] as const)
    .map((s) => `<tspan class="tl-tally-${LIGHT[s].className}">${LIGHT[s].light} ${counts[s]}</tspan>`)
    .join('<tspan>　</tspan>');
  out.push(`<text x="8" y="${y + 18}" class="tl-tally">${tally}</text>`);
  return out.join('');
}

function panelMarks(
  row: Row,
  top: number,
  x: (t: number) => number,
  names: ReadonlyMap<string, string>,
  band: boolean,
): string {
  const m = row.milestone;
  const laneY = (lane: number) => top + LANE_TOP + lane * LANE_H;
  const parts: string[] = [];
  // In the year view the ladder is a small cluster: a band around it makes it findable. The day
  // view needs none, and a band there would hide the shaded non-workdays.
  if (band) {
    const xs = [row.deadline, ...row.marks.map((s) => s.instant)].map(x);
    const band0 = Math.min(...xs) - 7;
    const band1 = Math.max(...xs) + 7;
    parts.push(
      `<rect x="${r1(band0)}" y="${top + 7}" width="${r1(band1 - band0)}" height="${ROW_H - 14}" rx="6" class="tl-band"/>`,
    );
  }

  const dlx = r1(x(row.deadline));
  const dlTip = `截止时间：${m.deadline} 当日结束前\n${m.title}`;
  parts.push(
    `<g class="tl-deadline"><title>${escapeHtml(dlTip)}</title><line x1="${dlx}" y1="${top + 9}" x2="${dlx}" y2="${top + ROW_H - 9}"/>${shapeMarkup('diamond', dlx, top + 9, 3.6, 'class="tl-deadline-head"')}</g>`,
  );

  for (const s of row.marks) {
    const { color, shape } = STAGE_STYLE[s.stage];
    const failed = isFailed(s);
    const sent = s.sent > 0 ? `已发送 ${s.sent} 封通知` : '';
    const state = failed
      ? `发送失败：${s.unsent} 封应发通知未发出${s.deadLetter ? '（重试用尽，已进入死信）' : ''}${sent ? `；${sent}` : ''}`
      : sent || '计划发送时间；本次未发送';
    const tip = `${wallMinute(s.at)} · ${STAGE_LABEL[s.stage]}\n${m.title}\n单位：${namesOf([...s.units], names).join('、')}\n${state}`;
    const attrs = failed
      ? `fill="${s.sent > 0 ? color : '#fff'}" stroke="${FAILED}" stroke-width="1.8"`
      : s.sent > 0
        ? `fill="${color}" stroke="#fff" stroke-width="0.8"`
        : `fill="#fff" stroke="${color}" stroke-width="1.5"`;
    const cx = x(s.instant);
    const cy = laneY(stageKinds.indexOf(s.stage));
    const mark = `${shapeMarkup(shape, cx, cy, MARK_R, attrs)}${failed ? cross(cx, cy) : ''}`;
    parts.push(
      `<g class="tl-mark${failed ? ' tl-failed' : ''}" data-stage="${s.stage}"${failed ? ' data-state="failed"' : ''}><title>${escapeHtml(tip)}</title>${mark}</g>`,
    );
  }

  for (const s of row.submissions) {
    const { color, light, word } = LIGHT[s.status];
    const who = s.entries.map((e) => `${names.get(e.unit) ?? e.unit} ${wallMinute(e.at)}`).join('\n');
    const tip = `报送 · ${light} ${word}\n${m.title}\n${who}`;
    const sx = r1(x(s.instant));
    const y = laneY(SUBMISSION_LANE);
    const count =
      s.entries.length > 1 ? `<text x="${sx + 6}" y="${y + 4}" class="tl-count">×${s.entries.length}</text>` : '';
    parts.push(
      `<g class="tl-submission" data-status="${s.status}"><title>${escapeHtml(tip)}</title><circle cx="${sx}" cy="${y}" r="${MARK_R}" fill="${color}" stroke="#fff" stroke-width="0.8"/>${count}</g>`,
    );
  }
  return parts.join('');
}

/** The colour of failure, the 红 of the status lights: a stage owed and not sent is the worst news here. */
const FAILED = '#d64541';

function isFailed(mark: StageMark): boolean {
  return mark.unsent > 0 || mark.deadLetter;
}

/** A red × across a failed mark (red-outlined), so it reads as failed in greyscale too. */
function cross(x: number, y: number): string {
  const d = 2.4;
  return `<path d="M${r1(x - d)} ${r1(y - d)}L${r1(x + d)} ${r1(y + d)}M${r1(x + d)} ${r1(y - d)}L${r1(x - d)} ${r1(y + d)}" stroke="${FAILED}" stroke-width="1.8" stroke-linecap="round"/>`;
}

function legend(withFailed: boolean): string {
  const items: string[] = [];
  let lx = 8;
  const y = 18;
  const add = (icon: string, text: string) => {
    items.push(`${icon}<text x="${r1(lx + 12)}" y="${y + 4}" class="tl-legend">${escapeHtml(text)}</text>`);
    lx += 12 + textWidth(text, 12) + 20;
  };
  for (const stage of stageKinds) {
    const { color, shape } = STAGE_STYLE[stage];
    add(shapeMarkup(shape, lx + 4, y, MARK_R, `fill="${color}"`), STAGE_LABEL[stage]);
  }
  add(shapeMarkup('circle', lx + 4, y, MARK_R, 'fill="#fff" stroke="#667" stroke-width="1.5"'), '空心 = 无需发送');
  if (withFailed) {
    add(
      `${shapeMarkup('circle', lx + 4, y, MARK_R, `fill="#fff" stroke="${FAILED}" stroke-width="1.8"`)}${cross(lx + 4, y)}`,
      '红叉 = 发送失败',
    );
  }
  const dl = `<line x1="${lx + 4}" y1="${y - 7}" x2="${lx + 4}" y2="${y + 8}" class="tl-deadline-legend"/>`;
  add(`${dl}${shapeMarkup('diamond', lx + 4, y - 7, 3.4, 'class="tl-deadline-head"')}`, '截止时间');
  for (const status of ['submitted', 'late'] as const) {
    add(shapeMarkup('circle', lx + 4, y, MARK_R, `fill="${LIGHT[status].color}"`), `报送（${LIGHT[status].word}）`);
  }
  return `<g class="tl-legend-row">${items.join('')}</g>`;
}

/** Rough rendered width: CJK and full-width punctuation are one em, ASCII a bit over half. */
function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 1 : 0.58;
  return w * fontSize;
}

/**
 * Splits a title into at most two lines of `width` (13 px text), balanced so the second line is
 * not a one-character orphan, ending with … when even two lines are too short.
 */
function wrap(text: string, width: number): string[] {
  const chars = [...text];
  const total = textWidth(text, 13);
  if (total <= width) return [text];
  let first = '';
  for (const ch of chars) {
    if (textWidth(first + ch, 13) > Math.max(total / 2, total - width) || textWidth(first + ch, 13) > width) break;
    first += ch;
  }
  // Never end a line on an opening bracket or quote.
  while (/[（(“《「]$/.test(first)) first = [...first].slice(0, -1).join('');
  let second = chars.slice([...first].length).join('');
  if (textWidth(second, 13) > width) {
    while (second && textWidth(`${second}…`, 13) > width) second = [...second].slice(0, -1).join('');
    second += '…';
  }
  return [first, second];
}

const r1 = (n: number) => Math.round(n * 10) / 10;
