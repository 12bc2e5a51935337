import { beforeEach, describe, expect, it } from 'vitest';
import { exitBoard } from '../../shared/domain/exits/board.js';
import {
  clearExitStep,
  ExitFieldsError,
  markResisted,
  recordExitStep,
  removeExitItem,
  saveExitItem,
} from '../../shared/domain/exits/editItems.js';
import { exitListSheets } from '../../shared/domain/exits/exports.js';
import { importExitRows } from '../../shared/domain/exits/importItems.js';
import { type LedgerMilestone, ledgerOf } from '../../shared/domain/exits/status.js';
import type { CalendarStore, StoredPlan } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { DEMO_CODES, exitFields, sheetRows } from '../support/exitRows.js';
import { FakeExitLedger } from '../support/fakeExits.js';
import { calendarWith } from '../support/fakes.js';
import { seedPlan, shanghai } from '../support/seed.js';

const [H1, H2, H3] = DEMO_CODES.heshan;
const [J1] = DEMO_CODES.jianghai;

describe("the ledger's board and its lists, and the district's edits", () => {
  let calendar: CalendarStore;
  let exits: FakeExitLedger;
  let clock: VirtualClock;
  let plan: StoredPlan;
  let milestone: LedgerMilestone;
  const deps = () => ({ calendar, exits, clock });
  const by = 'link:heshan:v1';
  const version = async (unit: string, code: string) => (await exits.getItem(plan.id, unit, code))?.version ?? 0;
  const done = async (unit: string, code: string, ids: readonly string[], date: string) => {
    clock.advanceTo(shanghai(`${date}T17:00:00`));
    for (const step of ids) {
      const details =
        step === 'acceptance'
          ? { by: '区工业和信息化局' }
          : step === 'announcement'
            ? { where: '门户网站', docNumber: '工信〔2021〕1号' }
            : {};
      await recordExitStep(
        deps(),
        { plan: plan.id, unit, creditCode: code, step, date, details, version: await version(unit, code) },
        by,
      );
    }
  };

  beforeEach(async () => {
    calendar = await calendarWith(seedPlan());
    exits = new FakeExitLedger();
    clock = new VirtualClock(shanghai('2021-06-18T10:00:00'));
    plan = (await calendar.loadPlan('jiangmen-2021')) as StoredPlan;
    milestone = ledgerOf(plan) as LedgerMilestone;
    const file = { name: 'f.xlsx', sha256: '-' };
    await importExitRows(
      deps(),
      {
        plan: plan.id,
        unit: 'heshan',
        file,
        rows: sheetRows([
          exitFields({ creditCode: H1, name: '甲（示例）', exitMethod: '拆除' }),
          exitFields({ creditCode: H2, name: '乙（示例）', exitMethod: '关停' }),
          exitFields({ creditCode: H3, name: '丙（示例）', exitMethod: '关闭' }),
        ]),
      },
      by,
    );
    await importExitRows(
      deps(),
      {
        plan: plan.id,
        unit: 'jianghai',
        file,
        rows: sheetRows([exitFields({ creditCode: J1, name: '丁（示例）', exitMethod: '关停' })]),
      },
      by,
    );
  });

  it('counts per unit done / total and overdue, each item with its steps, as of a moment', async () => {
    // Prepare: 甲 on time (拆除's five steps); 乙 late; 丙 not at all; 丁 on time.
    await done(
      'heshan',
      H1,
      ['power-equipment-removed', 'equipment-sealed', 'acceptance', 'announcement', 'archived'],
      '2021-08-20',
    );
    await done('jianghai', J1, ['power-cut', 'water-cut', 'acceptance', 'announcement', 'archived'], '2021-08-30');
    await done('heshan', H2, ['power-cut', 'water-cut', 'acceptance', 'announcement', 'archived'], '2021-09-02');

    // Act
    const before = exitBoard(plan, milestone, await exits.listItems(plan.id), shanghai('2021-08-31T12:00:00'));
    const after = exitBoard(plan, milestone, await exits.listItems(plan.id), shanghai('2021-12-15T12:00:00'));

    // Assess
    const unit = (b: typeof after, id: string) => b.units.find((u) => u.unit === id);
    expect(unit(before, 'heshan')).toMatchObject({ total: 3, done: 1, overdue: 0, inProgress: 2, light: 'pending' });
    expect(unit(after, 'heshan')).toMatchObject({ total: 3, done: 2, doneLate: 1, overdue: 1, light: 'missing' });
    expect(unit(after, 'jianghai')).toMatchObject({ total: 1, done: 1, overdue: 0, light: 'submitted' });
    expect(unit(after, 'enping')).toMatchObject({ total: 0, light: 'pending' });
    const c = unit(after, 'heshan')?.items.find((v) => v.creditCode === H3);
    expect(c).toMatchObject({ status: 'overdue', missing: ['断电', '断水', '拆除动力装置', '验收', '公告', '归档'] });
    const b = unit(after, 'heshan')?.items.find((v) => v.creditCode === H2);
    expect(b).toMatchObject({ status: 'done-late', completedOn: '2021-09-02' });
    expect(b?.steps.map((s) => [s.name, s.required, s.date ?? null])).toEqual([
      ['断电', true, '2021-09-02'],
      ['断水', true, '2021-09-02'],
      ['拆除动力装置', false, null],
      ['封存主体设备', false, null],
      ['验收', true, '2021-09-02'],
      ['公告', true, '2021-09-02'],
      ['归档', true, '2021-09-02'],
    ]);
    expect(after).toMatchObject({ total: 4, done: 3, overdue: 1 });
  });

  it('makes the 15 December list of completed exits and the 信用 list from the ledger', async () => {
    // Prepare
    await done(
      'heshan',
      H1,
      ['power-equipment-removed', 'equipment-sealed', 'acceptance', 'announcement', 'archived'],
      '2021-08-20',
    );
    await done('heshan', H2, ['power-cut', 'water-cut', 'acceptance', 'announcement', 'archived'], '2021-09-02');
    await markResisted(
      deps(),
      { plan: plan.id, unit: 'heshan', creditCode: H3, note: '拒绝停产（示例）', version: await version('heshan', H3) },
      by,
    );
    const board = exitBoard(plan, milestone, await exits.listItems(plan.id), shanghai('2021-12-15T12:00:00'));

    // Act
    const [completed, summary] = exitListSheets(board, milestone, 'completed');
    const [credit] = exitListSheets(board, milestone, 'credit');

    // Assess
    expect(completed?.header.slice(0, 12)).toEqual([
      '序号',
      '市（区）',
      '企业名称',
      '统一社会信用代码',
      '行业',
      '落后产能',
      '数量',
      '计量单位',
      '退出方式',
      '计划完成日期',
      '完成日期',
      '完成情况',
    ]);
    expect(completed?.header).toContain('验收验收单位（人）');
    expect(completed?.rows.map((r) => [r[2], r[10], r[11]])).toEqual([
      ['甲（示例）', '2021-08-20', '按期完成'],
      ['乙（示例）', '2021-09-02', '逾期完成'],
    ]);
    expect(credit?.rows.map((r) => [r[1], r[2], r[10], r[13]])).toEqual([
      ['江海区人民政府', '丁（示例）', '逾期未完成', ''],
      ['鹤山市人民政府', '乙（示例）', '逾期完成（2021-09-02）', ''],
      ['鹤山市人民政府', '丙（示例）', '逾期未完成；拒不退出', '拒绝停产（示例）'],
    ]);
    expect(summary?.rows.find((r) => r[0] === '鹤山市人民政府')).toEqual(['鹤山市人民政府', 3, 2, 1, 1, 0, 1]);
  });

  it('refuses a step dated after today, and one without what it must record, beside each field', async () => {
    // Prepare
    clock.advanceTo(shanghai('2021-08-20T10:00:00'));

    // Act
    const future = await recordExitStep(
      deps(),
      { plan: plan.id, unit: 'heshan', creditCode: H1, step: 'power-cut', date: '2021-08-21', details: {}, version: 1 },
      by,
    ).catch((e: unknown) => e);
    const bare = await recordExitStep(
      deps(),
      {
        plan: plan.id,
        unit: 'heshan',
        creditCode: H1,
        step: 'announcement',
        date: '2021-08-20',
        details: { where: '门户网站' },
        version: 1,
      },
      by,
    ).catch((e: unknown) => e);

    // Assess
    expect((future as ExitFieldsError).problems).toEqual([
      { field: 'date', message: '断电日期 不能晚于今天（2021-08-20）' },
    ]);
    expect((bare as ExitFieldsError).problems).toEqual([{ field: 'docNumber', message: '请填写文号' }]);
  });

  it('adds an item from the form, refuses one whose code is already in the ledger, and audits every change', async () => {
    // Act
    const added = await saveExitItem(
      deps(),
      { plan: plan.id, unit: 'heshan', raw: { ...exitFields({ creditCode: '91440784MA5EX0004A' }) } },
      by,
    ).catch((e: unknown) => e);
    const twice = await saveExitItem(
      deps(),
      { plan: plan.id, unit: 'enping', raw: { ...exitFields({ creditCode: H1 }) } },
      'link:enping:v1',
    ).catch((e: unknown) => e);

    // Assess
    expect(added).toBeInstanceOf(ExitFieldsError);
    expect((added as ExitFieldsError).problems).toEqual([
      { field: 'creditCode', message: '统一社会信用代码 校验位应为 U' },
    ]);
    expect((twice as ExitFieldsError).problems).toEqual([
      { field: 'creditCode', message: `统一社会信用代码 ${H1} 已在鹤山市人民政府中登记（甲（示例））` },
    ]);
    const code = '91440784MA5EX0004U';
    const item = await saveExitItem(
      deps(),
      { plan: plan.id, unit: 'heshan', raw: { ...exitFields({ creditCode: code, name: '戊（示例）' }) } },
      by,
    );
    expect(item).toMatchObject({ unit: 'heshan', creditCode: code, version: 1 });
    expect((await calendar.listAudit(plan.id)).map((a) => a.action)).toEqual([
      'ledger-import',
      'ledger-import',
      'ledger-item-add',
    ]);
  });

  it('clears a step recorded by mistake, removes an item only while no step is recorded, and refuses a stale form', async () => {
    // Prepare
    await done('heshan', H1, ['power-equipment-removed'], '2021-08-20');

    // Act
    const refused = await removeExitItem(
      deps(),
      { plan: plan.id, unit: 'heshan', creditCode: H1, version: await version('heshan', H1) },
      by,
    ).catch((e: unknown) => e);
    const stale = await clearExitStep(
      deps(),
      { plan: plan.id, unit: 'heshan', creditCode: H1, step: 'power-equipment-removed', version: 1 },
      by,
    ).catch((e: unknown) => e);
    await clearExitStep(
      deps(),
      {
        plan: plan.id,
        unit: 'heshan',
        creditCode: H1,
        step: 'power-equipment-removed',
        version: await version('heshan', H1),
      },
      by,
    );
    await removeExitItem(
      deps(),
      { plan: plan.id, unit: 'heshan', creditCode: H1, version: await version('heshan', H1) },
      by,
    );

    // Assess
    expect((refused as Error).message).toBe('已登记退出步骤的企业不能删除；如系误录，请先撤销各步骤');
    expect((stale as Error).message).toBe('该企业的台账已被他人更新，请刷新页面后重新填写');
    expect(await exits.getItem(plan.id, 'heshan', H1)).toBeUndefined();
    expect((await calendar.listAudit(plan.id)).map((a) => a.action).slice(-3)).toEqual([
      'ledger-step',
      'ledger-step-clear',
      'ledger-item-remove',
    ]);
  });
});
