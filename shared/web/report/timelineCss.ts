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
