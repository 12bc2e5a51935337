import { describe, expect, it } from 'vitest';
import { silentLog } from '../../shared/domain/log.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { StageKind } from '../../shared/domain/plan/schema.js';
import { csrfOf, linkIn, Visitor } from '../support/browserless.js';
import { dispatchAndSend as dispatchStage } from '../support/fanOut.js';
import { usePortal } from '../support/portal.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { emailsWithIds } from '../support/stack.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';
const UNIT = 'enping';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('a unit does its whole part from its email: 签收 and 报送 on its portal page', () => {
  const fixture = usePortal('2021-05-20T08:00:00');

  /** Fires one stage as its schedule would, at its time. */
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
  const mailTo = async (messageIds: readonly string[], address: string) =>
    (await emailsWithIds(messageIds)).filter((e) => e.destination.to.some((to) => to.includes(address)));

  it('opens the link from the reminder, 签收s it, uploads a PDF and 报送s; the next stage leaves the unit alone', async () => {
    const { a, clock, portal } = fixture();
    // Prepare: the first reminder goes out; the unit's email carries its link.
    const reminder = await fire('reminder');
    expect(reminder.status).toBe('done');
    const sent = (await a.ledger.listForMilestone(plan.id, MILESTONE)).filter((r) => r.unit === UNIT);
    const [email] = await mailTo(
      sent.map((r) => r.messageId ?? ''),
      'enping',
    );
    const link = linkIn(email?.body.text);
    expect(link).toMatch(new RegExp(`^${portal.url}/u/`));
    expect(email?.body.html).toContain(`href="${link}"`);

    // Act: open it three days later. The token is traded for a session and leaves the address.
    clock.advanceTo(shanghai('2021-05-27T10:00:00'));
    const visitor = new Visitor(portal.url);
    const opened = await visitor.get(new URL(link as string).pathname);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/plans/${plan.id}/units/${UNIT}`);
    expect(opened.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(opened.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    const page = await (await visitor.get(`/plans/${plan.id}/units/${UNIT}`)).text();
    expect(page).toContain('恩平市人民政府督办事项');
    expect(page).toContain(sent[0]?.subject);

    // 签收
    const noticeId = /name="notice" value="([^"]+)"/.exec(page)?.[1] as string;
    const ack = await visitor.post(`/plans/${plan.id}/units/${UNIT}/acknowledge`, {
      _csrf: csrfOf(page),
      milestone: MILESTONE,
      notice: noticeId.replaceAll('&#124;', '|'),
    });
    expect(ack.status).toBe(303);
    const acked = await (await visitor.get(`/plans/${plan.id}/units/${UNIT}`)).text();
    expect(acked).toContain('已签收');

    // 报送: a PDF straight to storage with the presigned form, then the form, the check, the confirmation.
    const base = `/plans/${plan.id}/units/${UNIT}/milestones/${MILESTONE}`;
    const formRes = await visitor.get(`${base}/upload-form?type=pdf`, { accept: 'application/json' });
    expect(formRes.status).toBe(200);
    const upload = (await formRes.json()) as { url: string; fields: Record<string, string> };
    const data = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) data.append(k, v);
    data.append('file', new Blob([PDF], { type: 'application/pdf' }), '恩平市工作计划.pdf');
    const put = await fetch(upload.url, { method: 'POST', body: data, headers: { origin: portal.url } });
    expect(put.status).toBe(201);
    const form = await (await visitor.get(`${base}/submit`)).text();
    expect(form).toContain('恩平市工作计划.pdf');
    const fields = { _csrf: csrfOf(form), ref: '恩府函〔2021〕15号', contact: '李明', phone: '0750-7700000', note: '' };
    const check = await visitor.post(`${base}/submit`, fields);
    expect(check.status).toBe(200);
    const checkPage = await check.text();
    expect(checkPage).toContain('确认报送');
    expect(checkPage).toContain('返回修改');
    // 返回修改 posts the same values back: the form comes again with what was typed, nothing recorded yet.
    const again = await (await visitor.post(`${base}/submit`, { ...fields, edit: 'yes' })).text();
    expect(again).toContain('value="恩府函〔2021〕15号"');
    expect(again).toContain('value="0750-7700000"');
    expect((await a.submissions.listForMilestone(plan.id, MILESTONE)).filter((s) => s.unit === UNIT)).toEqual([]);
    const confirmed = await visitor.post(`${base}/submit`, { ...fields, confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    const done = await (await visitor.get(`${base}/done`)).text();
    expect(done).toContain('报送成功');

    // Assess: the submission has its author and its file; the next stage leaves this unit alone.
    const [submission] = (await a.submissions.listForMilestone(plan.id, MILESTONE)).filter((s) => s.unit === UNIT);
    expect(submission).toMatchObject({ by: `link:${UNIT}:v1`, ref: '恩府函〔2021〕15号', contact: '李明', seq: 1 });
    expect(submission?.at).toBe(shanghai('2021-05-27T10:00:00'));
    expect(submission?.attachments).toEqual([
      expect.objectContaining({ name: '恩平市工作计划.pdf', size: PDF.length, contentType: 'application/pdf' }),
    ]);
    expect(submission?.attachments?.[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await fire('reminder', 1);
    expect(second.status === 'done' && second.missing).not.toContain(UNIT);
  });
});
