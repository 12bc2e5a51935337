import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { silentLog } from '../../shared/domain/log.js';
import type { SchedulePayload } from '../../shared/domain/ports.js';
import { submitDeliverable } from '../../shared/domain/submissions/submit.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { testPortal } from '../support/fakes.js';
import { dispatchAndSend as dispatchStage, type FanOutDeps } from '../support/fanOut.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { emailsWithIds, realAdapters } from '../support/stack.js';

type Adapters = Awaited<ReturnType<typeof realAdapters>>;

describe('dispatch and a worker (the fan-out) against dynalite and the local SES', () => {
  const plan = seedPlan();
  let a: Adapters;
  let clock: VirtualClock;
  let deps: FanOutDeps;
  const payload = (stage: SchedulePayload['stage'], revision = 1): SchedulePayload => ({
    plan: plan.id,
    milestone: 'district-plans',
    stage,
    revision,
  });

  beforeEach(async () => {
    a = await realAdapters();
    clock = new VirtualClock(shanghai('2021-05-01T00:00:00'));
    await importPlan({ calendar: a.calendar, schedules: new LocalScheduleStore(), clock }, plan, 'test');
    deps = { ...a, clock, log: silentLog, portal: testPortal() };
  });
  afterAll(() => {
    a?.ddb.destroy();
    a?.ses.destroy();
  });

  /** A unit delivers at `wall`: the clock moves there first (a delivery cannot be dated ahead). */
  const submit = (unit: string, wall: string) => {
    clock.advanceTo(shanghai(wall));
    return submitDeliverable(
      { calendar: a.calendar, submissions: a.submissions, clock },
      { plan: plan.id, milestone: 'district-plans', unit, at: `${wall}+08:00`, reason: 'entered from the register' },
      { by: `link:${unit}:v1` },
    );
  };

  it('reminds every district that has not submitted, each once, with the deadline and an .ics', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    await submit('pengjiang', '2021-05-20T10:00:00');

    // Act
    const outcome = await dispatchStage(deps, payload('reminder'));

    // Assess
    expect(outcome).toMatchObject({ status: 'done', sent: 6, failed: 0, occurrence: '2021-05-24T09:00:00+08:00' });
    const notices = await a.ledger.listForMilestone(plan.id, 'district-plans');
    expect(notices.map((n) => n.unit).sort()).toEqual(['enping', 'heshan', 'jianghai', 'kaiping', 'taishan', 'xinhui']);
    const emails = await emailsWithIds(notices.map((n) => n.messageId ?? ''));
    expect(emails).toHaveLength(6);
    const enping = emails.find((e) => e.destination.to.join() === 'office@enping.jiangmen.example');
    // A 函 of the recipient (市工业和信息化局), numbered in its series when the worker claimed it.
    expect(enping?.subject).toMatch(/^关于按时报送《落后产能退出计划》的函（江工信督〔2021〕[1-6]号）$/);
    expect(new Set(notices.map((n) => n.docNumber)).size).toBe(6);
    expect(enping?.body.text).toContain(notices.find((n) => n.unit === 'enping')?.docNumber ?? '—');
    expect(enping?.body.text).toContain('请你市于2021年5月31日（星期一）前报送你市2021年推动落后产能退出工作计划');
    expect(enping?.body.text).toContain('2021年5月31日');
    expect(enping?.body.text).toContain('市工业和信息化局');
    expect(enping?.body.text).toContain('5月底前，各市（区）政府根据《工作计划》');
    expect(enping?.attachments?.map((x) => x.filename)).toEqual(['deadline.ics']);
  });

  it('does not notify a unit that submitted one minute before the fire time', async () => {
    // Prepare
    await submit('xinhui', '2021-05-31T08:59:00');
    clock.advanceTo(shanghai('2021-05-31T09:00:00'));

    // Act
    await dispatchStage(deps, payload('due'));

    // Assess
    const units = (await a.ledger.listForMilestone(plan.id, 'district-plans')).map((n) => n.unit);
    expect(units).toHaveLength(6);
    expect(units).not.toContain('xinhui');
  });

  it('escalates an overdue unit to itself and to its supervisor', async () => {
    // Prepare
    for (const unit of ['pengjiang', 'jianghai', 'xinhui', 'taishan', 'kaiping', 'heshan'])
      await submit(unit, '2021-05-28T10:00:00');
    clock.advanceTo(shanghai('2021-06-01T09:00:00'));

    // Act
    await dispatchStage(deps, payload('overdue'));

    // Assess
    const notices = await a.ledger.listForMilestone(plan.id, 'district-plans');
    expect(notices.map((n) => [n.role, n.to])).toEqual(
      expect.arrayContaining([
        ['unit', ['office@enping.jiangmen.example']],
        ['supervisor', ['supervisor@enping.jiangmen.example']],
      ]),
    );
    expect(notices).toHaveLength(2);
    expect(notices.find((n) => n.role === 'unit')?.subject).toMatch(
      /^关于督促报送《落后产能退出计划》的函（江工信督〔2021〕[12]号）$/,
    );
    expect(notices.find((n) => n.role === 'supervisor')?.subject).toMatch(
      /^关于《落后产能退出计划》逾期未报送的督办函（江工信督〔2021〕[12]号）$/,
    );
  });

  it('sends one circular to every responsible unit naming the late ones, copied to 市政府 and the four departments', async () => {
    // Prepare
    for (const unit of ['pengjiang', 'jianghai', 'xinhui', 'taishan']) await submit(unit, '2021-06-03T10:00:00');
    clock.advanceTo(shanghai('2021-06-07T10:00:00'));

    // Act
    await dispatchStage(deps, payload('circular'));

    // Assess
    const [circular, ...rest] = await a.ledger.listForMilestone(plan.id, 'district-plans');
    expect(rest).toHaveLength(0);
    expect(circular?.units).toEqual(['kaiping', 'heshan', 'enping']);
    expect(circular?.to).toHaveLength(7);
    expect(circular?.cc).toEqual([
      'office@szf.jiangmen.example',
      'office@fgj.jiangmen.example',
      'office@sthjj.jiangmen.example',
      'office@scjgj.jiangmen.example',
      'office@yjglj.jiangmen.example',
    ]);
    const [email] = await emailsWithIds([circular?.messageId ?? '']);
    expect(email?.body.text).toContain('抄送：市政府，市发展改革局，市生态环境局，市市场监管局，市应急管理局。');
    expect(email?.body.text).toMatch(/1\. 开平市人民政府\n\s*2\. 鹤山市人民政府\n\s*3\. 恩平市人民政府/);
    expect(email?.body.text).toContain('以下3个单位经提醒、催办后仍未报送');
  });

  it('summons each unit still missing (its office, head and supervisor), with the interview arrangement and a 回执 link', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-06-15T10:00:00'));

    // Act
    await dispatchStage(deps, payload('summons'));

    // Assess
    const notices = await a.ledger.listForMilestone(plan.id, 'district-plans');
    const heshan = notices.find((n) => n.unit === 'heshan');
    expect(heshan).toMatchObject({
      role: 'head',
      to: ['office@heshan.jiangmen.example', 'head@heshan.jiangmen.example', 'supervisor@heshan.jiangmen.example'],
      cc: [],
    });
    const [email] = await emailsWithIds([heshan?.messageId ?? '']);
    // Three workdays after 2021-06-15 at 15:00, in the plan's meeting room.
    expect(email?.body.text).toContain('一、约谈时间：2021年6月18日（星期五）15:00');
    expect(email?.body.text).toContain('二、约谈地点：市工业和信息化局会议室');
    expect(email?.body.text).toMatch(/约谈回执填报链接（仅供你市使用，请勿转发）：\n\s*https?:\/\/\S+\/r\//);
  });

  it('sends nothing more when the same firing is delivered again, or twice at once', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    await dispatchStage(deps, payload('reminder'));

    // Act
    const again = await Promise.all([
      dispatchStage(deps, payload('reminder')),
      dispatchStage(deps, payload('reminder')),
    ]);

    // Assess
    for (const outcome of again) expect(outcome).toMatchObject({ status: 'done', sent: 0, alreadySent: 7 });
    const notices = await a.ledger.listForMilestone(plan.id, 'district-plans');
    expect(notices).toHaveLength(7);
    expect(notices.every((n) => n.state === 'sent' && n.attempts === 1)).toBe(true);
  });

  it('sends each notice once when two deliveries race from the start', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));

    // Act
    const outcomes = await Promise.all([1, 2, 3].map(() => dispatchStage(deps, payload('reminder'))));

    // Assess
    const sent = outcomes.reduce((n, o) => n + (o.status === 'done' ? o.sent : 0), 0);
    expect(sent).toBe(7);
    const notices = await a.ledger.listForMilestone(plan.id, 'district-plans');
    expect(new Set((await emailsWithIds(notices.map((n) => n.messageId ?? ''))).map((e) => e.messageId)).size).toBe(7);
  });

  it('does nothing for a schedule made for an older revision of the milestone', async () => {
    // Prepare
    await applyEdit(
      { calendar: a.calendar, schedules: new LocalScheduleStore(), clock },
      plan.id,
      { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-06-04' },
      'test',
    );
    clock.advanceTo(shanghai('2021-06-01T09:00:00'));

    // Act
    const stale = await dispatchStage(deps, payload('overdue', 1));
    const current = await dispatchStage(deps, payload('overdue', 2));

    // Assess
    expect(stale).toEqual({ status: 'skipped', reason: 'stale-revision' });
    // Under the new deadline (4 June) nothing is overdue on 1 June: no escalation on or before it.
    expect(current).toEqual({ status: 'skipped', reason: 'not-due' });
    expect(await a.ledger.listForMilestone(plan.id, 'district-plans')).toHaveLength(0);
  });
});
