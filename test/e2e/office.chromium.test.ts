import { copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintUnitLink } from '../../shared/domain/links/unitLink.js';
import { launchChromium, overflowsSideways, seriousViolations } from '../support/browser.js';
import { ADMIN, JIANGHAI_SUPERVISOR, signInLinkFor } from '../support/office.js';
import { usePortal } from '../support/portal.js';

const PLAN = 'jiangmen-2021';
/** `DUBAN_UPDATE_SCREENSHOT=1` copies the board's and the console's screenshots to docs/ for the README. */
const docs = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));

describe('the office in a real browser: sign-in from the mailbox, the board, the console', () => {
  const fixture = usePortal('2021-06-08T10:00:00', { office: true });
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  /** A page in a context of its own (its own cookies; axe-core needs one). */
  const newPage = async (options: Parameters<Browser['newContext']>[0] = {}) =>
    (await browser.newContext({ locale: 'zh-CN', ...options })).newPage();
  const close = (page: Page) => page.context().close();

  /** Tabs until `selector` has the focus (keyboard only), at most 40 presses. */
  const tabTo = async (page: Page, selector: string) => {
    for (let i = 0; i < 40; i++) {
      if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${selector} never took the focus`);
  };

  /** Signs in by keyboard alone: the address typed, Enter, the emailed link opened, Tab to 登录, Enter. */
  const signIn = async (page: Page, address: string) => {
    fixture().clock.advanceTo(fixture().clock.now() + 16 * 60_000);
    await page.goto(`${fixture().portal.url}/login`);
    await tabTo(page, '#email');
    await page.keyboard.type(address);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('请查收登录邮件');
    await page.goto((await signInLinkFor(address)) as string);
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/plans/${PLAN}`);
  };

  it('an admin signs in through the local mailbox and moves a deadline: preview, confirm, the schedules follow', async () => {
    // Prepare
    const page = await newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, ADMIN);
    const shot = join(tmpdir(), 'duban-board.png');
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.DUBAN_UPDATE_SCREENSHOT) copyFileSync(shot, docs('office-board.png'));
    const boardFindings = await seriousViolations(page);

    // Act
    await page.getByRole('link', { name: '督办办公室工作台' }).click();
    const consoleFindings = await seriousViolations(page);
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.DUBAN_UPDATE_SCREENSHOT) copyFileSync(shot, docs('office-console.png'));
    await page.getByRole('link', { name: '修改截止日期' }).click();
    await page.getByLabel('事项').selectOption('annual-summary');
    await page.getByLabel('新截止日期').fill('2021-12-31');
    await page.getByRole('button', { name: '预览' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('预览：修改截止日期');
    const previewText = await page.locator('main').textContent();
    const previewFindings = await seriousViolations(page);
    const before = fixture()
      .schedules.all()
      .find((s) => s.name === 'annual-summary.2-due')?.at;
    await page.getByRole('button', { name: '确认修改' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('修改已生效');

    // Assess
    expect(previewText).toContain('12月31日');
    expect(before).toBe('2021-12-15T09:00:00');
    expect(
      fixture()
        .schedules.all()
        .find((s) => s.name === 'annual-summary.2-due')?.at,
    ).toBe('2021-12-31T09:00:00');
    expect(await page.locator('main').textContent()).toContain('调整');
    expect({ boardFindings, consoleFindings, previewFindings }).toEqual({
      boardFindings: [],
      consoleFindings: [],
      previewFindings: [],
    });

    // The export, read back as a workbook.
    const response = await page.request.get(`${fixture().portal.url}/plans/${PLAN}/export.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(await response.body()).buffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['看板', '通知记录', '考核']);
    await close(page);
  }, 120_000);

  it('filters the board, downloads the export and reads it back, and 退出 ends the session', async () => {
    // Prepare
    const page = await newPage({ acceptDownloads: true });
    await page.goto(`${fixture().portal.url}/login`);
    const loginFindings = await seriousViolations(page);
    await signIn(page, ADMIN);

    // Act
    await page.getByLabel('状态').selectOption('missing');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/light=missing/);
    const lights = await page
      .locator('table.board td.cell:not(.none)')
      .evaluateAll((tds) => tds.map((t) => t.className));
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 Excel' }).click();
    const download = await downloading;
    const file = join(tmpdir(), `duban-export-${process.pid}.xlsx`);
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    rmSync(file);
    const boardSheet = book.getWorksheet('看板');
    const statuses = new Set<string>();
    boardSheet?.eachRow((row, n) => {
      if (n > 1) statuses.add(String(row.getCell(3).value));
    });
    await page.getByRole('button', { name: '退出' }).click();
    const signedOut = await page.locator('h1').textContent();
    await page.goto(`${fixture().portal.url}/plans/${PLAN}`);

    // Assess
    expect(loginFindings).toEqual([]);
    expect(lights.length).toBeGreaterThan(0);
    expect(lights.every((c) => c === 'cell red')).toBe(true);
    expect(download.suggestedFilename()).toBe(`${PLAN}-督办看板.xlsx`);
    expect(book.worksheets.map((w) => w.name)).toEqual(['看板', '通知记录', '考核']);
    expect(boardSheet?.getCell('C1').value).toBe('状态');
    expect([...statuses]).toEqual(['红 未报送']);
    expect(boardSheet?.rowCount).toBe(lights.length + 1);
    expect(signedOut).toBe('已退出');
    expect(new URL(page.url()).pathname).toBe('/login');
    await close(page);
  });

  it('pauses a milestone by keyboard alone, from sign-in to the confirmed edit', async () => {
    // Prepare
    const page = await newPage();
    await signIn(page, ADMIN);

    // Act
    await page.goto(`${fixture().portal.url}/plans/${PLAN}/console/edit/pause`);
    await tabTo(page, '#milestone');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('预览：暂停事项');
    await tabTo(page, 'form[action$="/confirm"] button[type=submit]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.flash').textContent()).toContain('修改已生效');

    // Assess
    const plan = await fixture().a.calendar.loadPlan(PLAN);
    expect(plan?.milestones.find((m) => m.id === 'city-summary')?.paused).toBe(true);
    await close(page);
  });

  it('shows a supervisor only their units, refuses the console, and reads on a phone', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page, JIANGHAI_SUPERVISOR);

    // Act
    const text = await page.locator('main').textContent();
    const overflow = await overflowsSideways(page);
    const refused = await page.goto(`${fixture().portal.url}/plans/${PLAN}/console`);

    // Assess
    expect(text).toContain('江海区人民政府');
    expect(text).not.toContain('恩平市人民政府');
    expect(overflow).toBe(false);
    expect(refused?.status()).toBe(403);
    await context.close();
  });

  it('finds nothing serious on a unit’s page either', async () => {
    // Prepare
    const { linkSigner, portal } = fixture();
    const token = await mintUnitLink(linkSigner, { plan: PLAN, unit: 'kaiping', version: 1, expires: 1_900_000_000 });
    const page = await newPage();

    // Act
    await page.goto(`${portal.url}/u/${token}`);
    const findings = await seriousViolations(page);

    // Assess
    expect(findings).toEqual([]);
    await close(page);
  });
});
