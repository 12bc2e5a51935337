import { describe, expect, it } from 'vitest';
import { unitLinkUrl } from '../../shared/domain/links/unitLink.js';
import type { StoredPlan } from '../../shared/domain/ports.js';
import { csrfOf, Visitor } from '../support/browserless.js';
import { usePortal } from '../support/portal.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { emailsWithIds } from '../support/stack.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';
/** 市工业和信息化局 receives the districts' plans: it reviews them. */
const REVIEWER = 'gxj';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('the recipient reviews from its portal page, and a unit asks for more time from its own', () => {
  const fixture = usePortal('2021-05-27T10:00:00');

  /** A visitor signed in as `unit` through its link, as if it came from its email. */
  const signIn = async (unit: string) => {
    const { a, portal, linkSigner, clock } = fixture();
    const stored = (await a.calendar.loadPlan(plan.id)) as StoredPlan;
    const link = await unitLinkUrl({ baseUrl: portal.url, signer: linkSigner }, stored, unit, clock.now());
    const visitor = new Visitor(portal.url);
    expect((await visitor.get(new URL(link).pathname)).status).toBe(303);
    return visitor;
  };
  const page = (unit: string) => `/plans/${plan.id}/units/${unit}`;
  const review = `${page(REVIEWER)}/review`;
  /** What the ledger recorded as sent to `unit` for the milestone, of the given kind, and its email. */
  const answerTo = async (unit: string, stage: string) => {
    const { a } = fixture();
    const record = (await a.ledger.listForMilestone(plan.id, MILESTONE)).find(
      (r) => r.unit === unit && r.stage === stage,
    );
    const [email] = await emailsWithIds([record?.messageId ?? '']);
    return { record, email };
  };

  it('lists a submission with its attachment, refuses a return without a reason, and returns it with one', async () => {
    const { a, portal, schedules } = fixture();
    // Prepare: 蓬江区 has delivered its plan with a PDF, stored as the portal stores uploads.
    const form = await portal.deps.attachments.uploadForm({
      prefix: `plans/${plan.id}/${MILESTONE}/pengjiang/`,
      contentType: 'application/pdf',
      maxBytes: 1024 * 1024,
      expiresIn: 300,
    });
    const data = new FormData();
    for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
    data.append('file', new Blob([PDF], { type: 'application/pdf' }), '蓬江区工作计划.pdf');
    expect((await fetch(form.url, { method: 'POST', body: data, headers: { origin: portal.url } })).status).toBe(201);
    const [object] = await portal.deps.attachments.list(`plans/${plan.id}/${MILESTONE}/pengjiang/`);
    await a.submissions.record({
      plan: plan.id,
      milestone: MILESTONE,
      unit: 'pengjiang',
      at: shanghai('2021-05-26T16:00:00'),
      by: 'link:pengjiang:v1',
      ref: '蓬府函〔2021〕8号',
      attachments: [
        {
          key: object?.key ?? '',
          name: '蓬江区工作计划.pdf',
          size: PDF.length,
          contentType: 'application/pdf',
          sha256: '0'.repeat(64),
        },
      ],
    });
    const reviewer = await signIn(REVIEWER);

    // Act: the reviewer's page, and the attachment behind it.
    const home = await (await reviewer.get(page(REVIEWER))).text();
    const listed = await (await reviewer.get(review)).text();
    const download = await reviewer.get(`${review}/${MILESTONE}/pengjiang/attachments/0`);
    const file = await fetch(download.headers.get('location') ?? '');

    // Assess
    expect(home).toContain('审核各单位报送材料（1件待办）');
    expect(listed).toContain('蓬江区人民政府');
    expect(listed).toContain('待审核');
    expect(listed).toContain('蓬府函〔2021〕8号');
    expect(download.status).toBe(302);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('蓬江区工作计划.pdf'));

    // Act: 退回 with no reason, then with one.
    const refused = await reviewer.post(`${review}/${MILESTONE}/pengjiang/return`, {
      _csrf: csrfOf(listed),
      reason: ' ',
    });
    const refusedPage = await refused.text();
    const before = schedules.all().length;
    const returned = await reviewer.post(`${review}/${MILESTONE}/pengjiang/return`, {
      _csrf: csrfOf(listed),
      reason: '未明确年度重点任务的时间节点，请补充完善。',
    });

    // Assess: the refusal kept the page and changed nothing; the return moved pengjiang's date and told it.
    expect(refused.status).toBe(422);
    expect(refusedPage).toContain('请填写退回理由');
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toBe(`${review}?done=returned#r-${MILESTONE}`);
    const [stored] = (await a.submissions.listForMilestone(plan.id, MILESTONE)).filter((s) => s.unit === 'pengjiang');
    expect(stored?.review).toMatchObject({
      state: 'returned',
      by: `link:${REVIEWER}:v1`,
      reason: '未明确年度重点任务的时间节点，请补充完善。',
      // Three workdays from Thursday 27 May: Friday, Monday, Tuesday.
      deadline: '2021-06-01',
    });
    const own = schedules.all().filter((s) => s.name.endsWith('.pengjiang'));
    expect(own.length).toBeGreaterThan(0);
    expect(schedules.all().length).toBe(before + own.length);
    const { record, email } = await answerTo('pengjiang', 'returned');
    expect(record?.state).toBe('sent');
    expect(email?.body.text).toContain('未明确年度重点任务的时间节点');
    expect(email?.body.text).toMatch(new RegExp(`${portal.url}/u/`));

    // The unit sees why and by when, and may deliver again.
    const unit = await signIn('pengjiang');
    const unitPage = await (await unit.get(page('pengjiang'))).text();
    expect(unitPage).toContain('退回理由：未明确年度重点任务的时间节点，请补充完善。');
    expect(unitPage).toContain('请于2021年6月1日24时前修改后重新报送');
    expect(unitPage).toContain('重新报送材料');
  });

  it('takes a unit’s 延期申请 (refusing a date not after its deadline, keeping what it typed), and the reviewer approves another date', async () => {
    const { a, schedules } = fixture();
    const unit = await signIn('jianghai');
    const home = await (await unit.get(page('jianghai'))).text();
    expect(home).toContain('申请延期');
    const action = `${page('jianghai')}/milestones/${MILESTONE}/extension`;

    // Act: a date that is no extension, then a good one.
    const refused = await unit.post(action, {
      _csrf: csrfOf(home),
      deadline: '2021-05-31',
      reason: '区政府常务会议6月8日审议',
    });
    const refusedPage = await refused.text();
    const asked = await unit.post(action, {
      _csrf: csrfOf(home),
      deadline: '2021-06-10',
      reason: '区政府常务会议6月8日审议',
    });

    // Assess
    expect(refused.status).toBe(422);
    expect(refusedPage).toContain('申请延至的日期应晚于现截止时间2021年5月31日');
    expect(refusedPage).toContain('区政府常务会议6月8日审议');
    expect(asked.status).toBe(303);
    expect(await (await unit.get(page('jianghai'))).text()).toContain('延期申请待审批：申请延至2021年6月10日');

    // Act: the reviewer grants 9 June instead.
    const reviewer = await signIn(REVIEWER);
    const listed = await (await reviewer.get(review)).text();
    expect(listed).toContain('待审批的延期申请');
    const approved = await reviewer.post(`${review}/${MILESTONE}/jianghai/extension/approve`, {
      _csrf: csrfOf(listed),
      deadline: '2021-06-09',
    });

    // Assess: jianghai alone has its own date and ladder; it was told.
    expect(approved.status).toBe(303);
    const stored = await a.calendar.loadPlan(plan.id);
    const milestone = stored?.milestones.find((m) => m.id === MILESTONE);
    expect(milestone?.unitDeadlines?.jianghai).toMatchObject({ deadline: '2021-06-09', kind: 'extension' });
    expect(milestone?.deadline).toBe('2021-05-31');
    expect(schedules.all().some((s) => s.name.endsWith('.jianghai'))).toBe(true);
    const { email } = await answerTo('jianghai', 'extension-approved');
    expect(email?.body.text).toContain('2021年6月9日');
    expect(await (await unit.get(page('jianghai'))).text()).toContain('2021年6月9日（已延期');
  });

  it('lets only the milestone’s recipient review: another unit finds no review page and cannot act', async () => {
    const { a } = fixture();
    await a.submissions.record({
      plan: plan.id,
      milestone: MILESTONE,
      unit: 'xinhui',
      at: shanghai('2021-05-27T09:00:00'),
      by: 'link:xinhui:v1',
    });
    const other = await signIn('enping');
    const home = await (await other.get(page('enping'))).text();

    // Act
    const reviewPage = await other.get(`${page('enping')}/review`);
    const accept = await other.post(`${page('enping')}/review/${MILESTONE}/xinhui/accept`, { _csrf: csrfOf(home) });
    const intoReviewer = await other.post(`${review}/${MILESTONE}/xinhui/accept`, { _csrf: csrfOf(home) });

    // Assess
    expect(home).not.toContain('审核各单位报送材料');
    expect(reviewPage.status).toBe(404);
    expect(accept.status).toBe(404);
    expect(intoReviewer.status).toBe(403);
    const [stored] = (await a.submissions.listForMilestone(plan.id, MILESTONE)).filter((s) => s.unit === 'xinhui');
    expect(stored?.review).toBeUndefined();
  });
});
