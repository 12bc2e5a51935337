/**
 * One notice as a 公文 (GB/T 9704-2012), as structured parts: 发文机关标志, 发文字号, 标题, 主送机关, 正文,
 * 发文机关署名, 成文日期, 附注, 抄送机关 — and, outside the document, a footer (that the mail was sent
 * automatically, what its attachment is). Plain text and HTML are rendered from the same parts in the same
 * order (documentHtml.ts), so the two never disagree.
 */
export interface NoticeDocument {
  /** 信函格式 (a 函: the number under the header, on the right) or 文件格式 (通报, 通知: centered). */
  readonly format: 'letter' | 'file';
  /** 发文机关: the issuer's organ, then each 联合发文 organ. */
  readonly organs: readonly string[];
  /** 发文字号, or the slot the worker fills with it (docNumber.ts); absent for an unnumbered issuer. */
  readonly docNumber?: string;
  /** 标题 (at most 40 characters). */
  readonly title: string;
  /** 主送机关: the units the email is addressed to, by name. */
  readonly mainTo: readonly string[];
  /** 正文, in order. */
  readonly body: readonly Block[];
  /** 成文日期, e.g. `2021年6月1日`. */
  readonly date: string;
  /** 附注, e.g. `联系人：…，电话：…` (printed in brackets). */
  readonly note?: string;
  /** 抄送机关: the units the email is copied to, by name. */
  readonly cc: readonly string[];
  /** Outside the document: how the mail was sent, what is attached. */
  readonly footer: readonly string[];
}

/** A paragraph of the 正文 (with a 黑体 lead such as `一、约谈时间：`), a numbered list, or a link. */
export type Block =
  | { readonly p: string; readonly head?: string }
  | { readonly list: readonly string[] }
  | { readonly link: string; readonly hint: string; readonly label: string };

/** The subject of the email: the title, and the number after it. */
export const subjectOf = (doc: Pick<NoticeDocument, 'title' | 'docNumber'>) =>
  doc.docNumber === undefined ? doc.title : `${doc.title}（${doc.docNumber}）`;

/** A page line of GB/T 9704: 28 characters; the text form right-aligns the signature to it. */
const LINE = 28;
const RULE = '─'.repeat(LINE);

/** Width in full-width characters: ASCII counts as half. */
const width = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) < 0x80 ? 0.5 : 1), 0);
const right = (s: string, indent = 2) => `${'　'.repeat(Math.max(0, Math.round(LINE - indent - width(s))))}${s}`;

/** `抄送：市政府，市发展改革局。` — 抄送机关 separated by full-width commas, ending with a full stop. */
export const ccLine = (cc: readonly string[]) => `抄送：${cc.join('，')}。`;

/** `蓬江区人民政府、江海区人民政府：` */
export const mainToLine = (mainTo: readonly string[]) => `${mainTo.join('、')}：`;

export function renderText(doc: NoticeDocument): string {
  const lines: string[] = [];
  if (doc.format === 'file' && doc.organs.length === 1) lines.push(`${doc.organs[0]}文件`);
  else lines.push(...doc.organs, ...(doc.format === 'file' ? ['文件'] : []));
  if (doc.docNumber !== undefined) lines.push(doc.format === 'letter' ? right(doc.docNumber, 0) : doc.docNumber);
  lines.push(RULE, '', doc.title, '', mainToLine(doc.mainTo));
  for (const block of doc.body) {
    if ('p' in block) lines.push(`　　${block.head ?? ''}${block.p}`);
    else if ('list' in block) lines.push(...block.list.map((item, i) => `　　${i + 1}. ${item}`));
    else lines.push(`　　${block.hint}`, `　　${block.link}`);
  }
  lines.push('', '');
  for (const organ of doc.organs) lines.push(right(organ));
  lines.push(right(doc.date));
  if (doc.note) lines.push(`　　（${doc.note}）`);
  if (doc.cc.length > 0) lines.push('', RULE, ccLine(doc.cc), RULE);
  if (doc.footer.length > 0) lines.push('', ...doc.footer);
  return lines.join('\n');
}
