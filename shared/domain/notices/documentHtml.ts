import { ccLine, mainToLine, type NoticeDocument, subjectOf } from './document.js';
import { escapeHtml as e } from './escape.js';

/**
 * The HTML body of a notice laid out as a 公文: the red 发文机关标志 (小标宋) with the red rule, the 文号, the
 * centered title, 主送, the indented 正文 (仿宋, leads in 黑体), 署名 and 成文日期 on the right, 附注, and
 * 抄送 at the foot between rules; then, outside the document, the footer. Inline styles only (mail clients
 * drop style sheets); each font has fallbacks, since few readers have 方正小标宋 installed. Every value is
 * escaped.
 */
const FANGSONG = "'FangSong','仿宋','STFangsong','仿宋_GB2312','Songti SC',serif";
const HEITI = "'SimHei','黑体','Heiti SC','STHeiti','Microsoft YaHei',sans-serif";
const XIAOBIAOSONG = "'FZXiaoBiaoSong-B05S','方正小标宋简体','STZhongsong','华文中宋','SimSun','Songti SC',serif";
const RED = '#c00';

const font = (family: string) => `font-family:${family}`;

function header(doc: NoticeDocument): string {
  const style = `text-align:center;color:${RED};${font(XIAOBIAOSONG)};font-size:28px;line-height:1.35;letter-spacing:1px;margin:0`;
  const organs = doc.organs.map(e);
  if (doc.format === 'letter') return `<p style="${style}">${organs.join('<br>')}</p>`;
  if (organs.length === 1) return `<p style="${style}">${organs[0]}文件</p>`;
  // 联合行文: the organs one above the other, 文件 beside them.
  return [
    `<table role="presentation" style="margin:0 auto;border-collapse:collapse;color:${RED};${font(XIAOBIAOSONG)};font-size:26px;line-height:1.35"><tr>`,
    `<td style="text-align:justify;padding:0 8px 0 0">${organs.join('<br>')}</td>`,
    `<td style="vertical-align:middle;font-size:34px;padding:0">文件</td></tr></table>`,
  ].join('');
}

function number(doc: NoticeDocument): string {
  if (doc.docNumber === undefined) return '';
  const align = doc.format === 'letter' ? 'right' : 'center';
  return `<p style="text-align:${align};margin:8px 0 0">${e(doc.docNumber)}</p>`;
}

function body(doc: NoticeDocument): string {
  const indent = 'text-indent:2em;margin:0';
  return doc.body
    .map((block) => {
      if ('p' in block) {
        const head = block.head ? `<span style="${font(HEITI)}">${e(block.head)}</span>` : '';
        return `<p style="${indent}">${head}${e(block.p)}</p>`;
      }
      if ('list' in block)
        return `<ol style="margin:0;padding-left:4em">${block.list.map((i) => `<li>${e(i)}</li>`).join('')}</ol>`;
      return [
        `<p style="${indent}">${e(block.hint)}</p>`,
        `<p style="margin:6px 0 6px 2em"><a href="${e(block.link)}" style="display:inline-block;padding:6px 16px;background:${RED};color:#fff;text-decoration:none;border-radius:4px;${font(HEITI)}">${e(block.label)}</a><br>`,
        `<span style="font-size:13px;color:#555;word-break:break-all">${e(block.link)}</span></p>`,
      ].join('');
    })
    .join('\n');
}

export function renderHtml(doc: NoticeDocument): string {
  const rule = `border:0;border-top:2px solid ${RED};margin:${doc.format === 'letter' ? '6px' : '10px'} 0 0`;
  return [
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${e(subjectOf(doc))}</title></head>`,
    `<body style="margin:0;padding:12px;background:#f4f4f4">`,
    `<div style="max-width:640px;margin:0 auto;padding:28px 20px;background:#fff;color:#000;${font(FANGSONG)};font-size:16px;line-height:1.9;word-wrap:break-word">`,
    header(doc),
    doc.format === 'file' ? number(doc) : '',
    `<hr style="${rule}">`,
    doc.format === 'letter' ? number(doc) : '',
    `<h1 style="text-align:center;${font(XIAOBIAOSONG)};font-size:22px;font-weight:normal;line-height:1.5;margin:20px 0">${e(doc.title)}</h1>`,
    `<p style="margin:0">${e(mainToLine(doc.mainTo))}</p>`,
    body(doc),
    `<p style="text-align:right;margin:32px 2em 0 0">${[...doc.organs, doc.date].map(e).join('<br>')}</p>`,
    doc.note ? `<p style="text-indent:2em;margin:12px 0 0">（${e(doc.note)}）</p>` : '',
    doc.cc.length > 0
      ? `<p style="margin:32px 0 0;padding:4px 1em;border-top:1px solid #000;border-bottom:1px solid #000;font-size:14px">${e(ccLine(doc.cc))}</p>`
      : '',
    '</div>',
    doc.footer.length > 0
      ? `<p style="max-width:640px;margin:12px auto 0;font-size:12px;line-height:1.6;color:#666;font-family:sans-serif">${doc.footer.map(e).join('<br>')}</p>`
      : '',
    '</body></html>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}
