import { beforeEach, describe, expect, it } from 'vitest';
import { decodeNotice } from '../../shared/adapters/aws/sqs/messageCodec.js';
import { LocalWorkQueue } from '../../shared/adapters/local/localWorkQueue.js';
import { dispatchStage } from '../../shared/domain/dispatch/dispatch.js';
import type { NoticeWork } from '../../shared/domain/dispatch/noticeWork.js';
import { silentLog } from '../../shared/domain/log.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { StageKind } from '../../shared/domain/plan/schema.js';
import type { CalendarStore, NoticeKey, SchedulePayload } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { makeDispatchHandler } from '../../shared/handlers/dispatchHandler.js';
import { makeWorkerHandler } from '../../shared/handlers/dispatchWorkerHandler.js';
import { calendarWith, editMilestone, FakeLedger, FakeMailer, FakeSubmissions, testPortal } from '../support/fakes.js';
import { dispatchAndSend, type FanOutDeps } from '../support/fanOut.js';
import { seedPlan, shanghai } from '../support/seed.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';
/** The ledger key of enping's first reminder of the district plans. */
const enpingReminderKey: NoticeKey = {
  plan: plan.id,
  milestone: MILESTONE,
  stage: 'reminder',
  occurrence: '2021-05-24T09:00:00',
  unit: 'enping',
  role: 'unit',
};
const DISTRICTS = ['pengjiang', 'jianghai', 'xinhui', 'taishan', 'kaiping', 'heshan', 'enping'];

