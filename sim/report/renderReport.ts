import { countStatuses, LIGHT } from '../../shared/domain/board/lights.js';
import type { ExitBoard } from '../../shared/domain/exits/board.js';
import { escapeHtml } from '../../shared/domain/notices/escape.js';
import type { StageOccurrence } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { stageKinds } from '../../shared/domain/plan/stages.js';
import { type BoardCell, renderBoard } from '../../shared/web/report/board.js';
import { wallMinute } from '../../shared/web/report/format.js';
import { renderTimeline } from '../../shared/web/report/svgTimeline.js';
import type { SimulationResult } from '../result.js';
import { type DeliveryFailure, renderDeliveryFailures } from './deliveries.js';
import { renderExitLedger } from './exitLedger.js';
import { failuresByStage, type ReportFailures, renderFailures, stageKey } from './failures.js';
import { renderNotices, stageBadge } from './notices.js';
import { STYLES } from './styles.js';

export interface ReportInput {
  readonly plan: Plan;
  readonly schedule: readonly StageOccurrence[];
  readonly result: SimulationResult;
  /** What the run owed and did not deliver: shown first, in red, and marked on the timeline. */
  readonly failures?: ReportFailures;
  /** Notices SES could not deliver (bounced, complained, suppressed): listed in red with what to do. */
  readonly deliveryFailures?: readonly DeliveryFailure[];
  /** The exit ledger (退出台账) per unit, when the plan keeps one. */
  readonly exits?: ExitBoard;
  /** When the report was made (ISO); shown as written. */
  readonly generatedAt: string;
  readonly title?: string;
}

/**
 * The CSP forbids every fetch and every script: the report is one file that must open offline, and
 * it carries email HTML from elsewhere. `srcdoc` iframes inherit it, so a tracking pixel or remote
 * stylesheet in an email body stays unloaded too.
 */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'";

