import { beforeEach, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { recordExitStep } from '../../shared/domain/exits/editItems.js';
import { importExitRows } from '../../shared/domain/exits/importItems.js';
import { exitLadder } from '../../shared/domain/exits/ladder.js';
import { exitSchedules } from '../../shared/domain/exits/schedules.js';
import { ledgerOf } from '../../shared/domain/exits/status.js';
import { silentLog } from '../../shared/domain/log.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import type { StageKind } from '../../shared/domain/plan/stages.js';
import type { CalendarStore, SchedulePayload } from '../../shared/domain/ports.js';
import { reconcilePlan } from '../../shared/domain/schedule/reconcile.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { DEMO_CODES, exitFields, sheetRows } from '../support/exitRows.js';
import { FakeExitLedger } from '../support/fakeExits.js';
import { calendarWith, FakeLedger, FakeMailer, FakeSubmissions, testPortal } from '../support/fakes.js';
import { dispatchAndSend, type FanOutDeps } from '../support/fanOut.js';
import { seedPlan, shanghai } from '../support/seed.js';

const [H1, H2, H3] = DEMO_CODES.heshan;
const [J1] = DEMO_CODES.jianghai;
const LEDGER = 'exit-ledger';

/** The seed plan, its ledger naming a unit only once it has `minItems` items that far overdue. */
const planWith = (minItems: number): Plan => {
  const plan = seedPlan();
  return {
    ...plan,
    milestones: plan.milestones.map((m) =>
      m.ledger ? { ...m, ledger: { ...m.ledger, escalation: { minItems } } } : m,
    ),
  };
};

describe("chasing the exit ledger by its items' planned dates (the ladder, dispatch, the notice ledger)", () => {
  let plan: Plan;
  let calendar: CalendarStore;
  let exits: FakeExitLedger;
  let ledger: FakeLedger;
  let mailer: FakeMailer;
  let clock: VirtualClock;
  let deps: FanOutDeps;
  const fire = (stage: StageKind, wall: string) => {
    clock.advanceTo(shanghai(wall));
    const payload: SchedulePayload = { plan: plan.id, milestone: LEDGER, stage, revision: 1, occurrence: wall };
    return dispatchAndSend(deps, payload);
  };
  const step = async (unit: string, creditCode: string, id: string, date: string) => {
    clock.advanceTo(shanghai(`${date}T17:00:00`));
    const item = await exits.getItem(plan.id, unit, creditCode);
    await recordExitStep(
      { calendar, exits, clock },
      {
        plan: plan.id,
        unit,
        creditCode,
        step: id,
        date,
        details:
          id === 'acceptance'
            ? { by: '鹤山市工业和信息化局' }
            : id === 'announcement'
              ? { where: '门户网站', docNumber: '鹤工信〔2021〕1号' }
              : {},
        version: item?.version ?? 0,
      },
      `link:${unit}:v1`,
    );
  };
  const setUp = async (minItems = 1) => {
    plan = planWith(minItems);
    calendar = await calendarWith(plan);
    exits = new FakeExitLedger();
    ledger = new FakeLedger();
    mailer = new FakeMailer();
    clock = new VirtualClock(shanghai('2021-06-18T10:00:00'));
    deps = {
      calendar,
      submissions: new FakeSubmissions(),
      ledger,
      exits,
      mailer,
      clock,
      log: silentLog,
      portal: testPortal(),
      sleep: async () => undefined,
    };
    const file = { name: 'f.csv', sha256: '-' };
    await importExitRows(
      { calendar, exits, clock },
      {
        plan: plan.id,
        unit: 'heshan',
        file,
        rows: sheetRows([
          exitFields({ creditCode: H1, name: '鹤山市示例水泥有限公司（示例）' }),
          exitFields({ creditCode: H2, name: '鹤山市示例钢铁铸件有限公司（示例）', exitMethod: '取缔' }),
          exitFields({ creditCode: H3, name: '鹤山市示例化工有限公司（示例）', exitMethod: '关闭' }),
        ]),
      },
      'link:heshan:v1',
    );
    await importExitRows(
      { calendar, exits, clock },
      {
        plan: plan.id,
        unit: 'jianghai',
        file,
        rows: sheetRows([
          exitFields({ creditCode: J1, name: '江门市江海区示例造纸有限公司（示例）', exitMethod: '关停' }),
        ]),
      },
      'link:jianghai:v1',
    );
    for (const id of ['power-equipment-removed', 'equipment-sealed', 'acceptance', 'announcement', 'archived'])
      await step('heshan', H1, id, '2021-08-20');
  };

  beforeEach(() => setUp());

  it('merges the ladders of several dates: one reminder when two dates put one at the same time', () => {
    // Act: 8/31's −5 workdays and 8/25's −1 workday are both 24 August.
    const ladder = exitLadder(plan, LEDGER, ['2021-08-31', '2021-08-25']);

    // Assess
    const reminder = ladder.find((o) => o.wall === '2021-08-24T09:00:00');
    expect(reminder?.triggers).toEqual([
      { date: '2021-08-25', step: 1 },
      { date: '2021-08-31', step: 0 },
    ]);
    expect(ladder.filter((o) => o.wall === '2021-08-24T09:00:00')).toHaveLength(1);
    expect(ladder.map((o) => `${o.wall.slice(5, 16)} ${o.stage}`)).toEqual([
      '08-18T09:00 reminder',
      '08-24T09:00 reminder',
      '08-25T09:00 due',
      '08-26T09:00 overdue',
      '08-30T09:00 reminder',
      '08-31T09:00 due',
      '09-01T09:00 overdue',
      '09-01T10:00 circular',
      '09-07T10:00 circular',
      '09-08T10:00 summons',
      '09-14T10:00 summons',
    ]);
  });

  it('reminds each unit of its enterprises not yet out, with its personal link, once however often it fires', async () => {
    // Act
    const first = await fire('reminder', '2021-08-24T09:00:00');
    const again = await fire('reminder', '2021-08-24T09:00:00');

    // Assess
    expect(first).toMatchObject({ status: 'done', missing: ['jianghai', 'heshan'], sent: 2 });
    expect(again).toMatchObject({ status: 'done', sent: 0, alreadySent: 2 });
    expect(mailer.sent).toHaveLength(2);
    const heshan = mailer.sent.find((e) => e.to.includes('office@heshan.jiangmen.example'));
    expect(heshan?.subject).toMatch(/^关于按期完成落后产能企业退出任务的函（江工信督〔2021〕\d+号）$/);
    expect(heshan?.text).toContain('鹤山市示例钢铁铸件有限公司（示例）（91440784MA5EX0002M）');
    expect(heshan?.text).toContain('鹤山市示例化工有限公司（示例）');
    expect(heshan?.text).not.toContain('鹤山市示例水泥有限公司'); // its exit is done
    expect(heshan?.text).toContain('https://portal.test/u/');
  });

  it('presses after the date (催办 to the unit, a 督办函 to its supervisor, each with the next date), and names it in the 通报 and summons it', async () => {
    // Prepare: 江海区 finishes on 2 September, after the 催办.
    for (const id of ['power-cut', 'water-cut', 'acceptance', 'announcement', 'archived'])
      await step('jianghai', J1, id, '2021-08-20');
    await fire('overdue', '2021-09-01T09:00:00');

    // Act
    const circular = await fire('circular', '2021-09-07T10:00:00');
    const summons = await fire('summons', '2021-09-14T10:00:00');

    // Assess
    const overdue = mailer.sent.filter((e) =>
      /^关于(督促推进落后产能|落后产能企业退出逾期未完成的督办函)/.test(e.subject),
    );
    expect(overdue[0]?.text).toContain('于9月7日前完成退出并在退出台账中登记');
    expect(overdue.map((e) => e.to[0])).toEqual([
      'office@heshan.jiangmen.example',
      'supervisor@heshan.jiangmen.example',
    ]);
    expect(circular).toMatchObject({ status: 'done', missing: ['heshan'], sent: 1 });
    const notice = mailer.sent.find((e) => e.subject.startsWith('关于落后产能企业退出逾期未完成情况的通报'));
    // 主送 every district of the stage (as a milestone's 通报), copied to the units the stage names; 鹤山市 named.
    const districts = ['pengjiang', 'jianghai', 'xinhui', 'taishan', 'kaiping', 'heshan', 'enping'];
    expect(notice?.to).toEqual(districts.map((d) => `office@${d}.jiangmen.example`));
    expect(notice?.cc).toEqual(['szf', 'fgj', 'sthjj', 'scjgj', 'yjglj'].map((u) => `office@${u}.jiangmen.example`));
    expect(notice?.text).toContain('（1）鹤山市人民政府（2家）：');
    expect(notice?.text).toContain('2. 鹤山市示例化工有限公司（示例）（91440784MA5EX0003Q）');
    expect(notice?.text).toContain('于9月14日前完成退出并在退出台账中登记');
    expect(notice?.text).toContain('对未按要求完成淘汰落后产能任务的市（区），采取通报、约谈方式进行督办');
    expect(summons).toMatchObject({ status: 'done', missing: ['heshan'], sent: 1 });
    const summonsMail = mailer.sent.at(-1);
    expect(summonsMail).toMatchObject({
      to: ['office@heshan.jiangmen.example', 'head@heshan.jiangmen.example', 'supervisor@heshan.jiangmen.example'],
      cc: [],
    });
    expect(summonsMail?.subject).toMatch(/^关于约谈鹤山市人民政府主要负责人的通知（江工信督〔2021〕\d+号）$/);
    expect(summonsMail?.text).toContain('一、约谈时间：2021年9月17日（星期五）15:00');
  });

  it("names a unit in the 通报 only once it has the plan's threshold of overdue items", async () => {
    // Prepare: a plan that names a unit from three overdue items; 鹤山市 has two.
    await setUp(3);

    // Act
    const circular = await fire('circular', '2021-09-07T10:00:00');

    // Assess
    expect(circular).toMatchObject({ status: 'done', missing: [], queued: 0 });
    expect(mailer.sent.some((e) => e.to.includes('office@heshan.jiangmen.example'))).toBe(false);
  });

  it("sends nothing for a time no item's date puts a stage at, and nothing the ladder has moved past", async () => {
    // Act
    const nothingThen = await fire('reminder', '2021-08-23T09:00:00');
    clock.advanceTo(shanghai('2021-08-30T10:00:00'));
    const late = await dispatchAndSend(deps, {
      plan: plan.id,
      milestone: LEDGER,
      stage: 'reminder',
      revision: 1,
      occurrence: '2021-08-24T09:00:00',
    });

    // Assess
    expect(nothingThen).toEqual({ status: 'skipped', reason: 'not-due' });
    expect(late).toEqual({ status: 'skipped', reason: 'superseded' });
    expect(mailer.sent).toEqual([]);
  });

  it("schedules one firing per stage and time over the items' dates, and reconcile keeps them with the items", async () => {
    // Prepare
    const stored = await calendar.loadPlan(plan.id);
    const milestone = stored && ledgerOf(stored);
    const schedules = new LocalScheduleStore();
    clock.advanceTo(shanghai('2021-06-18T10:00:00'));

    // Act
    const wanted = stored && milestone ? exitSchedules(stored, milestone, await exits.listItems(plan.id)) : [];
    const reconciled = await reconcilePlan({ calendar, schedules, clock, exits }, plan.id);
    const withoutItems = await reconcilePlan({ calendar, schedules, clock }, plan.id);

    // Assess
    expect(wanted.map((w) => w.name)).toEqual([
      'exit-ledger.20210824T0900-reminder',
      'exit-ledger.20210830T0900-reminder',
      'exit-ledger.20210831T0900-due',
      'exit-ledger.20210901T0900-overdue',
      'exit-ledger.20210907T1000-circular',
      'exit-ledger.20210914T1000-summons',
    ]);
    expect(wanted[4]?.payload).toEqual({
      plan: plan.id,
      milestone: LEDGER,
      stage: 'circular',
      revision: 1,
      occurrence: '2021-09-07T10:00:00',
    });
    expect(reconciled.created.filter((n) => n.startsWith('exit-ledger.'))).toHaveLength(6);
    // Without the ledger's items, reconcile leaves its schedules as they are.
    expect(withoutItems.writes).toBe(0);
    expect((await schedules.list(plan.id)).filter((s) => s.payload.milestone === LEDGER)).toHaveLength(6);
  });
});