describe('dispatch and the workers (the fan-out) with fake ports and a fake clock', () => {
  let calendar: CalendarStore;
  let submissions: FakeSubmissions;
  let ledger: FakeLedger;
  let mailer: FakeMailer;
  let clock: VirtualClock;
  let deps: FanOutDeps;
  const payload = (stage: StageKind, revision = 1): SchedulePayload => ({
    plan: plan.id,
    milestone: MILESTONE,
    stage,
    revision,
  });
  const submit = (unit: string, wall: string) =>
    submissions.record({ plan: plan.id, milestone: MILESTONE, unit, at: shanghai(wall), by: `link:${unit}:v1` });
  const toUnits = () => mailer.sent.map((e) => e.to.join());

  beforeEach(async () => {
    calendar = await calendarWith(plan);
    submissions = new FakeSubmissions();
    ledger = new FakeLedger();
    mailer = new FakeMailer();
    clock = new VirtualClock(shanghai('2021-05-01T00:00:00'));
    deps = {
      calendar,
      submissions,
      ledger,
      mailer,
      clock,
      log: silentLog,
      sleep: async () => undefined,
      portal: testPortal(),
    };
  });

  it('does not remind a unit that submitted a minute before the fire time, and reminds the others', async () => {
    // Prepare
    await submit('xinhui', '2021-05-24T08:59:00');
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));

    // Act
    const outcome = await dispatchAndSend(deps, payload('reminder'));

    // Assess
    expect(outcome).toMatchObject({ status: 'done', sent: 6, failed: 0 });
    expect(toUnits()).toHaveLength(6);
    expect(toUnits()).not.toContain('office@xinhui.jiangmen.example');
  });

  it('takes a unit that never submits through every stage that applies to it, once each', async () => {
    // Prepare
    for (const unit of DISTRICTS.filter((u) => u !== 'enping')) await submit(unit, '2021-05-20T10:00:00');
    const milestone = plan.milestones.find((m) => m.id === MILESTONE);
    if (!milestone) throw new Error(`the seed has no ${MILESTONE}`);
    const stages = occurrencesOf(plan, milestone);

    // Act
    for (const o of stages) {
      clock.advanceTo(o.instant);
      await dispatchAndSend(deps, payload(o.stage));
    }

    // Assess: each stage in its 文种, numbered 1, 2, … in the issuer's series as each was sent.
    const districts = DISTRICTS.map((d) => `office@${d}.jiangmen.example`).join();
    const enping = ['office', 'head', 'supervisor'].map((r) => `${r}@enping.jiangmen.example`).join();
    expect(mailer.sent.map((e) => [e.subject, e.to.join(), e.cc.join()])).toEqual([
      ['关于按时报送《落后产能退出计划》的函（江工信督〔2021〕1号）', 'office@enping.jiangmen.example', ''],
      ['关于按时报送《落后产能退出计划》的函（江工信督〔2021〕2号）', 'office@enping.jiangmen.example', ''],
      ['关于《落后产能退出计划》今日截止报送的函（江工信督〔2021〕3号）', 'office@enping.jiangmen.example', ''],
      ['关于督促报送《落后产能退出计划》的函（江工信督〔2021〕4号）', 'office@enping.jiangmen.example', ''],
      ['关于《落后产能退出计划》逾期未报送的督办函（江工信督〔2021〕5号）', 'supervisor@enping.jiangmen.example', ''],
      [
        '关于《落后产能退出计划》逾期未报送情况的通报（江工信督〔2021〕6号）',
        districts,
        ['szf', 'fgj', 'sthjj', 'scjgj', 'yjglj'].map((u) => `office@${u}.jiangmen.example`).join(),
      ],
      ['关于约谈恩平市人民政府主要负责人的通知（江工信督〔2021〕7号）', enping, ''],
    ]);
    // The number is in the body too, and in the ledger.
    expect(mailer.sent[0]?.text).toContain('江工信督〔2021〕1号');
    expect(mailer.sent[0]?.html).toContain('江工信督〔2021〕1号');
    const records = await ledger.listForMilestone(plan.id, MILESTONE);
    expect(records.map((r) => r.docNumber).sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => `江工信督〔2021〕${n}号`).sort(),
    );
  });

  it('sends nothing more when the firing is delivered again, or three times at once', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));

    // Act
    const outcomes = await Promise.all([1, 2, 3].map(() => dispatchAndSend(deps, payload('reminder'))));
    const again = await dispatchAndSend(deps, payload('reminder'));

    // Assess
    expect(outcomes.reduce((n, o) => n + (o.status === 'done' ? o.sent : 0), 0)).toBe(7);
    expect(again).toMatchObject({ status: 'done', sent: 0, alreadySent: 7 });
    expect(new Set(toUnits()).size).toBe(7);
    expect(mailer.sent).toHaveLength(7);
  });

  it('waits for a notice a duplicate delivery is sending, instead of failing on it', async () => {
    // Prepare: delivery A claims the first reminder and is slow to hand it to SES.
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    const slowFirst = {
      send: async (email: Parameters<FakeMailer['send']>[0]) => {
        if (!held) {
          held = true;
          await gate;
        }
        return mailer.send(email);
      },
    };
    const a = dispatchAndSend({ ...deps, mailer: slowFirst }, payload('reminder'));

    // Act: delivery B finds that notice in flight; while B waits, A finishes.
    const b = await dispatchAndSend(
      {
        ...deps,
        sleep: async () => {
          release();
          await a;
        },
      },
      payload('reminder'),
    );

    // Assess: A had also claimed the next notice ahead (while its first was with SES) and sends both; B
    // waits for them instead of failing, sends the other five, and nothing goes out twice.
    expect(b).toMatchObject({ status: 'done', sent: 5, alreadySent: 2, inFlight: 0, failed: 0 });
    expect(await a).toMatchObject({ status: 'done', sent: 2, alreadySent: 5 });
    expect(mailer.sent).toHaveLength(7);
  });

  it('hands a notice whose sender died back to the queue, and the redelivery after the lease sends it once', async () => {
    // Prepare: a sender claimed enping's reminder and died before SES; dispatch enqueues the stage.
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    const key = enpingReminderKey;
    await ledger.claim(key, { units: ['enping'], to: [], cc: [], subject: '', fireAt: '' }, clock.now(), 120_000);
    const queue = new LocalWorkQueue({ clock, visibilityMs: 3 * 60_000 });
    await dispatchStage({ ...deps, queue }, payload('reminder'));
    const worker = makeWorkerHandler({ ...deps, decode: decodeNotice });
    const deliver = async () => worker({ Records: (await queue.receive(10)).map(toRecord) });

    // Act: the first delivery, then the queue's redelivery once the visibility timeout (past the lease) ran out.
    const first = await deliver();
    await queue.ack([]);
    clock.advanceTo(shanghai('2021-05-24T09:03:00'));
    const again = await deliver();

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(again.batchItemFailures).toEqual([]);
    expect(toUnits().filter((to) => to === 'office@enping.jiangmen.example')).toHaveLength(1);
    expect(mailer.sent).toHaveLength(7);
  });

  it('does nothing for a schedule of an older revision once the deadline moved', async () => {
    // Prepare
    await editMilestone(calendar, plan.id, MILESTONE, { deadline: '2021-06-04' });
    clock.advanceTo(shanghai('2021-06-01T09:00:00'));

    // Act
    const stale = await dispatchAndSend(deps, payload('overdue', 1));

    // Assess
    expect(stale).toEqual({ status: 'skipped', reason: 'stale-revision' });
    expect(mailer.sent).toEqual([]);
  });

  it('finishes, after an edit, only the notices a firing had begun and failed, for the unchanged occurrence', async () => {
    // Prepare: the due stage fails for heshan (SES down), then an admin adds a unit to the milestone.
    clock.advanceTo(shanghai('2021-05-31T09:00:00'));
    mailer.refuse = (e) => e.to.includes('office@heshan.jiangmen.example');
    const first = await dispatchAndSend(deps, payload('due'));
    await editMilestone(calendar, plan.id, MILESTONE, { responsible: [...DISTRICTS, 'fgj'] });
    mailer.refuse = () => false;
    const sentBefore = mailer.sent.length;

    // Act: the Scheduler/Lambda retry still carries revision 1.
    clock.advanceTo(shanghai('2021-05-31T09:03:00'));
    const retry = await dispatchAndSend(deps, payload('due', 1));

    // Assess: heshan gets its due notice; the unit added later is not sent a notice it was never owed.
    expect(first).toMatchObject({ status: 'done', sent: 6, failed: 1 });
    expect(retry).toMatchObject({ status: 'done', sent: 1, failed: 0 });
    expect(mailer.sent.slice(sentBefore).map((e) => e.to.join())).toEqual(['office@heshan.jiangmen.example']);
  });

  it('does not resume a failed firing whose occurrence the edit moved', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-31T09:00:00'));
    mailer.refuse = (e) => e.to.includes('office@heshan.jiangmen.example');
    await dispatchAndSend(deps, payload('due'));
    await editMilestone(calendar, plan.id, MILESTONE, { deadline: '2021-06-04' });
    mailer.refuse = () => false;
    const sentBefore = mailer.sent.length;

    // Act
    clock.advanceTo(shanghai('2021-05-31T09:03:00'));
    const retry = await dispatchAndSend(deps, payload('due', 1));

    // Assess
    expect(retry).toEqual({ status: 'skipped', reason: 'stale-revision' });
    expect(mailer.sent.length).toBe(sentBefore);
  });

  it('sends a retry minutes late, but not a replay of a reminder once the due notice is due', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-28T09:16:00'));
    const late = await dispatchAndSend(deps, payload('reminder'));

    // Act: the same reminder replayed from a dead-letter queue on the deadline day.
    clock.advanceTo(shanghai('2021-05-31T09:30:00'));
    const replay = await dispatchAndSend(deps, payload('reminder'));

    // Assess
    expect(late).toMatchObject({ status: 'done', sent: 7, occurrence: '2021-05-28T09:00:00+08:00' });
    expect(replay).toEqual({ status: 'skipped', reason: 'superseded' });
    expect(mailer.sent).toHaveLength(7);
  });

  it('does not send "due today" after the deadline day has ended', async () => {
    // Prepare: a due replay the evening after, before the overdue stage's 09:00.
    clock.advanceTo(shanghai('2021-06-01T08:00:00'));

    // Act
    const outcome = await dispatchAndSend(deps, payload('due'));

    // Assess
    expect(outcome).toEqual({ status: 'skipped', reason: 'superseded' });
    expect(mailer.sent).toEqual([]);
  });

  it('retries the ledger write after SES accepted, so a throttled table does not cause a second email', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    ledger.failNextMarkSent = 3;

    // Act
    const first = await dispatchAndSend(deps, payload('reminder'));
    const again = await dispatchAndSend(deps, payload('reminder'));

    // Assess
    expect(first).toMatchObject({ status: 'done', sent: 7, failed: 0 });
    expect(again).toMatchObject({ status: 'done', sent: 0, alreadySent: 7 });
    expect(mailer.sent).toHaveLength(7);
  });

  it('leaves a notice whose ledger write never succeeds owed, not sent, and reports it failed', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    ledger.failNextMarkSent = 1_000;

    // Act
    const outcome = await dispatchAndSend(deps, payload('reminder'));

    // Assess
    expect(outcome).toMatchObject({ status: 'done', sent: 0, failed: 7 });
    expect([...ledger.records.values()].every((r) => r.state === 'claimed')).toBe(true);
  });

  it('names a failed notice for redelivery (ReportBatchItemFailures) and the others as done', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    mailer.refuse = (e) => e.to.includes('office@enping.jiangmen.example');
    const queue = new LocalWorkQueue({ clock });
    await dispatchStage({ ...deps, queue }, payload('reminder'));
    const records = (await queue.receive(10)).map(toRecord);
    const worker = makeWorkerHandler({ ...deps, decode: decodeNotice });

    // Act
    const response = await worker({
      Records: [...records, { ...toRecord(records[0] as never), messageId: 'junk', body: '{"not":"a notice"}' }],
    });

    // Assess: enping's message and the junk one come back; the six sent do not.
    const enping = records.find((r) => JSON.parse(r.body).key.unit === 'enping');
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([enping?.messageId, 'junk'].sort());
    expect(mailer.sent).toHaveLength(6);
    await expect(makeDispatchHandler({ ...deps, queue })({ plan: plan.id, milestone: MILESTONE })).rejects.toThrow(
      /not a schedule payload/,
    );
  });

  it('does not send a notice the ladder moved past while it waited in the queue (a redrive days later)', async () => {
    // Prepare: the first reminder enqueued on time, delivered on the deadline day.
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    const queue = new LocalWorkQueue({ clock });
    await dispatchStage({ ...deps, queue }, payload('reminder'));
    clock.advanceTo(shanghai('2021-05-31T10:00:00'));
    const worker = makeWorkerHandler({ ...deps, decode: decodeNotice });

    // Act
    const response = await worker({ Records: (await queue.receive(10)).map(toRecord) });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(mailer.sent).toEqual([]);
    expect(ledger.records.size).toBe(0);
  });

  it('starts no notice it might not finish before its timeout, and hands it back', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    const queue = new LocalWorkQueue({ clock });
    await dispatchStage({ ...deps, queue }, payload('reminder'));
    // Each send costs 30 s of the invocation's time.
    let used = 0;
    const slowMailer = {
      send: async (email: Parameters<FakeMailer['send']>[0]) => {
        used += 30_000;
        return mailer.send(email);
      },
    };
    const worker = makeWorkerHandler({ ...deps, mailer: slowMailer, decode: decodeNotice });

    // Act
    const response = await worker(
      { Records: (await queue.receive(10)).map(toRecord) },
      { getRemainingTimeInMillis: () => 160_000 - used },
    );

    // Assess: 160, 130, 100 s left: three sent; 70 s is less than a notice's worst case.
    expect(mailer.sent).toHaveLength(3);
    expect(response.batchItemFailures).toHaveLength(4);
  });

  it('enqueues each owed notice once, as one message, with the calendar entry a reminder attaches', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    const queue = new LocalWorkQueue({ clock });

    // Act
    const outcome = await dispatchStage({ ...deps, queue }, payload('reminder'));
    const notices = (await queue.receive(100)).map((m) => JSON.parse(m.body) as NoticeWork);

    // Assess
    expect(outcome).toMatchObject({ status: 'done', queued: 7 });
    expect(notices.map((n) => n.key.unit).sort()).toEqual([...DISTRICTS].sort());
    expect(notices[0]?.calendar).toMatchObject({ plan: { id: plan.id }, milestone: { id: MILESTONE, revision: 1 } });
    expect(notices[0]?.sendBefore).toBe(shanghai('2021-05-28T09:00:00'));
    expect(mailer.sent).toEqual([]);
  });

  it('does not let a sender whose lease ran out release a notice another sender has claimed since', async () => {
    // Prepare: the first claim expires (its sender hangs), a second sender claims the notice.
    const key = enpingReminderKey;
    const details = { units: ['enping'], to: ['office@enping.jiangmen.example'], cc: [], subject: 's', fireAt: 'f' };
    await ledger.claim(key, details, 1_000, 120_000);
    await ledger.claim(key, details, 200_000, 120_000);

    // Act: the first sender finally gives up.
    await ledger.markFailed(key, 'timeout', 210_000, 1_000);

    // Assess: still the second sender's, so a third cannot claim it and send again.
    expect(await ledger.claim(key, details, 220_000, 120_000)).toEqual({ outcome: 'in-flight' });
  });
});

const toRecord = (m: { messageId: string; body: string; receiveCount?: number }) => ({
  messageId: m.messageId,
  body: m.body,
  attributes: { ApproximateReceiveCount: String(m.receiveCount ?? 1) },
});