/** A complete, self-contained HTML5 report of one simulated (or live) plan. */
export function renderReport(input: ReportInput): string {
  const { plan, schedule, result, generatedAt, failures, deliveryFailures } = input;
  const undelivered = deliveryFailures?.length ?? 0;
  const title = input.title ?? `${plan.title} · 督办报告`;
  const failed =
    (failures?.deadLetters.length ?? 0) + (failures?.deadNotices?.length ?? 0) + (failures?.unsent.length ?? 0);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="duban-plan" content="${escapeHtml(plan.id)}">
<meta name="generator" content="Duban 督办">
<title>${escapeHtml(title)}</title>
<style>${STYLES}</style>
</head>
<body>
<header class="top"><div class="wrap">
<h1>${escapeHtml(title)}</h1>
<div class="sub"><span>计划编号 <code>${escapeHtml(plan.id)}</code></span><span>时区 ${escapeHtml(plan.timezone)}</span><span>生成时间 <time datetime="${escapeHtml(generatedAt)}">${escapeHtml(wallMinute(generatedAt))}</time></span><span>${plan.milestones.length} 个时间节点 · ${plan.units.length} 个单位</span></div>
<nav class="toc">${failed > 0 ? `<a href="#failures" class="toc-alert">未送达（${failures?.unsent.length ?? 0} 封）</a>` : ''}${undelivered > 0 ? `<a href="#undelivered" class="toc-alert">投递失败（${undelivered} 封）</a>` : ''}<a href="#timeline">督办时间轴</a><a href="#board">报送看板</a>${input.exits ? '<a href="#exits">退出台账</a>' : ''}<a href="#notices">通知记录（${result.notices.length}）</a></nav>
</div></header>
<main class="wrap">
${renderSummary(plan, schedule, result, failures)}
${renderFailures(plan, failures)}
${renderDeliveryFailures(plan, deliveryFailures)}
<section class="card" id="timeline">
<h2>督办时间轴</h2>
<p class="note">每行一个时间节点；虚线为截止时间，各形状为督办环节的发送时间（实心为已发送），圆点为单位报送时间。鼠标悬停可查看日期、环节与单位。</p>
<div class="timeline-wrap">${renderTimeline({ plan, schedule, result, failedStages: failuresByStage(failures) })}</div>
</section>
<section class="card" id="board">
<h2>报送看板</h2>
${renderBoard(plan, result.board)}
</section>
${
  input.exits
    ? `<section class="card" id="exits">
<h2>退出台账</h2>
${renderExitLedger(input.exits)}
</section>`
    : ''
}
<section class="card" id="notices">
<h2>通知记录</h2>
<p class="note">按发送时间排列，点击一条可展开收件人、抄送及邮件正文。</p>
${renderNotices(plan, result.notices)}
</section>
</main>
<footer>本报告为单一离线文件，不引用任何外部资源。由 Duban 督办生成。</footer>
</body>
</html>
`;
}

function renderSummary(
  plan: Plan,
  schedule: readonly StageOccurrence[],
  result: SimulationResult,
  failures: ReportFailures | undefined,
): string {
  const perStage = stageKinds
    .map((s) => `<li>${stageBadge(s)} <b>${result.notices.filter((n) => n.stage === s).length}</b></li>`)
    .join('');
  const board: readonly BoardCell[] = result.board;
  const counts = countStatuses(board.map((r) => r.status));
  const lights = (['submitted', 'late', 'missing'] as const)
    .map(
      (s) =>
        `<div class="lamp-card ${LIGHT[s].className}"><span class="light ${LIGHT[s].className}"><span class="lamp" aria-hidden="true"></span><b>${LIGHT[s].light}</b> ${LIGHT[s].word}</span><div class="big">${counts[s]}</div></div>`,
    )
    .join('');

  // Who is still red, most items first: the question the coordinating group asks every morning.
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const red = new Map<string, number>();
  for (const r of board) if (r.status === 'missing') red.set(r.unit, (red.get(r.unit) ?? 0) + 1);
  const redList = [...red.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([u, n]) => `<li><span>${escapeHtml(names.get(u) ?? u)}</span><span class="n">${n} 项</span></li>`);
  const shown = redList.slice(0, 6).join('');
  const more = redList.length > 6 ? `<li class="muted">另有 ${redList.length - 6} 个单位，见看板</li>` : '';

  return `<div class="summary">
<div class="box"><h3>已发通知</h3><div class="big">${result.notices.length} 封</div><ul class="stat-list">${perStage}</ul>${scheduleNote(schedule, result, failures)}</div>
<div class="box"><h3>报送情况（单位 × 节点，共 ${board.length} 项）</h3><div class="lights">${lights}</div></div>
<div class="box"><h3>仍未报送的单位（红）</h3>${redList.length === 0 ? '<p class="muted">无，全部已报送。</p>' : `<ul class="late-units">${shown}${more}</ul>`}</div>
</div>`;
}

/**
 * How much of the planned ladder actually went out. A stage with nobody left to chase is not sent
 * (hollow); one whose notices were owed and not sent is failed, and counted apart (red ×).
 */
function scheduleNote(
  schedule: readonly StageOccurrence[],
  result: SimulationResult,
  failures: ReportFailures | undefined,
): string {
  const sent = new Set(result.notices.map((n) => stageKey(n.milestone, n.stage, Date.parse(n.at))));
  const failedKeys = failuresByStage(failures);
  const failed = schedule.filter((o) => failedKeys.has(stageKey(o.milestone, o.stage, o.instant))).length;
  const unsent = schedule.filter((o) => {
    const key = stageKey(o.milestone, o.stage, o.instant);
    return !sent.has(key) && !failedKeys.has(key);
  }).length;
  const failedText = failed > 0 ? `<b class="failed-count">发送失败 ${failed} 个（时间轴上以红叉标出）</b>，` : '';
  return `<p class="muted small">计划督办环节 ${schedule.length} 个，已发送 ${schedule.length - unsent - failed} 个，${failedText}未发送 ${unsent} 个（无需发送，时间轴上以空心标出）。</p>`;
}
