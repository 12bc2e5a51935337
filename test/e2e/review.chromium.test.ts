import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitLinkUrl } from '../../shared/domain/links/unitLink.js';
import type { StoredPlan } from '../../shared/domain/ports.js';
import { launchChromium, overflowsSideways, seriousViolations } from '../support/browser.js';
import { usePortal } from '../support/portal.js';
import { seedPlan, shanghai } from '../support/seed.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';
/** 市工业和信息化局 receives the districts' plans: it reviews them. */
const REVIEWER = 'gxj';
/** `DUBAN_UPDATE_SCREENSHOT=1` copies the review page on a phone to docs/ for the README. */
const DOCS_PNG = fileURLToPath(new URL('../../docs/portal-review.png', import.meta.url));

describe('review and 延期申请 in a real browser', () => {
  const fixture = usePortal('2021-05-27T10:00:00');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  const work = mkdtempSync(join(tmpdir(), 'duban-review-browser-'));
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A page signed in as `unit` through its personal link, as if it came from its email. */
  const openAs = async (unit: string, viewport = { width: 1280, height: 1000 }): Promise<Page> => {
    const { a, portal, linkSigner, clock } = fixture();
    const stored = (await a.calendar.loadPlan(plan.id)) as StoredPlan;
    const link = await unitLinkUrl({ baseUrl: portal.url, signer: linkSigner }, stored, unit, clock.now());
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(link);
    return page;
  };

  it('a unit asks for more time by keyboard, is refused a date not after its deadline with its reason kept, then the reviewer approves', async () => {
    // Prepare
    const unit = await openAs('jianghai');
    await unit.getByText('申请延期').first().click();

    // Act: a date that is no extension, typed and sent with the keyboard.
    await unit.getByLabel('申请延至').first().fill('2021-05-31');
    await unit.getByLabel('延期理由').first().fill('区政府常务会议6月8日审议');
    await unit.getByLabel('延期理由').first().focus();
    await unit.keyboard.press('Tab');
    await unit.keyboard.press('Enter');

    // Assess: the refusal names the problem in Chinese (an alert), nothing typed is lost.
    await expect.poll(() => unit.locator('.error-summary').first().textContent()).toContain('应晚于现截止时间');
    expect(await unit.getByLabel('延期理由').first().inputValue()).toBe('区政府常务会议6月8日审议');

    // Act: a good date.
    await unit.getByLabel('申请延至').first().fill('2021-06-10');
    await unit.getByRole('button', { name: '提交延期申请' }).first().click();
    await expect.poll(() => unit.locator('body').textContent()).toContain('延期申请待审批：申请延至2021年6月10日');

    // Act: the reviewer grants 9 June instead.
    const reviewer = await openAs(REVIEWER);
    await reviewer.getByRole('link', { name: /审核各单位报送材料/ }).click();
    await expect.poll(() => reviewer.locator('h1').textContent()).toBe('审核报送材料');
    await reviewer.getByLabel('批准延至').first().fill('2021-06-09');
    await reviewer.getByRole('button', { name: '批准延期' }).first().click();

    // Assess: the unit's page shows its own date; only its date moved.
    await expect.poll(() => reviewer.locator('h1').textContent()).toBe('审核报送材料');
    await unit.reload();
    expect(await unit.locator('body').textContent()).toContain('2021年6月9日（已延期');
    const stored = await fixture().a.calendar.loadPlan(plan.id);
    expect(stored?.milestones.find((m) => m.id === MILESTONE)?.deadline).toBe('2021-05-31');
    await unit.context().close();
    await reviewer.context().close();
  });

  it('the review page reads on a 375 px phone, and axe finds nothing serious with a submission and a request waiting', async () => {
    // Prepare
    const { a } = fixture();
    await a.submissions.record({
      plan: plan.id,
      milestone: MILESTONE,
      unit: 'heshan',
      at: shanghai('2021-05-26T16:00:00'),
      by: 'link:heshan:v1',
      ref: '鹤府函〔2021〕3号',
    });
    await a.submissions.requestExtension({
      plan: plan.id,
      milestone: MILESTONE,
      unit: 'taishan',
      deadline: '2021-06-08',
      reason: '待市政府常务会议审议',
      at: shanghai('2021-05-27T09:00:00'),
      by: 'link:taishan:v1',
    });
    const page = await openAs(REVIEWER, { width: 375, height: 740 });

    // Act
    await page.goto(`${fixture().portal.url}/plans/${plan.id}/units/${REVIEWER}/review`);
    await page.locator('summary', { hasText: '退回' }).first().click();
    await expect.poll(() => page.getByLabel('退回理由').first().isVisible()).toBe(true);
    const overflow = await overflowsSideways(page);
    const findings = await seriousViolations(page);
    const shot = join(work, 'portal-review.png');
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.DUBAN_UPDATE_SCREENSHOT) copyFileSync(shot, DOCS_PNG);

    // Assess
    expect(await page.locator('body').textContent()).toContain('鹤府函〔2021〕3号');
    expect(await page.locator('body').textContent()).toContain('待市政府常务会议审议');
    expect(overflow).toBe(false);
    expect(findings).toEqual([]);
    await page.context().close();
  });
});
