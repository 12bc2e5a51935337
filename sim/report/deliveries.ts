import { DELIVERY_LABEL, describeRecipients } from '../../shared/domain/delivery/officeNotice.js';
import { ADDRESS_ROLE_LABEL } from '../../shared/domain/delivery/recipients.js';
import { escapeHtml } from '../../shared/domain/notices/escape.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import type { NoticeRecord } from '../../shared/domain/ports.js';
import { namesOf, wallMinute } from '../../shared/web/report/format.js';
import { stageBadge } from './notices.js';

/** A notice whose delivery failed, as the report shows it. */
export type DeliveryFailure = Pick<
  NoticeRecord,
  | 'milestone'
  | 'stage'
  | 'fireAt'
  | 'units'
  | 'unit'
  | 'role'
  | 'delivery'
  | 'deliveryReason'
  | 'failedRecipients'
  | 'messageId'
>;

/** What the office does about each kind of failure. */
const WHAT_TO_DO: Record<string, string> = {
  bounced:
    '核实地址并更新联系方式（calendar set-contacts），电话告知该单位本次通知内容；地址已被列入抑制名单，若仍用原地址须先移出。',
  complained: '对方将通知标记为垃圾邮件：电话联系该单位，确认收件地址与渠道；该地址已被列入抑制名单。',
  suppressed:
    '该地址在 SES 抑制名单中，通知未发出：核实并更新地址，或确认无误后将其移出抑制名单（aws sesv2 delete-suppressed-destination）。',
};

/**
 * 投递失败 — the red section listing every notice SES could not deliver: when, which milestone and
 * stage, whose address (unit and role), what SES said, and what the office should do. The office
 * also got a message about each (the events function's, or dispatch's for a suppressed address).
 */
export function renderDeliveryFailures(plan: Plan, failures: readonly DeliveryFailure[] | undefined): string {
  if (!failures || failures.length === 0) return '';
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const titles = new Map(plan.milestones.map((m) => [m.id, m.title]));
  const rows = [...failures]
    .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || a.unit.localeCompare(b.unit))
    .map((f) => {
      const who = describeRecipients(plan, f.failedRecipients ?? [])
        .map(
          (r) =>
            `${escapeHtml(r.name)}（${escapeHtml(ADDRESS_ROLE_LABEL[r.role])}）${r.address ? `<br><code>${escapeHtml(r.address)}</code>` : ''}`,
        )
        .join('<br>');
      const what = f.delivery ? DELIVERY_LABEL[f.delivery] : '';
      return `<tr class="undelivered"><td><time datetime="${escapeHtml(f.fireAt)}">${escapeHtml(wallMinute(f.fireAt))}</time></td><td>${escapeHtml(titles.get(f.milestone) ?? f.milestone)}</td><td>${stageBadge(f.stage)}</td><td>${escapeHtml(namesOf(f.units, names).join('、'))}</td><td>${who}</td><td><b>${escapeHtml(what)}</b>${f.deliveryReason ? `<br><code>${escapeHtml(f.deliveryReason)}</code>` : ''}</td><td>${escapeHtml(WHAT_TO_DO[f.delivery ?? ''] ?? '')}</td></tr>`;
    })
    .join('\n');
  return `<section class="card alert" id="undelivered" role="alert">
<h2>投递失败：${failures.length} 封通知未送达收件人</h2>
<p class="note">以下通知已交 SES 发送（或因地址在抑制名单中未发出），但未送达所列收件人。协调小组已收到逐条告知邮件；看板上相应单位旁标有“投递失败”。请按“处理建议”尽快处理，避免单位因未收到通知而逾期。</p>
<table class="failures"><thead><tr><th scope="col">计划发送时间</th><th scope="col">时间节点</th><th scope="col">环节</th><th scope="col">涉及单位</th><th scope="col">未送达的收件人</th><th scope="col">结果</th><th scope="col">处理建议</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
}
