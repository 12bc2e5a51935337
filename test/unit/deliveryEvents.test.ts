import { beforeEach, describe, expect, it } from 'vitest';
import { noticeKeyFromTags, noticeTags } from '../../shared/domain/delivery/noticeTags.js';
import { silentLog } from '../../shared/domain/log.js';
import type { NoticeKey } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { makeDeliveryEventsHandler } from '../../shared/handlers/deliveryEventsHandler.js';
import { InvalidSesEventError } from '../../shared/handlers/sesEvent.js';
import { sesEvent } from '../../sim/faults/sesEvents.js';
import {
  calendarWith,
  FakeLedger,
  FakeMailer,
  FakeSubmissions,
  FakeSuppressionList,
  testPortal,
} from '../support/fakes.js';
import { dispatchAndSend } from '../support/fanOut.js';
import { seedPlan, shanghai } from '../support/seed.js';

const plan = seedPlan();
const COORDINATOR = 'xietiao@gxj.jiangmen.example';
const enping = (stage: NoticeKey['stage'], role: NoticeKey['role'], occurrence: string): NoticeKey => ({
  plan: plan.id,
  milestone: 'district-plans',
  stage,
  occurrence,
  unit: 'enping',
  role,
});

describe('notice keys in SES message tags', () => {
  it('round-trips every key, the circular included, with values SES accepts', () => {
    // Prepare
    const keys: NoticeKey[] = [
      enping('reminder', 'unit', '2021-05-24T09:00:00'),
      { ...enping('circular', 'all', '2021-06-07T10:00:00'), unit: '*' },
    ];

    // Act
    const tags = keys.map(noticeTags);

    // Assess
    for (const t of tags) for (const value of Object.values(t)) expect(value).toMatch(/^[A-Za-z0-9_.@-]{1,256}$/);
    expect(tags[0]).toMatchObject({ 'duban-occurrence': '20210524T090000', 'duban-unit': 'enping' });
    expect(tags[1]).toMatchObject({ 'duban-unit': '_all', 'duban-role': 'all' });
    expect(tags.map((t) => noticeKeyFromTags(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [v]]))))).toEqual(
      keys,
    );
  });

  it('reads no key from mail that is not a notice, or whose tags were tampered with', () => {
    // Act / Assess
    expect(noticeKeyFromTags({ 'ses:configuration-set': ['duban'] })).toBeUndefined();
    const tags = noticeTags(enping('reminder', 'unit', '2021-05-24T09:00:00'));
    expect(noticeKeyFromTags({ ...tags, 'duban-stage': 'party' })).toBeUndefined();
    expect(noticeKeyFromTags({ ...tags, 'duban-occurrence': '2021-05-24T09:00:00' })).toBeUndefined();
  });
});

