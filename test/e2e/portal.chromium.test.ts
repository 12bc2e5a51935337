import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../shared/domain/log.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { StageKind } from '../../shared/domain/plan/schema.js';
import { launchChromium, overflowsSideways, seriousViolations } from '../support/browser.js';
import { linkIn } from '../support/browserless.js';
import { dispatchAndSend as dispatchStage } from '../support/fanOut.js';
import { usePortal } from '../support/portal.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { emailsWithIds } from '../support/stack.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';
const UNIT = 'enping';
/** `DUBAN_UPDATE_SCREENSHOT=1` copies the unit page's screenshot to docs/ for the README. */
const DOCS_PNG = fileURLToPath(new URL('../../docs/portal-unit.png', import.meta.url));

describe('a unit in a real browser: from the email to 已报送', () => {
  const fixture = usePortal('2021-05-20T08:00:00');
  let browser: Browser;
  const work = mkdtempSync(join(tmpdir(), 'duban-portal-browser-'));
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Fires one stage of the milestone at its time, as the schedule would. */
  const fire = async (stage: StageKind, nth = 0) => {
    const { a, clock, portal, linkSigner } = fixture();
    const milestone = plan.milestones.find((m) => m.id === MILESTONE);
    const occurrence = occurrencesOf(plan, milestone as never).filter((o) => o.stage === stage)[nth];
    clock.advanceTo(occurrence?.instant ?? Number.NaN);
    return dispatchStage(
      { ...a, clock, log: silentLog, portal: { baseUrl: portal.url, signer: linkSigner } },
      { plan: plan.id, milestone: MILESTONE, stage, revision: 1 },
    );
  };
  /** The link in the newest notice the unit received, from the local SES mailbox. */
  const linkFromMailbox = async () => {
    const sent = (await fixture().a.ledger.listForMilestone(plan.id, MILESTONE)).filter((r) => r.unit === UNIT);
    const [email] = await emailsWithIds(sent.map((r) => r.messageId ?? ''));
    return linkIn(email?.body.text) as string;
  };

  it('opens the link, 签收s, uploads a PDF, 报送s and sees 已报送; the next stage leaves it alone', async () => {
    // Prepare
    await fire('reminder');
    const link = await linkFromMailbox();
    fixture().clock.advanceTo(shanghai('2021-05-27T10:00:00'));
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const pdf = join(work, '恩平市2021年工作计划.pdf');
    writeFileSync(pdf, '%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

    // Act: the link, then the unit page (the token gone from the address bar).
    await page.goto(link);
    expect(page.url()).toBe(`${fixture().portal.url}/plans/${plan.id}/units/${UNIT}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('恩平市人民政府督办事项');
    const shot = join(work, 'portal-unit.png');
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.DUBAN_UPDATE_SCREENSHOT) copyFileSync(shot, DOCS_PNG);

    // 签收 the reminder.
    await page.getByRole('button', { name: '签收' }).first().click();
    await expect.poll(() => page.locator('.flash').textContent()).toBe('已签收。');
    expect(await page.locator('.done').first().textContent()).toContain('已签收');

    // 报送: the script uploads the chosen file straight to storage and the list refreshes.
    await page.locator(`#m-${MILESTONE}`).locator('..').locator('..').getByRole('link', { name: '报送材料' }).click();
    await page.locator('#upload-files').setInputFiles(pdf);
    await expect
      .poll(() => page.locator('#attachments').textContent(), { timeout: 15_000 })
      .toContain('恩平市2021年工作计划.pdf');
    await page.getByLabel('文号').fill('恩府函〔2021〕15号');
    await page.getByLabel('联系人（选填）').fill('李明');
    await page.getByRole('button', { name: '下一步：核对报送内容' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('核对报送内容');
    await page.getByRole('button', { name: '确认报送' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('报送成功');
    await page.getByRole('link', { name: '返回督办事项' }).click();

    // Assess
    expect(await page.locator(`#m-${MILESTONE}`).locator('..').locator('..').textContent()).toContain('已报送');
    const [submission] = (await fixture().a.submissions.listForMilestone(plan.id, MILESTONE)).filter(
      (s) => s.unit === UNIT,
    );
    expect(submission?.attachments?.map((f) => f.name)).toEqual(['恩平市2021年工作计划.pdf']);
    const next = await fire('reminder', 1);
    expect(next.status === 'done' && next.missing).not.toContain(UNIT);
    await page.close();
  });

  it('shows a tampered, an expired and a rotated link their own pages', async () => {
    // Prepare
    const { a, clock, linkSigner, portal } = fixture();
    const { mintUnitLink } = await import('../../shared/domain/links/unitLink.js');
    const page = await browser.newPage({ locale: 'zh-CN' });
    const expired = await mintUnitLink(linkSigner, {
      plan: plan.id,
      unit: 'xinhui',
      version: 1,
      expires: Math.floor(clock.now() / 1000) - 60,
    });
    const beforeRotation = await mintUnitLink(linkSigner, {
      plan: plan.id,
      unit: 'heshan',
      version: 1,
      expires: 1_700_000_000,
    });
    await a.calendar.rotateLink(plan.id, 'heshan');

    // Act and Assess
    const tampered = await page.goto(`${portal.url}/u/${beforeRotation.slice(0, -3)}xyz`);
    expect(tampered?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('链接无效');
    const old = await page.goto(`${portal.url}/u/${expired}`);
    expect(old?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('链接已过期');
    const rotated = await page.goto(`${portal.url}/u/${beforeRotation}`);
    expect(rotated?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('链接无效');
    await page.close();
  });

  it('reads on a 375 px phone without sideways scrolling, and axe finds nothing serious on the unit and 报送 pages', async () => {
    // Prepare
    const { linkSigner, portal } = fixture();
    const { mintUnitLink } = await import('../../shared/domain/links/unitLink.js');
    const token = await mintUnitLink(linkSigner, {
      plan: plan.id,
      unit: 'kaiping',
      version: 1,
      expires: 1_700_000_000,
    });
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
    const page = await context.newPage();

    // Act
    await page.goto(`${portal.url}/u/${token}`);
    const unitOverflow = await overflowsSideways(page);
    const unitFindings = await seriousViolations(page);
    await page.goto(`${portal.url}/plans/${plan.id}/units/kaiping/milestones/${MILESTONE}/submit`);
    const submitOverflow = await overflowsSideways(page);
    const submitFindings = await seriousViolations(page);

    // Assess
    expect({ unitOverflow, submitOverflow }).toEqual({ unitOverflow: false, submitOverflow: false });
    expect(unitFindings).toEqual([]);
    expect(submitFindings).toEqual([]);
    await context.close();
  });
});
