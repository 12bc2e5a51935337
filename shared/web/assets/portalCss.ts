import { LIGHT, LIGHT_ORDER } from '../../domain/board/lights.js';

/**
 * The portal's one stylesheet, served from the portal itself (`/assets/portal.css`): the CSP allows only
 * 'self', and government desktops may not reach any CDN. Mobile first (375 px), a readable 16–18 px body,
 * visible focus, contrast above 4.5:1, 仿宋/黑体 with fallbacks, and a print layout.
 */
const lights = LIGHT_ORDER.map(
  (s) =>
    `.light.${LIGHT[s].className} .lamp{background:${LIGHT[s].color}}.tag.${LIGHT[s].className}{border-color:${LIGHT[s].color}}`,
).join('');

export const PORTAL_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:17px/1.7 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;color:#1b1b1b;background:#f4f4f2}
a{color:#0b4f9c}a:hover{color:#073463}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #ffbf47;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#ffbf47;padding:6px;z-index:9}
header.top{background:#9e1b1b;color:#fff;padding:10px 16px}
header.top .org{font-size:14px;opacity:.9;margin:0}
header.top .title{font-size:19px;font-weight:700;margin:0}
main{max-width:880px;margin:0 auto;padding:16px}
h1{font-size:26px;line-height:1.3;margin:8px 0 4px}
h2{font-size:21px;margin:0 0 8px}
h3{font-size:18px;margin:16px 0 6px}
.lead{color:#444;margin:0 0 16px}
.card{background:#fff;border:1px solid #d6d6d2;border-radius:6px;padding:16px;margin:0 0 16px}
.card header{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start;justify-content:space-between}
dl.facts{display:grid;grid-template-columns:6.5em 1fr;gap:2px 12px;margin:8px 0}
dl.facts dt{color:#555}dl.facts dd{margin:0;overflow-wrap:anywhere}
.light{display:inline-flex;align-items:center;gap:6px;white-space:nowrap;font-weight:600}
.lamp{display:inline-block;width:14px;height:14px;border-radius:50%;border:1px solid rgba(0,0,0,.25)}
.tag{display:inline-block;border:2px solid #888;border-radius:4px;padding:0 8px;font-size:15px}
${lights}
.stages{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:6px}
.stages li{background:#eef2f7;border-radius:4px;padding:2px 8px;font-size:15px}
table{border-collapse:collapse;width:100%;font-size:15px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e3df;vertical-align:top}
th{color:#444;font-weight:600;white-space:nowrap}
td.when,td.stage{white-space:nowrap}
.done{color:#1d6b34;font-weight:600}
.undelivered{color:#a3231f;font-weight:600}
.button{display:inline-block;white-space:nowrap;font:inherit;font-weight:600;border:0;border-radius:4px;padding:8px 18px;background:#1d6b34;color:#fff;cursor:pointer;text-decoration:none;box-shadow:0 2px 0 #0f3b1c;min-height:44px}
.button:hover{background:#155226;color:#fff}
.button.secondary{background:#e7e7e3;color:#1b1b1b;box-shadow:0 2px 0 #a9a9a5}
.button.small{padding:4px 12px;min-height:36px;font-size:15px}
.button.warning{background:#b3261e;box-shadow:0 2px 0 #6d1712}
form.inline{display:inline}
.field{margin:0 0 18px}
.field label,.field legend{display:block;font-weight:600;margin-bottom:2px}
.hint{display:block;color:#555;font-size:15px;margin-bottom:4px}
input[type=text],input[type=tel],select,textarea{font:inherit;width:100%;max-width:32em;border:2px solid #1b1b1b;border-radius:0;padding:6px;background:#fff}
textarea{min-height:7em}
input[type=file]{font:inherit;max-width:100%}
.field.error{border-left:4px solid #b3261e;padding-left:12px}
.field.error input,.field.error textarea,.field.error select{border-color:#b3261e}
.error-message{display:block;color:#b3261e;font-weight:600}
.error-summary{border:4px solid #b3261e;padding:12px 16px;margin:0 0 20px;background:#fff}
.error-summary h2{color:#b3261e;font-size:19px}
.error-summary ul{margin:0;padding-left:1.2em}
.notice-panel{background:#1d6b34;color:#fff;padding:16px;border-radius:6px;margin:0 0 16px}
.notice-panel h1{margin:0;color:#fff}
.flash{background:#e8f3eb;border-left:5px solid #1d6b34;padding:8px 12px;margin:0 0 16px}
.warning-text{border-left:5px solid #b3261e;padding:4px 12px;background:#fff}
.check dl{display:grid;grid-template-columns:7em 1fr;gap:4px 12px}
.check dd{margin:0;overflow-wrap:anywhere}
.files{list-style:none;padding:0;margin:8px 0}
.files li{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between;border-bottom:1px solid #e3e3df;padding:6px 0;overflow-wrap:anywhere}
.progress{height:8px;background:#ddd;border-radius:4px;overflow:hidden}.progress>span{display:block;height:100%;background:#1d6b34;width:0}
footer.page{max-width:880px;margin:24px auto;padding:0 16px;color:#555;font-size:14px}
details summary{cursor:pointer;color:#0b4f9c}
.basis{color:#444;font-size:15px;margin:6px 0 0}
@media (max-width:480px){body{font-size:16px}h1{font-size:22px}dl.facts{grid-template-columns:1fr}table thead{display:none}table td{display:block;border:0;padding:2px 0}table tr{display:block;border-bottom:1px solid #e3e3df;padding:6px 0}}
@media print{header.top{background:none;color:#000;border-bottom:2px solid #9e1b1b}.button,form,.skip{display:none!important}body{background:#fff}.card{break-inside:avoid;border-color:#999}}
`.trim();
