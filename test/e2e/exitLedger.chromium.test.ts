import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '../../shared/domain/exits/creditCode.js';
import { EXIT_FIELD_LABEL, EXIT_FIELDS } from '../../shared/domain/exits/fields.js';
import { mintUnitLink } from '../../shared/domain/links/unitLink.js';
import { launchChromium, overflowsSideways, seriousViolations } from '../support/browser.js';
import { usePortal } from '../support/portal.js';
import { seedPlan } from '../support/seed.js';

const plan = seedPlan();
const UNIT = 'kaiping';
/** A fictional 开平 code (region 440783) with its valid check character. */
const code = (n: number) => {
  const first17 = `91440783MA5EX${String(n).padStart(4, '0')}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};

describe('a district keeps its exit ledger in a real browser, on a 375 px phone', () => {
  const fixture = usePortal('2021-07-01T10:00:00');
  let browser: Browser;
  const work = mkdtempSync(join(tmpdir(), 'duban-ledger-browser-'));
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('imports its file, records a step, and axe finds nothing serious on the ledger, item and form pages', async () => {
    // Prepare: the district's file, and its link.
    const { linkSigner, portal } = fixture();
    const csv = join(work, '开平市退出台账.csv');
    writeFileSync(
      csv,
      [
        EXIT_FIELDS.map((f) => EXIT_FIELD_LABEL[f]).join(','),
        `开平市示例水泥有限公司（示例）,${code(1)},水泥,直径3米以下水泥粉磨设备,2,台,拆除,2021-09-30`,
        `开平市示例陶瓷有限公司（示例）,${code(2)},陶瓷,辊道窑,1,条,关停,2021-10-29`,
      ].join('\n'),
    );
    const token = await mintUnitLink(linkSigner, { plan: plan.id, unit: UNIT, version: 1, expires: 1_700_000_000 });
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const findings: Record<string, unknown[]> = {};
    const overflow: Record<string, boolean> = {};
    const check = async (name: string) => {
      overflow[name] = await overflowsSideways(page);
      findings[name] = await seriousViolations(page);
    };

    // Act: from the unit page to the ledger, import, open an item, record 拆除动力装置.
    await page.goto(`${portal.url}/u/${token}`);
    await page.getByRole('link', { name: '落后产能退出台账' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('开平市人民政府退出台账');
    await check('ledger');
    await page.getByLabel('台账文件').setInputFiles(csv);
    await page.getByRole('button', { name: '导入' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('新增 2 家');
    await page.getByRole('link', { name: '开平市示例水泥有限公司（示例）' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('开平市示例水泥有限公司（示例）');
    await page.getByLabel('拆除动力装置日期').fill('2021-06-30');
    await page.getByRole('button', { name: '登记拆除动力装置' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toBe('步骤已登记。');
    await check('item');
    await page.goto(`${portal.url}/plans/${plan.id}/units/${UNIT}/ledger/new`);
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('.error-summary').isVisible()).toBe(true);
    await check('form');

    // Assess
    expect(await page.locator('.error-summary').textContent()).toContain('企业名称 不能为空');
    expect(overflow).toEqual({ ledger: false, item: false, form: false });
    expect(findings).toEqual({ ledger: [], item: [], form: [] });
    const stored = await fixture().a.exits.getItem(plan.id, UNIT, code(1));
    expect(stored?.steps['power-equipment-removed']?.date).toBe('2021-06-30');
    await context.close();
    // Three axe runs and a real browser on 2 shared cores: well past the default 30 s when the machine is busy.
  }, 120_000);
});
