import { chineseDateTime } from '../notices/chineseDate.js';
import { escapeHtml } from '../notices/escape.js';
import { unitIndex } from '../plan/ladder.js';
import type { Plan } from '../plan/schema.js';
import { NOTICE_LABEL } from '../plan/stages.js';
import type { DeliveryReport, DeliveryStatus, NoticeKey, OutgoingEmail } from '../ports.js';
import { formatInZone } from '../time/wallClock.js';
import { ADDRESS_ROLE_LABEL, type AddressRole, parseRecipientId } from './recipients.js';

/** 投递结果 as the office reads it. */
export const DELIVERY_LABEL: Record<DeliveryStatus, string> = {
  delivered: '已送达',
  bounced: '退信',
  complained: '被收件方标记为垃圾邮件',
  suppressed: '地址在 SES 抑制名单中，未发送',
  delayed: '投递延迟，SES 仍在重试',
};

type PlanView = Pick<Plan, 'id' | 'title' | 'timezone' | 'units' | 'ladder' | 'milestones'>;

/** One failed recipient as the office must hear of it: unit, role and the address that failed. */
export interface FailedRecipient {
  readonly unit: string;
  /** The unit's name, or 协调小组 / 地址已不在计划中. */
  readonly name: string;
  readonly role: AddressRole;
  readonly address?: string;
}

export function describeRecipients(plan: PlanView, ids: readonly string[]): FailedRecipient[] {
  const units = unitIndex(plan);
  return ids.map((id) => {
    const { unit, role } = parseRecipientId(id);
    const u = units.get(unit);
    if (role === 'coordinator') {
      return { unit, name: plan.ladder.coordinator.name, role, address: plan.ladder.coordinator.email };
    }
    if (!u) return { unit, name: unit === '*' ? '（地址已不在计划中）' : unit, role };
    const address = role === 'head' ? u.head.email : role === 'supervisor' ? u.supervisor.email : u.email;
    return { unit, name: u.name, role, address };
  });
}

/**
 * 投递失败告知 — the message to the plan's coordinating group (the office that chases the units and
 * keeps their contacts) when a notice did not reach someone: which notice, which unit and whose
 * address, what SES said, and what to do. It is the office that can fix an address and phone the unit.
 */
export function officeNotice(
  plan: PlanView,
  key: NoticeKey,
  report: DeliveryReport,
  recipients: readonly string[],
): OutgoingEmail {
  const milestone = plan.milestones.find((m) => m.id === key.milestone);
  const title = milestone?.title ?? key.milestone;
  const stage = NOTICE_LABEL[key.stage] ?? key.stage;
  const failed = describeRecipients(plan, recipients);
  const who = failed.map((f) => `${f.name}${ADDRESS_ROLE_LABEL[f.role]}`).join('、');
  const what = DELIVERY_LABEL[report.delivery];
  const subject = `【投递失败】“${title}”${stage}通知未送达${who}`;
  const lines = failed.map(
    (f) =>
      `${f.name}（${ADDRESS_ROLE_LABEL[f.role]}${f.address ? `，${f.address}` : ''}）：${what}${report.reason ? `（${report.reason}）` : ''}`,
  );
  const steps = [
    '核实上述地址是否正确、是否仍在使用；',
    `更正后在督办系统中更新联系方式：npm run -s cli -- calendar set-contacts ${plan.id} <单位> --email …（主要负责人 --head-email，分管领导 --supervisor-email）；`,
    '以电话等方式将本次通知内容告知该单位，避免其因未收到通知而逾期；',
    ...(report.delivery === 'delayed'
      ? []
      : [
          '退信或投诉的地址已由 SES 列入账户抑制名单，此后发往该地址的通知不会发出；若核实后仍需使用原地址，先将其移出：aws sesv2 delete-suppressed-destination --email-address <地址>。',
        ]),
  ];
  const intro = `${chineseDateTime(key.occurrence)}发出的“${title}”${stage}通知未能送达以下收件人：`;
  const when = formatInZone(report.at, plan.timezone).replace('T', ' ').slice(0, 16);
  const text = [
    `${plan.ladder.coordinator.name}：`,
    '',
    `　　${intro}`,
    '',
    ...lines.map((l, i) => `　　${i + 1}. ${l}`),
    '',
    '　　请尽快处理：',
    ...steps.map((s, i) => `　　（${i + 1}）${s}`),
    '',
    `计划：${plan.title}（${plan.id}）`,
    `事项：${title}（${key.milestone}），环节：${stage}`,
    `SES 回报时间：${when}`,
    '',
    '（本邮件由督办系统在收到 SES 投递事件后自动发送。）',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${e(subject)}</title></head><body>
<p>${e(plan.ladder.coordinator.name)}：</p>
<p>${e(intro)}</p>
<ol>${lines.map((l) => `<li style="color:#b3261e">${e(l)}</li>`).join('')}</ol>
<p>请尽快处理：</p>
<ol>${steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>
<p>计划：${e(plan.title)}（<code>${e(plan.id)}</code>）<br>事项：${e(title)}（<code>${e(key.milestone)}</code>），环节：${e(stage)}<br>SES 回报时间：${e(when)}</p>
<p style="color:#555">（本邮件由督办系统在收到 SES 投递事件后自动发送。）</p>
</body></html>`;
  return { to: [plan.ladder.coordinator.email], cc: [], subject, text, html };
}
