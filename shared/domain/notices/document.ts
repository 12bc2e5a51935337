import { escapeHtml } from './escape.js';

/**
 * One notice as structured content, rendered to plain text and to HTML from the same parts so the
 * two never disagree. Every value is escaped in the HTML form.
 */
export interface NoticeDocument {
  readonly subject: string;
  /** 称谓, e.g. `蓬江区人民政府：`. */
  readonly salutation: string;
  readonly paragraphs: readonly string[];
  /** Numbered list (the units a circular names). */
  readonly list?: readonly string[];
  /** Paragraphs after the list. */
  readonly closing?: readonly string[];
  readonly facts: readonly (readonly [label: string, value: string])[];
  /** The unit's personal link (签收 and 报送 online): only in a notice addressed to that unit alone. */
  readonly link?: string;
  /** The plan's sentence this obligation comes from. */
  readonly basis: string;
  readonly signature: string;
  readonly date: string;
}

/** What the personal link is for, and that it is the unit's alone. */
export const LINK_HINT = '请通过贵单位专用链接签收本通知并在线报送材料（链接仅供贵单位使用，请勿转发）：';

export function renderText(doc: NoticeDocument): string {
  const lines = [doc.salutation, ''];
  for (const p of doc.paragraphs) lines.push(`　　${p}`, '');
  if (doc.list) {
    doc.list.forEach((item, i) => {
      lines.push(`　　${i + 1}. ${item}`);
    });
    lines.push('');
  }
  for (const p of doc.closing ?? []) lines.push(`　　${p}`, '');
  for (const [label, value] of doc.facts) lines.push(`${label}：${value}`);
  if (doc.link) lines.push('', `${LINK_HINT}`, doc.link);
  lines.push('', `依据：${doc.basis}`, '', doc.signature, doc.date, '');
  lines.push('（本邮件由督办系统根据工作计划时间节点自动发送，已报送的单位不会再收到本事项的提醒。）');
  return lines.join('\n');
}

export function renderHtml(doc: NoticeDocument): string {
  const e = escapeHtml;
  const list = doc.list ? `<ol>${doc.list.map((item) => `<li>${e(item)}</li>`).join('')}</ol>` : '';
  const facts = doc.facts
    .map(
      ([label, value]) =>
        `<tr><th style="text-align:left;padding:4px 12px 4px 0;white-space:nowrap">${e(label)}</th><td style="padding:4px 0">${e(value)}</td></tr>`,
    )
    .join('');
  return [
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${e(doc.subject)}</title></head>`,
    "<body style=\"font-family:'Songti SC','SimSun',serif;font-size:16px;line-height:1.8;color:#222;max-width:720px\">",
    `<h2 style="text-align:center;color:#b00">${e(doc.subject)}</h2>`,
    `<p>${e(doc.salutation)}</p>`,
    ...doc.paragraphs.map((p) => `<p style="text-indent:2em">${e(p)}</p>`),
    list,
    ...(doc.closing ?? []).map((p) => `<p style="text-indent:2em">${e(p)}</p>`),
    `<table style="border-collapse:collapse;margin:12px 0">${facts}</table>`,
    doc.link
      ? `<p>${e(LINK_HINT)}<br><a href="${e(doc.link)}" style="display:inline-block;margin-top:6px;padding:6px 16px;background:#b00;color:#fff;text-decoration:none;border-radius:4px">签收并在线报送</a><br><span style="font-size:13px;color:#555;word-break:break-all">${e(doc.link)}</span></p>`
      : '',
    `<blockquote style="border-left:3px solid #b00;margin:12px 0;padding:4px 12px;color:#555">依据：${e(doc.basis)}</blockquote>`,
    `<p style="text-align:right">${e(doc.signature)}<br>${e(doc.date)}</p>`,
    '<p style="font-size:12px;color:#888">本邮件由督办系统根据工作计划时间节点自动发送，已报送的单位不会再收到本事项的提醒。</p>',
    '</body></html>',
  ].join('\n');
}
