import { recordAudit } from '../calendar/audit.js';
import { UnknownReferenceError } from '../errors.js';
import { escapeHtml } from '../notices/escape.js';
import type { CalendarStore, Clock, Mailer } from '../ports.js';
import { type PortalLinks, unitLinkUrl } from './unitLink.js';

/**
 * 重发专用链接: mails a unit a fresh personal link; with `rotate`, every link sent before is refused first (a
 * link that reached the wrong mailbox). Audited with who asked.
 */
export async function resendUnitLink(
  deps: { calendar: CalendarStore; mailer: Mailer; clock: Clock; portal: PortalLinks },
  ids: { plan: string; unit: string },
  options: { rotate: boolean },
  actor: string,
): Promise<{ version: number }> {
  const plan = await deps.calendar.loadPlan(ids.plan);
  const unit = plan?.units.find((u) => u.id === ids.unit);
  if (!plan || !unit) throw new UnknownReferenceError(`plan "${ids.plan}" has no unit "${ids.unit}"`, 'unit');
  const before = plan.linkVersions?.[unit.id] ?? 1;
  const version = options.rotate ? await deps.calendar.rotateLink(plan.id, unit.id) : before;
  const link = await unitLinkUrl(
    deps.portal,
    { ...plan, linkVersions: { ...plan.linkVersions, [unit.id]: version } },
    unit.id,
    deps.clock.now(),
  );
  await recordAudit(
    deps,
    plan.id,
    actor,
    options.rotate ? 'rotateLink' : 'resendLink',
    `unit:${unit.id}`,
    { version: before },
    { version },
  );
  await deps.mailer.send({
    to: [unit.email],
    cc: [],
    subject: `【${plan.title}】贵单位督办专用链接`,
    text: `${unit.name}：\n\n应贵单位或督办办公室要求，现重新发送贵单位在督办系统的专用链接：\n${link}\n\n请妥善保管，勿转发。${options.rotate ? '此前发送的链接已停用。' : ''}\n\n${plan.ladder.coordinator.name}`,
    html: `<p>${escapeHtml(unit.name)}：</p><p>应贵单位或督办办公室要求，现重新发送贵单位在督办系统的专用链接：</p><p><a href="${link}">${link}</a></p><p>请妥善保管，勿转发。${options.rotate ? '此前发送的链接已停用。' : ''}</p><p>${escapeHtml(plan.ladder.coordinator.name)}</p>`,
  });
  return { version };
}
