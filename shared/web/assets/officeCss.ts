import { LIGHT } from '../../domain/board/lights.js';
import { stageKinds } from '../../domain/plan/stages.js';
import { STAGE_STYLE } from '../report/stages.js';
import { BOARD_CSS, TIMELINE_CSS } from '../report/timelineCss.js';

/**
 * The office pages' own rules, on top of the portal's stylesheet: the report's timeline and grid (one source),
 * the 考核 table, the console's forms and previews, and an A4 print layout for the board.
 */
const lightVars = Object.values(LIGHT)
  .map((l) => `.board-wrap .${l.className},.tally.${l.className}{--light:${l.color}}`)
  .join('');
const stageVars = stageKinds.map((s) => `.stage-${s}{--c:${STAGE_STYLE[s].color}}`).join('');

export const OFFICE_CSS = `
:root{--ink:#1b1b1b;--muted:#555;--line:#e3e3df}
main.wide{max-width:1240px}
.board-wrap:focus-visible,.timeline-wrap:focus-visible{outline:3px solid #ffbf47;outline-offset:1px}
${TIMELINE_CSS}
${BOARD_CSS}
${lightVars}${stageVars}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end}
.filters .field{margin:0;max-width:100%}
.filters select,.filters input{width:auto;min-width:9em;max-width:100%}
.exports{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 0}
.progress-list{list-style:none;padding:0;margin:0}
.progress-list li{display:flex;flex-wrap:wrap;gap:4px 12px;border-bottom:1px solid var(--line);padding:4px 0}
.bar{display:flex;height:10px;min-width:160px;flex:1;border-radius:5px;overflow:hidden;background:#eee;align-self:center}
.bar span{display:block;height:100%}
table.assessment td.n{text-align:right;font-variant-numeric:tabular-nums}
.warning-panel{border:4px solid #b3261e;background:#fff;padding:12px 16px;margin:0 0 16px}
.warning-panel h2{color:#b3261e;font-size:19px}
.tasks{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px;list-style:none;padding:0}
.tasks li a{display:block;background:#fff;border:1px solid #d6d6d2;border-radius:6px;padding:12px;font-weight:600}
.diff del{color:#a3231f}.diff ins{color:#1d6b34;text-decoration:none;font-weight:600}
.past{color:#a3231f}
.notice-text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fbfbfc;border:1px solid var(--line);padding:8px;font-size:14px}
fieldset{border:0;padding:0;margin:0 0 18px}
.checks label{display:inline-block;margin:0 12px 4px 0;font-weight:400}
input[type=date],input[type=month],input[type=email]{font:inherit;border:2px solid #1b1b1b;padding:6px;background:#fff;max-width:100%}
@media print{@page{size:A4 landscape;margin:12mm}main,main.wide{max-width:none;padding:0}.filters,.exports,footer.page{display:none!important}svg.timeline{min-width:0;width:100%}.board-wrap,.timeline-wrap{overflow:visible}table.board{font-size:10px}details{display:block}details>summary{list-style:none}.notice-text{max-height:none}}
`.trim();
