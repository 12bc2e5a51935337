import { describe, expect, it } from 'vitest';
import { buildBoard, rowNotes } from '../../shared/domain/board/board.js';
import { silentLog } from '../../shared/domain/log.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { Milestone, StageKind } from '../../shared/domain/plan/schema.js';
import { csrfOf, Visitor } from '../support/browserless.js';
import { dispatchAndSend } from '../support/fanOut.js';
import { usePortal } from '../support/portal.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { emailsWithIds } from '../support/stack.js';

const plan = seedPlan();
const MILESTONE = 'district-plans';
const receiptLinkIn = (text: string | undefined) =>
  /https?:\/\/\S+\/r\/[A-Za-z0-9_.-]+\/[a-z0-9-]+/.exec(text ?? '')?.[0];

describe('约谈 followed through: the summoned unit sends its 回执 from the link in the 约谈通知', () => {
  const fixture = usePortal('2021-06-15T08:00:00');

  const fire = async (stage: StageKind) => {
    const { a, clock, portal, linkSigner } = fixture();
    const milestone = plan.milestones.find((m) => m.id === MILESTONE) as Milestone;
    const occurrence = occurrencesOf(plan, milestone).find((o) => o.stage === stage);
    clock.advanceTo(occurrence?.instant ?? Number.NaN);
    return dispatchAndSend(
      { ...a, clock, log: silentLog, portal: { baseUrl: portal.url, signer: linkSigner } },
      { plan: plan.id, milestone: MILESTONE, stage, revision: 1 },
    );
  };

  it('opens the 回执 form, refuses a bad phone with the field kept, checks, records it; the board shows 已回执', async () => {
    const { a, clock, portal } = fixture();
    // Prepare: the summons goes out to every district (none of them delivered on this table).
    const summons = await fire('summons');
    expect(summons).toMatchObject({ status: 'done', sent: 7 });
    const records = (await a.ledger.listForMilestone(plan.id, MILESTONE)).filter((r) => r.unit === 'heshan');
    const [email] = await emailsWithIds(records.map((r) => r.messageId ?? ''));
    // The local SES keeps a header's addresses as one comma-separated string.
    expect((email?.destination.to ?? []).flatMap((a) => a.split(',').map((x) => x.trim()))).toEqual([
      'office@heshan.jiangmen.example',
      'head@heshan.jiangmen.example',
      'supervisor@heshan.jiangmen.example',
    ]);
    const link = receiptLinkIn(email?.body.text);
    expect(link).toMatch(new RegExp(`^${portal.url}/r/.+/${MILESTONE}$`));

    // Act: the link opens a session and leads to the 回执 form.
    clock.advanceTo(shanghai('2021-06-16T10:00:00'));
    const visitor = new Visitor(portal.url);
    const opened = await visitor.get(new URL(link as string).pathname);
    expect(opened.status).toBe(303);
    const formPath = `/plans/${plan.id}/units/heshan/receipts/${MILESTONE}`;
    expect(opened.headers.get('location')).toBe(formPath);
    const form = await (await visitor.get(formPath)).text();
    expect(form).toContain('约谈回执');
    expect(form).toContain('市工业和信息化局会议室');
    expect(form).toContain('6月17日24时前');
    const csrf = csrfOf(form);

    // A bad phone: refused beside the field, in Chinese, nothing lost.
    const refused = await visitor.post(formPath, { _csrf: csrf, name1: '李某', post1: '市长', phone1: 'abc' });
    const refusedPage = await refused.text();
    expect(refused.status).toBe(400);
    expect(refusedPage).toContain('请填写有效的第1位参加人员的联系电话');
    expect(refusedPage).toContain('value="李某"');

    // A second attendee half filled: refused too.
    const partial = await visitor.post(formPath, {
      _csrf: csrf,
      name1: '李某',
      post1: '市长',
      phone1: '0750-8888001',
      name2: '王某',
    });
    expect(await partial.text()).toContain('请填写第2位参加人员的职务');

    // Check, then confirm.
    const values = {
      _csrf: csrf,
      name1: '李某',
      post1: '市长',
      phone1: '0750-8888001',
      name2: '王某',
      post2: '副市长',
      phone2: '13800000000',
    };
    const check = await (await visitor.post(formPath, values)).text();
    expect(check).toContain('核对约谈回执');
    expect(check).toContain('王某，副市长，13800000000');
    const confirmed = await visitor.post(formPath, { ...values, confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${formPath}/done`);
    const done = await (await visitor.get(`${formPath}/done`)).text();
    expect(done).toContain('回执已提交');

    // Assess: recorded with its author, and the board says 已回执 for that row alone.
    const { receipts } = await a.submissions.listResponses(plan.id, MILESTONE);
    expect(receipts).toEqual([
      expect.objectContaining({
        unit: 'heshan',
        by: 'link:heshan:v1',
        attendees: [
          { name: '李某', post: '市长', phone: '0750-8888001' },
          { name: '王某', post: '副市长', phone: '13800000000' },
        ],
      }),
    ]);
    const board = await buildBoard((await a.calendar.loadPlan(plan.id)) as never, a, clock.now());
    const heshan = board.find((r) => r.milestone === MILESTONE && r.unit === 'heshan');
    expect(heshan?.receipt).toEqual({ at: '2021-06-16T10:00:00+08:00', attendees: 2 });
    // What `status` and the report print beside the light.
    expect(heshan && rowNotes(heshan)).toContain('已回执');
    expect(board.filter((r) => r.receipt !== undefined)).toHaveLength(1);
  });

  it('has no 回执 for a milestone the unit was not summoned for, nor for another unit', async () => {
    const { portal, linkSigner, a } = fixture();
    // Prepare: a session of 蓬江区 (a link of its own).
    const { unitLinkUrl } = await import('../../shared/domain/links/unitLink.js');
    const stored = await a.calendar.loadPlan(plan.id);
    const link = await unitLinkUrl(
      { baseUrl: portal.url, signer: linkSigner },
      stored as never,
      'pengjiang',
      Date.now(),
    );
    const visitor = new Visitor(portal.url);
    await visitor.get(new URL(link).pathname);

    // Act
    const notSummoned = await visitor.get(`/plans/${plan.id}/units/pengjiang/receipts/annual-summary`);
    const another = await visitor.get(`/plans/${plan.id}/units/heshan/receipts/${MILESTONE}`);

    // Assess
    expect(notSummoned.status).toBe(404);
    expect(another.status).toBe(403);
  });
});
