import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '../../shared/domain/exits/creditCode.js';
import { EXIT_FIELD_LABEL, EXIT_FIELDS } from '../../shared/domain/exits/fields.js';
import { unitLinkUrl } from '../../shared/domain/links/unitLink.js';
import type { StoredPlan } from '../../shared/domain/ports.js';
import { csrfOf, Visitor } from '../support/browserless.js';
import { type PortalFixture, usePortal } from '../support/portal.js';
import { seedPlan } from '../support/seed.js';

const plan = seedPlan();
const UNIT = 'enping';
const ledger = `/plans/${plan.id}/units/${UNIT}/ledger`;

/** A fictional 恩平 code (region 440785) with its valid check character. */
const code = (n: number) => {
  const first17 = `91440785MA5EX${String(n).padStart(4, '0')}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};
const header = EXIT_FIELDS.map((f) => EXIT_FIELD_LABEL[f]).join(',');
const row = (c: string, name: string, date = '2021-09-30') =>
  `${name}（示例）,${c},水泥,水泥粉磨设备,2,台,关停,${date}`;

/** The unit's session, from its personal link (as the email carries it). */
async function signIn(f: PortalFixture): Promise<Visitor> {
  const stored = (await f.a.calendar.loadPlan(plan.id)) as StoredPlan;
  const link = await unitLinkUrl({ baseUrl: f.portal.url, signer: f.linkSigner }, stored, UNIT, f.clock.now());
  const visitor = new Visitor(f.portal.url);
  expect((await visitor.get(new URL(link).pathname)).status).toBe(303);
  return visitor;
}

const csvUpload = (csrf: string, text: string, name = '恩平市退出台账.csv') => {
  const form = new FormData();
  form.append('_csrf', csrf);
  form.append('file', new Blob([text], { type: 'text/csv' }), name);
  return form;
};

describe('a district keeps its exit ledger on its portal page', () => {
  const fixture = usePortal('2021-07-01T10:00:00');

  it('imports a file all or nothing, naming the refused row as the spreadsheet numbers it', async () => {
    // Prepare
    const f = fixture();
    const visitor = await signIn(f);
    const unitPage = await (await visitor.get(`/plans/${plan.id}/units/${UNIT}`)).text();
    expect(unitPage).toContain(`href="${ledger}"`);
    const empty = await (await visitor.get(ledger)).text();
    expect(empty).toContain('恩平市人民政府退出台账');
    expect(empty).toContain('尚未登记企业');
    const wrong = `${code(2).slice(0, 17)}${code(2).endsWith('0') ? '1' : '0'}`;

    // Act: row 3 carries a wrong check character.
    const refused = await visitor.postMultipart(
      `${ledger}/import`,
      csvUpload(csrfOf(empty), [header, row(code(1), '恩平市甲水泥厂'), row(wrong, '恩平市乙水泥厂')].join('\n')),
    );

    // Assess: nothing written, the row and the expected digit named.
    expect(refused.status).toBe(422);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('导入被拒绝，未写入任何内容');
    expect(refusedPage).toContain(`第3行 统一社会信用代码 校验位应为 ${code(2).at(-1)}`);
    expect(await f.a.exits.listUnitItems(plan.id, UNIT)).toEqual([]);

    // Act: the corrected file, twice (idempotent by code).
    const file = [header, row(code(1), '恩平市甲水泥厂'), row(code(2), '恩平市乙水泥厂', '2021-10-29')].join('\n');
    const imported = await visitor.postMultipart(`${ledger}/import`, csvUpload(csrfOf(empty), file));
    const again = await visitor.postMultipart(`${ledger}/import`, csvUpload(csrfOf(empty), file));

    // Assess
    expect(imported.status).toBe(200);
    expect(await imported.text()).toContain('已导入 2 行：新增 2 家，更新 0 家，未变 0 家。');
    expect(await again.text()).toContain('已导入 2 行：新增 0 家，更新 0 家，未变 2 家。');
    const items = await f.a.exits.listUnitItems(plan.id, UNIT);
    expect(items.map((i) => i.creditCode).sort()).toEqual([code(1), code(2)].sort());
    expect(items[0]?.updatedBy).toBe('link:enping:v1');
    const page = await (await visitor.get(ledger)).text();
    expect(page).toContain('完成 0/2');
    expect(page).toContain('恩平市甲水泥厂（示例）');
    // The items' dates now drive the ledger's ladder: its schedules were made at once.
    const schedules = (await f.schedules.list(plan.id)).map((s) => s.name);
    expect(schedules.some((n) => n.startsWith('exit-ledger.20210930'))).toBe(true);
  });

  it('records each step with its date, refusing a day after today beside the step and keeping what was typed', async () => {
    // Prepare
    const f = fixture();
    const visitor = await signIn(f);
    const item = `${ledger}/items/${code(1)}`;
    const itemPage = await (await visitor.get(item)).text();
    expect(itemPage).toContain('断电');
    expect(itemPage).toContain('推进中');

    // Act: 验收 dated tomorrow, then done right.
    const tomorrow = await visitor.post(`${item}/steps/acceptance`, {
      _csrf: csrfOf(itemPage),
      version: '1',
      date: '2021-07-02',
      by: '恩平市工业和信息化局',
    });

    // Assess
    expect(tomorrow.status).toBe(422);
    const refused = await tomorrow.text();
    expect(refused).toContain('验收日期 不能晚于今天（2021-07-01）');
    expect(refused).toContain('href="#step-acceptance-date"');
    expect(refused).toContain('value="恩平市工业和信息化局"');
    expect((await f.a.exits.getItem(plan.id, UNIT, code(1)))?.steps).toEqual({});

    // Act: every step 关停 requires, one by one.
    let version = 1;
    for (const [step, extra] of [
      ['power-cut', {}],
      ['water-cut', {}],
      ['acceptance', { by: '恩平市工业和信息化局' }],
      ['announcement', { where: '恩平市人民政府网站', docNumber: '恩工信〔2021〕8号' }],
      ['archived', {}],
    ] as const) {
      const res = await visitor.post(`${item}/steps/${step}`, {
        _csrf: csrfOf(itemPage),
        version: String(version),
        date: '2021-06-30',
        ...extra,
      });
      expect(res.status).toBe(303);
      version += 1;
    }

    // Assess: done in time, on the item and in the ledger's counts.
    const done = await (await visitor.get(item)).text();
    expect(done).toContain('按期完成');
    expect(done).toContain('恩工信〔2021〕8号');
    const stored = await f.a.exits.getItem(plan.id, UNIT, code(1));
    expect(stored?.steps.acceptance).toMatchObject({ date: '2021-06-30', details: { by: '恩平市工业和信息化局' } });
    expect(await (await visitor.get(ledger)).text()).toContain('完成 1/2');
    // A form read before the last change is refused, not applied over it.
    const stale = await visitor.post(`${item}/steps/power-cut`, {
      _csrf: csrfOf(itemPage),
      version: '1',
      date: '2021-06-29',
    });
    expect(stale.status).toBe(422);
    expect(await stale.text()).toContain('已被他人更新');
  });

  it('adds one enterprise by the form, with each refused field beside it, and reports one that resists', async () => {
    // Prepare
    const f = fixture();
    const visitor = await signIn(f);
    const form = await (await visitor.get(`${ledger}/new`)).text();
    const typed = {
      name: '恩平市丙陶瓷厂（示例）',
      creditCode: `${code(3).slice(0, 17)}?`,
      industry: '陶瓷',
      capacity: '辊道窑',
      quantity: 'two',
      measure: '条',
      exitMethod: '拆除',
      plannedDate: '2021-11-30',
    };

    // Act
    const refused = await visitor.post(`${ledger}/items`, { _csrf: csrfOf(form), ...typed });
    const saved = await visitor.post(`${ledger}/items`, {
      _csrf: csrfOf(form),
      ...typed,
      creditCode: code(3),
      quantity: '1',
    });

    // Assess
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain('统一社会信用代码 第18位“?”不是有效字符');
    expect(page).toContain('数量 应为正数');
    expect(page).toContain('value="恩平市丙陶瓷厂（示例）"');
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${ledger}/items/${code(3)}?done=saved`);

    // Act: 拒不退出.
    const itemPage = await (await visitor.get(`${ledger}/items/${code(3)}`)).text();
    const tooLong = await visitor.post(`${ledger}/items/${code(3)}/resisted`, {
      _csrf: csrfOf(itemPage),
      version: '1',
      note: '拒'.repeat(501),
    });
    expect(tooLong.status).toBe(422);
    const tooLongPage = await tooLong.text();
    expect(tooLongPage).toContain('情况说明不能超过500个字');
    expect(tooLongPage).toContain('拒'.repeat(501));
    const resisted = await visitor.post(`${ledger}/items/${code(3)}/resisted`, {
      _csrf: csrfOf(itemPage),
      version: '1',
      note: '企业拒绝断电，已报市场监管部门',
    });

    // Assess
    expect(resisted.status).toBe(303);
    expect((await f.a.exits.getItem(plan.id, UNIT, code(3)))?.resisted?.note).toBe('企业拒绝断电，已报市场监管部门');
    expect(await (await visitor.get(ledger)).text()).toContain('拒不退出 1');
  });

  it("does not show another district's enterprise or ledger", async () => {
    // Prepare: 鹤山's item, entered by the office.
    const f = fixture();
    const visitor = await signIn(f);
    const heshan = '91440784MA5EX0001J';
    await f.a.exits.putItems([
      {
        item: {
          name: '鹤山示例厂',
          creditCode: heshan,
          industry: '水泥',
          capacity: '磨机',
          quantity: '1',
          measure: '台',
          exitMethod: '拆除',
          plannedDate: '2021-09-30',
          plan: plan.id,
          milestone: 'exit-ledger',
          unit: 'heshan',
          steps: {},
          version: 1,
          createdAt: f.clock.now(),
          updatedAt: f.clock.now(),
          updatedBy: 'cli:test',
        },
        expected: undefined,
      },
    ]);

    // Act / Assess: not found through 恩平's ledger; 鹤山's own ledger is another unit's (forbidden).
    expect((await visitor.get(`${ledger}/items/${heshan}`)).status).toBe(404);
    expect((await visitor.get(`/plans/${plan.id}/units/heshan/ledger`)).status).toBe(403);
  });
});
