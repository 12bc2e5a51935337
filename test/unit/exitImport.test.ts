import { beforeEach, describe, expect, it } from 'vitest';
import { ExitImportError } from '../../shared/domain/exits/context.js';
import { recordExitStep } from '../../shared/domain/exits/editItems.js';
import { importExitRows } from '../../shared/domain/exits/importItems.js';
import { formatRowProblem } from '../../shared/domain/exits/rows.js';
import type { CalendarStore } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { DEMO_CODES, exitFields, sheetRows } from '../support/exitRows.js';
import { FakeExitLedger } from '../support/fakeExits.js';
import { calendarWith } from '../support/fakes.js';
import { seedPlan, shanghai } from '../support/seed.js';

const plan = seedPlan();
const FILE = { name: 'heshan.xlsx', sha256: 'abc' };
const [H1, H2, H3] = DEMO_CODES.heshan;

describe("importing a unit's ledger file: all or nothing, idempotent by 统一社会信用代码, audited", () => {
  let calendar: CalendarStore;
  let exits: FakeExitLedger;
  let clock: VirtualClock;
  const deps = () => ({ calendar, exits, clock });
  const importRows = (unit: string, rows: ReturnType<typeof sheetRows>, dryRun = false) =>
    importExitRows(deps(), { plan: plan.id, unit, rows, file: FILE }, 'cli:office', { dryRun });

  beforeEach(async () => {
    calendar = await calendarWith(plan);
    exits = new FakeExitLedger();
    clock = new VirtualClock(shanghai('2021-06-18T10:00:00'));
  });

  it('adds every item of a good file, writes the audit record first, and changes nothing on a second import', async () => {
    // Prepare
    const rows = sheetRows([
      exitFields({ creditCode: H1 }),
      exitFields({ creditCode: H2, name: '鹤山市示例钢铁铸件有限公司（示例）' }),
    ]);

    // Act
    const first = await importRows('heshan', rows);
    const writesAfterFirst = exits.writes.length;
    const again = await importRows('heshan', rows);

    // Assess
    expect(first).toMatchObject({ rows: 2, created: [H1, H2], updated: [], unchanged: 0 });
    expect(again).toMatchObject({ rows: 2, created: [], updated: [], unchanged: 2 });
    expect(exits.writes.length).toBe(writesAfterFirst);
    const audit = await calendar.listAudit(plan.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'cli:office', action: 'ledger-import', target: 'heshan' });
    expect(audit[0]?.after).toMatchObject({ file: 'heshan.xlsx', sha256: 'abc', created: 2, codes: [H1, H2] });
  });

  it('refuses a whole file for one bad row, naming every problem, and writes nothing', async () => {
    // Prepare
    const rows = sheetRows([exitFields({ creditCode: H1 }), exitFields({ creditCode: `${H2.slice(0, 17)}X` })]);

    // Act
    const error = await importRows('heshan', rows).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ExitImportError);
    expect((error as ExitImportError).problems.map(formatRowProblem)).toEqual(['第3行 统一社会信用代码 校验位应为 M']);
    expect(exits.writes).toEqual([]);
    expect(await calendar.listAudit(plan.id)).toEqual([]);
  });

  it("updates an item's fields on a later import and keeps the steps already recorded", async () => {
    // Prepare
    await importRows('heshan', sheetRows([exitFields({ creditCode: H1 })]));
    clock.advanceTo(shanghai('2021-08-20T10:00:00'));
    const before = await exits.getItem(plan.id, 'heshan', H1);
    await recordExitStep(
      deps(),
      {
        plan: plan.id,
        unit: 'heshan',
        creditCode: H1,
        step: 'power-equipment-removed',
        date: '2021-08-16',
        details: {},
        version: before?.version ?? 0,
      },
      'link:heshan:v1',
    );

    // Act
    const out = await importRows('heshan', sheetRows([exitFields({ creditCode: H1, plannedDate: '2021-09-30' })]));

    // Assess
    expect(out).toMatchObject({ created: [], updated: [H1] });
    const item = await exits.getItem(plan.id, 'heshan', H1);
    expect(item?.plannedDate).toBe('2021-09-30');
    expect(Object.keys(item?.steps ?? {})).toEqual(['power-equipment-removed']);
  });

  it('refuses a code another unit has entered, naming that unit', async () => {
    // Prepare
    await importRows('heshan', sheetRows([exitFields({ creditCode: H3 })]));

    // Act
    const error = await importRows('enping', sheetRows([exitFields({ creditCode: H3 })])).catch((e: unknown) => e);

    // Assess
    expect((error as ExitImportError).problems.map(formatRowProblem)).toEqual([
      `第2行 统一社会信用代码 ${H3} 已由鹤山市人民政府登记`,
    ]);
  });

  it('refuses a planned date whose ladder reaches a year without holiday data, and a unit that keeps no ledger', async () => {
    // Act
    const late = await importRows('heshan', sheetRows([exitFields({ plannedDate: '2026-12-30' })])).catch(
      (e: unknown) => e,
    );
    const department = await importRows('fgj', sheetRows([exitFields()])).catch((e: unknown) => e);

    // Assess
    expect((late as ExitImportError).problems.map(formatRowProblem)).toEqual([
      '第2行 计划完成日期 2026-12-30 的督办环节将落在2027年，系统尚无该年节假日安排，暂不能登记；请联系督办办公室补充后再试',
    ]);
    expect((department as Error).message).toMatch(/unit "fgj" keeps no exit ledger in "jiangmen-2021"/);
  });

  it('says on a dry run what it would add and change, and writes nothing', async () => {
    // Act
    const out = await importRows('heshan', sheetRows([exitFields({ creditCode: H1 })]), true);

    // Assess
    expect(out).toMatchObject({ dryRun: true, created: [H1] });
    expect(exits.writes).toEqual([]);
    expect(await calendar.listAudit(plan.id)).toEqual([]);
  });
});
