import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../shared/domain/log.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { Milestone } from '../../shared/domain/plan/schema.js';
import { launchChromium, overflowsSideways, seriousViolations } from '../support/browser.js';
import { dispatchAndSend } from '../support/fanOut.js';
import { usePortal } from '../support/portal.js';
import { seedPlan } from '../support/seed.js';
import { emailsWithIds } from '../support/stack.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';

describe('the 约谈回执 in a real browser, on a phone', () => {
  const fixture = usePortal('2021-06-15T08:00:00');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fills the 回执 by keyboard at 375 px, errors in Chinese beside the field, no sideways scroll, no serious axe finding', async () => {
    // Prepare: the summons goes out; 恩平市's email carries the 回执 link.
    const { a, clock, portal, linkSigner } = fixture();
    const milestone = plan.milestones.find((m) => m.id === MILESTONE) as Milestone;
    clock.advanceTo(occurrencesOf(plan, milestone).find((o) => o.stage === 'summons')?.instant ?? Number.NaN);
    await dispatchAndSend(
      { ...a, clock, log: silentLog, portal: { baseUrl: portal.url, signer: linkSigner } },
      { plan: plan.id, milestone: MILESTONE, stage: 'summons', revision: 1 },
    );
    const sent = (await a.ledger.listForMilestone(plan.id, MILESTONE)).filter((r) => r.unit === 'enping');
    const [email] = await emailsWithIds(sent.map((r) => r.messageId ?? ''));
    const link = /https?:\/\/\S+\/r\/\S+/.exec(email?.body.text ?? '')?.[0] as string;
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);

    // Act: open it, submit with the phone missing, then fix it by keyboard.
    await page.goto(link);
    await expect.poll(() => page.locator('h1').textContent()).toContain('约谈回执');
    expect(await overflowsSideways(page)).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('姓名').first().fill('陈某');
    await page.getByLabel('职务').first().fill('市长');
    await page.getByRole('button', { name: '下一步：核对回执' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('请填写第1位参加人员的联系电话');
    expect(await page.getByLabel('姓名').first().inputValue()).toBe('陈某');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('联系电话').first().focus();
    await page.keyboard.type('0750-7777001');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('核对约谈回执');
    await page.getByRole('button', { name: '确认提交回执' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('回执已提交');

    // Assess
    expect(await overflowsSideways(page)).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    const { receipts } = await a.submissions.listResponses(plan.id, MILESTONE);
    expect(receipts.map((r) => [r.unit, r.attendees])).toEqual([
      ['enping', [{ name: '陈某', post: '市长', phone: '0750-7777001' }]],
    ]);
    await context.close();
    // Three axe runs and seven summonses dispatched: about 20 s on a loaded 2-core machine.
  }, 90_000);
});