describe('the SES events handler', () => {
  let ledger: FakeLedger;
  let mailer: FakeMailer;
  let handler: ReturnType<typeof makeDeliveryEventsHandler>;
  const key = enping('reminder', 'unit', '2021-05-24T09:00:00');
  const sent = {
    messageId: 'ses-1',
    sentAt: shanghai('2021-05-24T09:00:01'),
    email: { to: ['office@enping.jiangmen.example'], cc: [], tags: noticeTags(key) },
  };
  const at = shanghai('2021-05-24T09:00:30');

  beforeEach(async () => {
    ledger = new FakeLedger();
    mailer = new FakeMailer();
    const calendar = await calendarWith(plan);
    handler = makeDeliveryEventsHandler({ calendar, ledger, mailer, log: silentLog });
    await ledger.claim(key, { units: ['enping'], to: sent.email.to, cc: [], subject: '提醒', fireAt: '' }, 1, 120_000);
    await ledger.markSent(key, 'ses-1', 2);
  });

  const record = async () => (await ledger.listForMilestone(plan.id, 'district-plans'))[0];

  it('records a bounce on the notice and tells the coordinating group which unit and whose address failed', async () => {
    // Act
    const result = await handler(sesEvent('Bounce', sent, sent.email.to, at));

    // Assess
    expect(result).toEqual({ status: 'recorded', delivery: 'bounced', failed: ['enping#unit'], told: ['enping#unit'] });
    expect(await record()).toMatchObject({
      state: 'sent',
      delivery: 'bounced',
      deliveryAt: at,
      deliveryReason: 'Permanent/General 5.1.1',
      failedRecipients: ['enping#unit'],
    });
    expect(mailer.sent).toHaveLength(1);
    const [office] = mailer.sent;
    expect(office?.to).toEqual([COORDINATOR]);
    expect(office?.subject).toBe(
      '【投递失败】“各市（区）制定本市（区）工作计划并报送备案”提醒通知未送达恩平市人民政府责任单位',
    );
    expect(office?.text).toContain('恩平市人民政府（责任单位，office@enping.jiangmen.example）：退信');
    expect(office?.text).toContain('calendar set-contacts jiangmen-2021');
    expect(office?.tags).toBeUndefined();
  });

  it('tells the office once when SES or EventBridge delivers the same event twice', async () => {
    // Act
    await handler(sesEvent('Bounce', sent, sent.email.to, at));
    const again = await handler(sesEvent('Bounce', sent, sent.email.to, at));

    // Assess
    expect(again).toMatchObject({ told: [] });
    expect(mailer.sent).toHaveLength(1);
  });

  it('records a delivery without a word to anyone, and never lets it hide a later complaint', async () => {
    // Act
    await handler(sesEvent('Delivery', sent, sent.email.to, at));
    const delivered = await record();
    await handler(sesEvent('Complaint', sent, sent.email.to, at + 60_000));

    // Assess
    expect(delivered).toMatchObject({ delivery: 'delivered', deliveryAt: at });
    expect(await record()).toMatchObject({ delivery: 'complained', deliveryReason: 'complaint/abuse' });
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringContaining('【投递失败】')]);
  });

  it('calls a bounce SES made from its suppression list "suppressed", and a delay "delayed"', async () => {
    // Act
    await handler(sesEvent('DeliveryDelay', sent, sent.email.to, at));
    const delayed = await record();
    await handler(sesEvent('Bounce', sent, sent.email.to, at, { bounceSubType: 'OnAccountSuppressionList' }));

    // Assess
    expect(delayed).toMatchObject({ delivery: 'delayed', deliveryReason: 'MailboxFull' });
    expect(await record()).toMatchObject({ delivery: 'suppressed', failedRecipients: ['enping#unit'] });
  });

  it('names the supervisor when the copy of a summons to the supervisor bounces', async () => {
    // Prepare
    const summons = enping('summons', 'head', '2021-06-15T10:00:00');
    const message = {
      messageId: 'ses-2',
      sentAt: at,
      email: {
        to: ['head@enping.jiangmen.example'],
        cc: ['supervisor@enping.jiangmen.example'],
        tags: noticeTags(summons),
      },
    };
    await ledger.claim(
      summons,
      { units: ['enping'], to: message.email.to, cc: message.email.cc, subject: '约谈', fireAt: '' },
      1,
      1,
    );
    await ledger.markSent(summons, 'ses-2', 2);

    // Act
    const result = await handler(sesEvent('Bounce', message, message.email.cc, at));

    // Assess
    expect(result).toMatchObject({ failed: ['enping#supervisor'] });
    expect(mailer.sent[0]?.subject).toContain('恩平市人民政府分管领导');
  });

  it('ignores mail that is not a notice (the office message itself), and refuses what is no SES event', async () => {
    // Act
    const ignored = await handler(
      sesEvent('Bounce', { ...sent, email: { ...sent.email, tags: {} } }, sent.email.to, at),
    );

    // Assess
    expect(ignored).toEqual({ status: 'ignored' });
    await expect(handler({ detail: { eventType: 'Bounce' } })).rejects.toBeInstanceOf(InvalidSesEventError);
    expect(mailer.sent).toEqual([]);
  });
});

describe('the workers and the suppression list', () => {
  it('reports a notice to a suppressed address instead of sending it, and sends the others', async () => {
    // Prepare: enping's address bounced before; SES would drop anything sent to it.
    const ledger = new FakeLedger();
    const mailer = new FakeMailer();
    const suppression = new FakeSuppressionList();
    suppression.entries.set('office@enping.jiangmen.example', 'BOUNCE');
    const clock = new VirtualClock(shanghai('2021-05-24T09:00:00'));
    const deps = {
      calendar: await calendarWith(plan),
      submissions: new FakeSubmissions(),
      ledger,
      mailer,
      suppression,
      clock,
      log: silentLog,
      portal: testPortal(),
    };

    // Act
    const outcome = await dispatchAndSend(deps, {
      plan: plan.id,
      milestone: 'district-plans',
      stage: 'reminder',
      revision: 1,
    });

    // Assess: six reminders and one message to the office; enping's reminder closed as suppressed.
    expect(outcome).toMatchObject({ status: 'done', sent: 7, failed: 0 });
    const addressed = mailer.sent.map((m) => m.to.join());
    expect(addressed).not.toContain('office@enping.jiangmen.example');
    expect(addressed.filter((a) => a === COORDINATOR)).toHaveLength(1);
    expect(mailer.sent.find((m) => m.to[0] === COORDINATOR)?.text).toContain('地址在 SES 抑制名单中，未发送');
    const records = await ledger.listForMilestone(plan.id, 'district-plans');
    expect(records.find((r) => r.unit === 'enping')).toMatchObject({
      state: 'sent',
      delivery: 'suppressed',
      deliveryReason: 'suppression list: BOUNCE',
      failedRecipients: ['enping#unit'],
    });
    expect(records.find((r) => r.unit === 'enping')?.messageId).toBeUndefined();
    expect(records.filter((r) => r.unit !== 'enping').every((r) => r.delivery === undefined && r.messageId)).toBe(true);
  });
});
