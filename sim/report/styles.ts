import { LIGHT } from '../../shared/domain/board/lights.js';
import { stageKinds } from '../../shared/domain/plan/stages.js';
import { STAGE_STYLE } from '../../shared/web/report/stages.js';
import { BOARD_CSS, TIMELINE_CSS } from '../../shared/web/report/timelineCss.js';

/** Fonts that exist on the machines staff use; no web fonts, the report loads nothing. */
const FONTS =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif';

const stageRules = stageKinds.map((s) => `.stage-${s}{--c:${STAGE_STYLE[s].color}}`).join('\n');
const lightRules = Object.values(LIGHT)
  .map((l) => `.${l.className}{--light:${l.color}}`)
  .join('\n');

export const STYLES = `
:root{color-scheme:light;--ink:#1f2328;--muted:#5f6670;--line:#dfe3e8;--bg:#f3f4f6;--card:#fff;--brand:#a31d1d}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.6 ${FONTS}}
header.top{background:linear-gradient(180deg,#b22222,#8f1717);color:#fff;padding:20px 0 18px}
.wrap{max-width:1240px;margin:0 auto;padding:0 20px}
header.top h1{margin:0 0 4px;font-size:24px;letter-spacing:.04em}
header.top .sub{opacity:.92;font-size:13px}
header.top code{background:rgba(255,255,255,.16);color:#fff}
header.top .sub span+span::before{content:"·";margin:0 8px;opacity:.7}
nav.toc{margin-top:10px;font-size:13px}
nav.toc a{color:#fff;margin-right:16px;text-decoration:none;border-bottom:1px solid rgba(255,255,255,.5)}
main{padding:16px 0 40px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px;margin:16px 0}
section.card>h2{margin:0 0 12px;font-size:18px;padding-left:10px;border-left:4px solid var(--brand);line-height:1.3}
section.card>p.note{margin:-6px 0 12px;color:var(--muted);font-size:13px}
.summary{display:grid;grid-template-columns:1.1fr 1fr 1.3fr;gap:14px;margin-top:-34px}
.summary .box{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;box-shadow:0 2px 6px rgba(0,0,0,.06)}
.summary h3{margin:0 0 8px;font-size:13px;color:var(--muted);font-weight:600}
.big{font-size:26px;font-weight:700;line-height:1.1}
.stat-list{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px 14px}
.lights{display:flex;gap:10px}
.lights .lamp-card{flex:1;border-radius:6px;padding:6px 10px;background:color-mix(in srgb,var(--light) 12%,#fff);border:1px solid color-mix(in srgb,var(--light) 45%,#fff)}
.lamp-card .big{color:color-mix(in srgb,var(--light) 80%,#000)}
.late-units{margin:0;padding:0;list-style:none;font-size:13px}
.late-units li{display:flex;justify-content:space-between;border-bottom:1px dashed var(--line);padding:2px 0}
.late-units .n{color:#b3261e;font-weight:600}
.muted{color:var(--muted)}
.small{font-size:12px;margin:10px 0 0}
${stageRules}
${lightRules}
.stage{display:inline-flex;align-items:center;gap:4px;white-space:nowrap;font-size:12px;font-weight:600;color:var(--c);border:1px solid color-mix(in srgb,var(--c) 40%,#fff);background:color-mix(in srgb,var(--c) 8%,#fff);border-radius:10px;padding:0 8px 0 6px}
svg.icon{flex:none}
.light{display:inline-flex;align-items:center;gap:4px;white-space:nowrap;font-size:13px}
.light .lamp{width:12px;height:12px;border-radius:50%;background:var(--light);box-shadow:0 0 0 2px color-mix(in srgb,var(--light) 25%,#fff)}
.light b{color:color-mix(in srgb,var(--light) 75%,#000)}
${TIMELINE_CSS}
${BOARD_CSS}
h3.month{font-size:14px;margin:14px 0 6px;color:var(--muted)}
ol.notices{list-style:none;margin:0;padding:0;border-top:1px solid var(--line)}
details.notice{border-bottom:1px solid var(--line)}
details.notice>summary{cursor:pointer;display:grid;grid-template-columns:32px 130px 96px 1fr;column-gap:8px;align-items:baseline;padding:7px 4px;list-style:none}
details.notice>summary::-webkit-details-marker{display:none}
details.notice>summary:hover{background:#f7f9fc}
details.notice[open]>summary{background:#eef3fa}
.n-seq{color:#9aa0a6;font-size:12px;text-align:right}
.n-seq::after{content:" ▸"}
details[open] .n-seq::after{content:" ▾"}
summary time{font-variant-numeric:tabular-nums;color:#333}
.n-subject{font-weight:600;overflow-wrap:anywhere}
.n-line{grid-column:4;font-size:12px;color:var(--muted)}
.n-line .n-milestone::after{content:"｜";margin:0 4px;color:#c3c7cc}
.notice-body{padding:6px 12px 14px 44px}
.notice-body dl{display:grid;grid-template-columns:90px 1fr;gap:2px 10px;margin:0 0 10px;font-size:13px}
.notice-body dt{color:var(--muted)}
.notice-body dd{margin:0;overflow-wrap:anywhere}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px;background:#f3f4f6;border-radius:3px;padding:0 3px}
.bodies{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.bodies h4{margin:0 0 4px;font-size:12px;color:var(--muted)}
pre.mail-text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;background:#fbfbfc;border:1px solid var(--line);border-radius:6px;padding:10px;font:13px/1.6 ${FONTS};max-height:260px;overflow:auto}
iframe.mail-html{width:100%;height:260px;border:1px solid var(--line);border-radius:6px;background:#fff;resize:vertical}
section.card.alert{border:2px solid #d64541;background:#fff6f5}
section.card.alert>h2{color:#a3231f;border-left-color:#d64541}
section.card.alert h3{font-size:14px;margin:12px 0 6px;color:#a3231f}
table.failures{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
table.failures th,table.failures td{border:1px solid #f0c9c6;padding:4px 8px;text-align:left;vertical-align:top}
table.failures thead th{background:#fde8e6;font-weight:600}
table.failures td code{overflow-wrap:anywhere}
tr.undelivered td{color:#5c1a17}
.cell-meta.undelivered,.undelivered-badge{color:#a3231f;font-weight:700}
.undelivered-badge{border:1px solid #d64541;border-radius:3px;padding:0 4px;margin:0 4px;font-size:12px}
nav.toc a.toc-alert{background:#fff;color:#a3231f;font-weight:700;border-radius:4px;padding:0 6px;border:none}
.failed-count{color:#b3261e}
footer{color:var(--muted);font-size:12px;text-align:center;padding:8px 0 24px}
@media (max-width:900px){.summary{grid-template-columns:1fr}.bodies{grid-template-columns:1fr}}
@media print{header.top{background:none;color:#000}nav.toc{display:none}section.card{break-inside:avoid}}
`;
