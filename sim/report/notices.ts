import { DELIVERY_LABEL } from '../../shared/domain/delivery/officeNotice.js';
import { escapeHtml } from '../../shared/domain/notices/escape.js';
import { phrased } from '../../shared/domain/notices/wording.js';
import type { Milestone, Plan } from '../../shared/domain/plan/schema.js';
import { byStageOrder, NOTICE_LABEL, type NoticeKind } from '../../shared/domain/plan/stages.js';
import { FAILED_DELIVERIES } from '../../shared/domain/ports.js';
import { namesOf, shortList, wallMinute } from '../../shared/web/report/format.js';
import { stageIcon } from '../../shared/web/report/stages.js';
import type { SimulatedNotice } from '../result.js';

/** A stage badge: the timeline's shape and colour plus the Chinese label. */
export function stageBadge(stage: NoticeKind): string {
  return `<span class="stage stage-${stage}">${stageIcon(stage)}${escapeHtml(NOTICE_LABEL[stage] ?? stage)}</span>`;
}

/**
 * Every notice in time order, grouped by month. Each one folds open (plain `<details>`, no script)
 * to its recipients and bodies. The HTML body goes into a sandboxed iframe's `srcdoc`, escaped as an
 * attribute: it is rendered as an email would be, but can neither run script nor touch this page.
 */
export function renderNotices(plan: Plan, notices: readonly SimulatedNotice[]): string {
  if (notices.length === 0) return '<p class="empty">本次模拟未发出任何通知。</p>';
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const milestones = new Map(plan.milestones.map((m) => [m.id, m]));
  const sorted = notices
    .map((n, i) => ({ n, i, t: Date.parse(n.at) }))
    .sort((a, b) => a.t - b.t || byStageOrder(a.n.stage, b.n.stage) || a.i - b.i);

  const out: string[] = [];
  let month = '';
  sorted.forEach(({ n }, i) => {
    const m = /^(\d{4})-(\d{2})/.exec(n.at);
    const key = m ? `${m[1]}年${Number(m[2])}月` : '';
    if (key !== month) {
      if (month !== '') out.push('</ol>');
      out.push(`<h3 class="month">${escapeHtml(key)}</h3><ol class="notices">`);
      month = key;
    }
    out.push(renderNotice(n, i + 1, names, milestones));
  });
  out.push('</ol>');
  return out.join('\n');
}

function renderNotice(
  n: SimulatedNotice,
  seq: number,
  names: ReadonlyMap<string, string>,
  milestones: ReadonlyMap<string, Milestone>,
): string {
  const units = namesOf(n.units, names);
  const ms = milestones.get(n.milestone);
  const milestone = ms?.title ?? n.milestone;
  const recipient = ms ? (names.get(ms.recipient) ?? ms.recipient) : '';
  const addresses = (list: readonly string[]) =>
    list.length === 0
      ? '<span class="muted">（无）</span>'
      : list.map((a) => `<code>${escapeHtml(a)}</code>`).join(' ');

  const text =
    n.text === undefined
      ? '<p class="muted">未附纯文本正文。</p>'
      : `<pre class="mail-text">${escapeHtml(n.text)}</pre>`;
  const html =
    n.html === undefined
      ? '<p class="muted">未附 HTML 正文。</p>'
      : `<iframe class="mail-html" sandbox="" loading="lazy" referrerpolicy="no-referrer" title="${escapeHtml(`HTML 正文：${n.subject}`)}" srcdoc="${escapeHtml(n.html)}"></iframe>`;

  return `<li><details class="notice" id="notice-${seq}">
<summary><span class="n-seq">${seq}</span><time datetime="${escapeHtml(n.at)}">${escapeHtml(wallMinute(n.at))}</time>${stageBadge(n.stage)}${deliveryBadge(n)}<span class="n-subject">${escapeHtml(n.subject)}</span><span class="n-line"><span class="n-milestone">${escapeHtml(milestone)}</span><span class="n-units">${escapeHtml(shortList(units))}</span></span></summary>
<div class="notice-body">
<dl>
<dt>时间节点</dt><dd>${escapeHtml(milestone)} <code>${escapeHtml(n.milestone)}</code></dd>
${ms ? `<dt>截止时间</dt><dd>${escapeHtml(ms.deadline)}，报送${escapeHtml(recipient)}：${escapeHtml(phrased(ms.deliverable))}</dd>` : ''}
<dt>涉及单位</dt><dd>${escapeHtml(units.join('、'))}</dd>
<dt>收件人</dt><dd>${addresses(n.to)}</dd>
<dt>抄送</dt><dd>${addresses(n.cc)}</dd>
<dt>Message-ID</dt><dd>${n.messageId ? `<code>${escapeHtml(n.messageId)}</code>` : '（未交 SES：地址在抑制名单中）'}</dd>
${n.delivery ? `<dt>投递结果</dt><dd>${escapeHtml(DELIVERY_LABEL[n.delivery])}</dd>` : ''}
</dl>
<div class="bodies"><section><h4>纯文本正文</h4>${text}</section><section><h4>HTML 正文（沙箱预览）</h4>${html}</section></div>
</div>
</details></li>`;
}

/** A red 投递失败 mark on a notice that did not reach someone. */
function deliveryBadge(n: SimulatedNotice): string {
  if (!n.delivery || !FAILED_DELIVERIES.includes(n.delivery)) return '';
  return `<span class="undelivered-badge" title="${escapeHtml(DELIVERY_LABEL[n.delivery])}">投递失败</span>`;
}
