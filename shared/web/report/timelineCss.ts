/** Fonts that exist on the machines staff use; no web fonts (the report and the portal load nothing else). */
export const FONTS =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif';

/** The timeline's own rules (svgTimeline.ts), shared by the HTML report and the board. */
export const TIMELINE_CSS = `
.timeline-wrap{overflow-x:auto}
svg.timeline{display:block;max-width:100%;height:auto;min-width:1000px;font-family:${FONTS}}
.tl-grid{stroke:#e1e4e8;stroke-width:1}
.tl-grid-minor{stroke:#f0f1f3;stroke-width:1}
.tl-panel{font-size:12px;font-weight:700;fill:#6a717b}
.tl-off{fill:#eceef1;opacity:.8}
.tl-dueday{fill:#fdecea}
.tl-dueday-label{font-size:11px;font-weight:700;fill:#b3261e}
.tl-tally{font-size:12px;font-weight:700}
.tl-tally-green{fill:#2e7d44}
.tl-tally-yellow{fill:#a67c00}
.tl-tally-red{fill:#c0392b}
.tl-month{font-size:12px;fill:#4a5058}
.tl-year{font-size:11px;fill:#8a9099;font-weight:600}
.tl-stripe{fill:#fafbfc}
.tl-rule{stroke:#eceef1}
.tl-label{font-size:13px;font-weight:600;fill:#1f2328}
.tl-meta{font-size:12px;fill:#6a717b}
.tl-band{fill:#eef3fa;stroke:#d6e1f0}
.tl-deadline line,.tl-deadline-legend{stroke:#333;stroke-width:1.6;stroke-dasharray:4 2}
.tl-deadline-head{fill:#333}
.tl-legend{font-size:12px;fill:#333}
.tl-count{font-size:10px;fill:#444}
.tl-missing{font-size:12px;font-weight:700;fill:#c0392b}
.tl-mark,.tl-submission,.tl-deadline{cursor:help}
`.trim();

/** The board's grid (board.ts), shared by the HTML report and the office's board. */
export const BOARD_CSS = `
.board-wrap{overflow-x:auto}
table.board{border-collapse:separate;border-spacing:0;width:100%;font-size:13px}
table.board caption{caption-side:top;text-align:left;color:var(--muted);font-size:12px;padding-bottom:8px}
table.board th,table.board td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top;text-align:left}
table.board thead th{background:#f7f8fa;border-bottom:2px solid #cfd5dc;font-weight:600;min-width:150px}
table.board thead th.corner{min-width:150px;vertical-align:bottom}
.m-title{display:block;line-height:1.35}
.m-meta{display:block;font-weight:400;color:var(--muted);font-size:12px}
.m-tally{display:flex;gap:6px;margin-top:2px}
.tally{font-size:12px;font-weight:600;padding:0 6px;border-radius:8px;background:color-mix(in srgb,var(--light) 16%,#fff);color:color-mix(in srgb,var(--light) 50%,#000)}
table.board tbody th{font-weight:600;white-space:nowrap}
.unit-name{display:block}
.unit-red{display:inline-block;font-size:11px;color:#b3261e;font-weight:600}
td.cell{background:color-mix(in srgb,var(--light, #fff) 7%,#fff)}
td.cell.none{color:#b5bac1;text-align:center;background:#fff}
.cell-meta{display:block;font-size:12px;color:var(--muted)}
`.trim();
