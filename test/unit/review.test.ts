import { beforeEach, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { buildBoard } from '../../shared/domain/board/board.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import { RuleRefusedError } from '../../shared/domain/errors.js';
import { silentLog } from '../../shared/domain/log.js';
import type { CalendarStore, ScheduleSpec } from '../../shared/domain/ports.js';
import {
  approveExtension,
  type ExtensionDeps,
  rejectExtension,
  requestExtension,
} from '../../shared/domain/review/extensions.js';
import { acceptSubmission, returnSubmission } from '../../shared/domain/review/review.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { FakeExitLedger } from '../support/fakeExits.js';
import { FakeLedger, FakeMailer, FakeSubmissions, testPortal } from '../support/fakes.js';
import { dispatchAndSend } from '../support/fanOut.js';
import { seedPlan, shanghai } from '../support/seed.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';
const ids = (unit: string) => ({ plan: plan.id, milestone: MILESTONE, unit });
const OFFICE = { by: 'cli:office' };

describe('review and extensions on in-memory ports', () => {
  let calendar: CalendarStore;
  let submissions: FakeSubmissions;
  let schedules: LocalScheduleStore;
  let mailer: FakeMailer;
  let clock: VirtualClock;
  let deps: ExtensionDeps;

  beforeEach(async () => {
    calendar = new ScratchCalendar();
    submissions = new FakeSubmissions();
    schedules = new LocalScheduleStore();
    mailer = new FakeMailer();
    clock = new VirtualClock(shanghai('2021-05-20T10:00:00'));
    await importPlan({ calendar, schedules, clock }, plan, 'test');
    deps = {
      calendar,
      schedules,
      submissions,
      ledger: new FakeLedger(),
      mailer,
      clock,
      log: silentLog,
      portal: testPortal(),
      sleep: async () => undefined,
    };
  });

  const submit = (unit: string, wall: string) =>
    submissions.record({ plan: plan.id, milestone: MILESTONE, unit, at: shanghai(wall), by: `link:${unit}:v1` });
  const ownSchedules = async (unit: string) =>
    (await schedules.list(plan.id)).filter((s) => s.name.endsWith(`.${unit}`)).sort((a, b) => a.at.localeCompare(b.at));
  /** Fires a schedule as Scheduler would, at its time, through dispatch and a worker. */
  const fire = (spec: ScheduleSpec) => {
    clock.advanceTo(shanghai(spec.at));
    return dispatchAndSend(deps, spec.payload);
  };
  const milestoneSchedule = async (stage: string) =>
    (await schedules.list(plan.id)).find(
      (s) => s.payload.stage === stage && !s.payload.unit && s.payload.milestone === MILESTONE,
    );

  it('办结 closes the matter for the unit and tells it, with its link', async () => {
    await submit('pengjiang', '2021-05-20T09:00:00');

    const out = await acceptSubmission(deps, ids('pengjiang'), OFFICE);

    expect(out.submission.review).toMatchObject({ state: 'accepted', by: 'cli:office' });
    expect(out.notice).toBe('sent');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.to).toEqual(['office@pengjiang.jiangmen.example']);
    expect(mailer.sent[0]?.text).toContain('https://portal.test/u/');
    await expect(acceptSubmission(deps, ids('pengjiang'), OFFICE)).rejects.toBeInstanceOf(RuleRefusedError);
  });

  it('a returned unit is chased again from its new date: its own ladder, the stages it had not repeated', async () => {
    // Prepare: xinhui delivers on the deadline day; the office returns it two days later.
    await submit('xinhui', '2021-05-31T16:00:00');
    clock.advanceTo(shanghai('2021-06-02T10:00:00'));

    // Act
    const out = await returnSubmission(deps, ids('xinhui'), '请补充时间节点。', OFFICE);

    // Assess: three workdays from Wednesday 2 June is Monday 7 June; its own ladder starts after today.
    expect(out.deadline).toBe('2021-06-07');
    const own = await ownSchedules('xinhui');
    expect(own.map((s) => `${s.at} ${s.payload.stage}`)).toEqual([
      '2021-06-04T09:00:00 reminder',
      '2021-06-07T09:00:00 due',
      '2021-06-08T09:00:00 overdue',
      '2021-06-15T10:00:00 circular',
      '2021-06-22T10:00:00 summons',
    ]);
    expect(out.reconcile?.created).toHaveLength(own.length);
    // Its own due reminder reaches it; the milestone's circular (7 June) does not name it.
    const due = await fire(own[1] as ScheduleSpec);
    expect(due).toMatchObject({ status: 'done', missing: ['xinhui'] });
    const circular = await fire((await milestoneSchedule('circular')) as ScheduleSpec);
    expect(circular.status === 'done' && circular.missing).not.toContain('xinhui');
    // The board judges it by the date it had: a resubmission after 31 May is late.
    await submit('xinhui', '2021-06-04T15:00:00');
    const board = await buildBoard((await calendar.loadPlan(plan.id)) as never, {
      submissions,
      ledger: deps.ledger,
      exits: new FakeExitLedger(),
    });
    const row = board.find((r) => r.milestone === MILESTONE && r.unit === 'xinhui');
    expect(row).toMatchObject({ status: 'late', deadline: '2021-06-07', dateKind: 'return', review: 'pending' });
  });

  it('an approved extension past the 通报 date keeps the unit out of the circular and moves only its ladder', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-05-27T10:30:00'));
    await requestExtension(
      deps,
      { ...ids('kaiping'), deadline: '2021-06-11', reason: '常务会议6月9日审议' },
      'link:kaiping:v1',
    );
    const others = (await schedules.list(plan.id)).filter((s) => !s.name.endsWith('.kaiping'));

    // Act
    const out = await approveExtension(deps, ids('kaiping'), OFFICE);

    // Assess: only kaiping's schedules were written; the 7 June circular leaves it out.
    expect(out.reconcile?.writes).toBe((await ownSchedules('kaiping')).length);
    expect((await schedules.list(plan.id)).filter((s) => !s.name.endsWith('.kaiping'))).toEqual(others);
    clock.advanceTo(shanghai('2021-06-07T10:00:00'));
    const circular = await fire((await milestoneSchedule('circular')) as ScheduleSpec);
    expect(circular.status === 'done' && circular.missing).not.toContain('kaiping');
    expect(
      mailer.sent.some(
        (m) =>
          m.subject.includes('关于同意《落后产能退出计划》延期报送的复函') &&
          m.to.includes('office@kaiping.jiangmen.example'),
      ),
    ).toBe(true);
  });

  it('a rejected extension leaves the ladder as it was, and the unit hears why', async () => {
    clock.advanceTo(shanghai('2021-05-27T10:30:00'));
    await requestExtension(deps, { ...ids('heshan'), deadline: '2021-06-30', reason: '人手不足' }, 'link:heshan:v1');
    const before = await schedules.list(plan.id);

    const out = await rejectExtension(deps, ids('heshan'), OFFICE, '理由不充分，请按时报送。');

    expect(out.request.decision).toMatchObject({ state: 'rejected', reason: '理由不充分，请按时报送。' });
    expect(await schedules.list(plan.id)).toEqual(before);
    expect(mailer.sent.at(-1)?.text).toContain('理由不充分，请按时报送。');
    expect(await ownSchedules('heshan')).toEqual([]);
  });

  it('refuses a request after the deadline, a second open one, and a decision on nothing', async () => {
    clock.advanceTo(shanghai('2021-05-27T10:30:00'));
    const ask = (deadline: string) =>
      requestExtension(deps, { ...ids('enping'), deadline, reason: '原因' }, 'link:enping:v1');
    await ask('2021-06-10');

    await expect(ask('2021-06-12')).rejects.toThrow(/already has an open request/);
    await expect(rejectExtension(deps, ids('taishan'), OFFICE, 'x')).rejects.toMatchObject({
      zh: '该单位没有待审批的延期申请（可能已有人处理）。',
    });
    clock.advanceTo(shanghai('2021-06-01T00:00:00'));
    await expect(
      requestExtension(deps, { ...ids('taishan'), deadline: '2021-06-10', reason: '原因' }, 'link:taishan:v1'),
    ).rejects.toMatchObject({ zh: '截止时间2021年5月31日已过，不能再申请延期。' });
  });
});
