import { describe, expect, it } from 'vitest';
import { mintUnitLink } from '../../shared/domain/links/unitLink.js';
import { sessionCookieName } from '../../shared/handlers/portal/session.js';
import { csrfOf, Visitor } from '../support/browserless.js';
import { usePortal } from '../support/portal.js';
import { shanghai } from '../support/seed.js';

const PLAN = 'jiangmen-2021';
const UNIT = 'enping';
const MILESTONE = 'district-plans';
const unitPage = `/plans/${PLAN}/units/${UNIT}`;
const milestonePath = `${unitPage}/milestones/${MILESTONE}`;
/** A link far from expiry: the year after the plan's last deadline. */
const FAR = Math.floor(shanghai('2022-06-30T00:00:00') / 1000);

/** A token's payload as JSON, changed by `change`, with the original MAC kept: a forgery. */
function tamper(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [payload, mac] = token.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  change(claims);
  return `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
}

describe('the portal against someone who is not the unit', () => {
  const fixture = usePortal();
  const mint = (claims: Partial<{ plan: string; unit: string; version: number; expires: number }> = {}) =>
    mintUnitLink(fixture().linkSigner, { plan: PLAN, unit: UNIT, version: 1, expires: FAR, ...claims });
  const open = async (token: string) => {
    const res = await new Visitor(fixture().portal.url).get(`/u/${token}`);
    return { status: res.status, body: await res.text(), cookie: res.headers.get('set-cookie') };
  };
  /** A visitor holding a session of `unit` (opened through its genuine link). */
  const signedIn = async (unit = UNIT) => {
    const visitor = new Visitor(fixture().portal.url);
    expect((await visitor.get(`/u/${await mint({ unit })}`)).status).toBe(303);
    return visitor;
  };

  it('refuses every tampered field of a token with the same 403 page, and sets no session', async () => {
    // Prepare
    const genuine = await mint();
    const forgeries = [
      tamper(genuine, (c) => {
        c.u = 'heshan';
      }),
      tamper(genuine, (c) => {
        c.p = 'other-plan';
      }),
      tamper(genuine, (c) => {
        c.lv = 2;
      }),
      tamper(genuine, (c) => {
        c.x = FAR + 86_400;
      }),
      tamper(genuine, (c) => {
        c.k = 'kms:another-key';
      }),
      tamper(genuine, (c) => {
        c.pu = 'session';
      }),
      `${genuine.split('.')[0]}.${'A'.repeat(43)}`,
      `${genuine}x`,
      'not-a-token',
      `${genuine.split('.')[0]}.${genuine.split('.')[1]}.extra`,
    ];

    // Act
    const answers = await Promise.all(forgeries.map(open));
    const reference = answers[0];

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(answer.body).toBe(reference?.body);
      expect(answer.cookie).toBeNull();
    }
    expect(reference?.body).toContain('链接无效');
  });

  it('answers a genuine link for an unknown unit or another plan exactly as a forged one', async () => {
    // Act
    const forged = await open(tamper(await mint(), (c) => (c.u = 'heshan')));
    const unknownUnit = await open(await mint({ unit: 'ghost-unit' }));
    const otherPlan = await open(await mint({ plan: 'other-plan-2021' }));

    // Assess
    expect([unknownUnit.status, otherPlan.status]).toEqual([403, 403]);
    expect(unknownUnit.body).toBe(forged.body);
    expect(otherPlan.body).toBe(forged.body);
  });

  it('says an expired link has expired (410) and how to get a new one', async () => {
    // Act
    const expired = await open(await mint({ expires: Math.floor(fixture().clock.now() / 1000) - 1 }));

    // Assess
    expect(expired.status).toBe(410);
    expect(expired.body).toContain('链接已过期');
    expect(expired.body).toContain('联系督办办公室');
    expect(expired.cookie).toBeNull();
  });

  it('refuses a link after the unit’s links were rotated, and ends the sessions it opened', async () => {
    // Prepare
    const { a } = fixture();
    const visitor = await signedIn('heshan');
    const before = await mint({ unit: 'heshan' });

    // Act
    await a.calendar.rotateLink(PLAN, 'heshan');
    const page = await visitor.get(`/plans/${PLAN}/units/heshan`);
    const old = await open(before);
    const fresh = await open(await mint({ unit: 'heshan', version: 2 }));

    // Assess
    expect(page.status).toBe(401);
    expect(old.status).toBe(403);
    expect(fresh.status).toBe(303);
  });

  it('keeps one unit out of another’s pages, forms and milestones', async () => {
    // Prepare
    const visitor = await signedIn();
    const page = await (await visitor.get(unitPage)).text();
    const csrf = csrfOf(page);

    // Act
    const otherPage = await visitor.get(`/plans/${PLAN}/units/heshan`);
    const otherForm = await visitor.post(`/plans/${PLAN}/units/heshan/milestones/${MILESTONE}/submit`, {
      _csrf: csrf,
      ref: 'x',
      confirm: 'yes',
    });
    const notMine = await visitor.get(`${unitPage}/milestones/city-plan/submit`);
    const ackNotMine = await visitor.post(`${unitPage}/acknowledge`, {
      _csrf: csrf,
      milestone: 'city-plan',
      notice: 'x',
    });
    const noSession = await new Visitor(fixture().portal.url).get(unitPage);

    // Assess
    expect(otherPage.status).toBe(403);
    expect(otherForm.status).toBe(403);
    expect(notMine.status).toBe(404);
    expect(ackNotMine.status).toBe(404);
    expect(noSession.status).toBe(401);
    expect(await fixture().a.submissions.listForMilestone(PLAN, MILESTONE)).toEqual([]);
  });

  it('refuses a POST without the session’s token, with another token, or from another site', async () => {
    // Prepare
    const visitor = await signedIn();
    const csrf = csrfOf(await (await visitor.get(unitPage)).text());
    const form = { ref: '恩府函〔2021〕15号', confirm: 'yes' };

    // Act
    const missing = await visitor.post(`${milestonePath}/submit`, form);
    const wrong = await visitor.post(`${milestonePath}/submit`, { ...form, _csrf: `${csrf.slice(0, -2)}AA` });
    const crossSite = await visitor.post(
      `${milestonePath}/submit`,
      { ...form, _csrf: csrf },
      { origin: 'https://evil.example' },
    );

    // Assess
    expect([missing.status, wrong.status, crossSite.status]).toEqual([403, 403, 403]);
    expect(await fixture().a.submissions.listForMilestone(PLAN, MILESTONE)).toEqual([]);
  });

  it('escapes markup and refuses control characters in every field, keeping what was typed', async () => {
    // Prepare
    const visitor = await signedIn();
    const csrf = csrfOf(await (await visitor.get(unitPage)).text());
    const markup = '<script>alert(1)</script>"\'&';

    // Act
    const check = await visitor.post(`${milestonePath}/submit`, {
      _csrf: csrf,
      ref: markup,
      contact: markup,
      note: markup,
    });
    const control = await visitor.post(`${milestonePath}/submit`, {
      _csrf: csrf,
      ref: 'a\u0007b',
      contact: 'x\u202ey',
      phone: '<b>1</b>',
      note: 'ok',
    });

    // Assess
    const checked = await check.text();
    expect(check.status).toBe(200);
    expect(checked).not.toContain('<script>alert(1)</script>');
    expect(checked).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const refused = await control.text();
    expect(control.status).toBe(400);
    expect(refused).toContain('文号只能填写一行文字，不能含控制字符');
    expect(refused).toContain('联系人只能填写一行文字，不能含控制字符');
    expect(refused).toContain('请填写有效的联系电话');
    expect(refused).not.toContain('<b>1</b>');
  });

  it('has storage refuse an oversized file, another type, another prefix and a forged signature', async () => {
    // Prepare
    const visitor = await signedIn();
    const form = (await (await visitor.get(`${milestonePath}/upload-form?type=pdf`)).json()) as {
      url: string;
      fields: Record<string, string>;
    };
    const post = (fields: Record<string, string>, bytes: Buffer) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      data.append('file', new Blob([bytes]), 'doc.pdf');
      return fetch(form.url, { method: 'POST', body: data });
    };
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');

    // Act
    const oversized = await post(form.fields, Buffer.alloc(20 * 1024 * 1024 + 1, 0x25));
    const html = await post({ ...form.fields, 'Content-Type': 'text/html' }, pdf);
    const elsewhere = await post({ ...form.fields, key: `plans/${PLAN}/${MILESTONE}/heshan/x/\${filename}` }, pdf);
    const forged = await post({ ...form.fields, 'X-Amz-Signature': '0'.repeat(64) }, pdf);
    const extra = await post({ ...form.fields, acl: 'public-read' }, pdf);
    const fine = await post(form.fields, pdf);

    // Assess
    expect(oversized.status).toBe(400);
    expect(await oversized.text()).toContain('exceeds the maximum allowed size');
    expect([html.status, elsewhere.status, forged.status, extra.status]).toEqual([403, 403, 403, 403]);
    expect(fine.status).toBe(201);
    const stored = await fixture().portal.deps.attachments.list(`plans/${PLAN}/`);
    expect(stored.map((o) => o.key.split('/').slice(0, 4).join('/'))).toEqual([`plans/${PLAN}/${MILESTONE}/${UNIT}`]);
  });

  it('refuses a file whose content is not its type when the submission is recorded', async () => {
    // Prepare: a "PNG" that is an HTML page.
    const visitor = await signedIn('taishan');
    const base = `/plans/${PLAN}/units/taishan/milestones/${MILESTONE}`;
    const form = (await (await visitor.get(`${base}/upload-form?type=png`)).json()) as {
      url: string;
      fields: Record<string, string>;
    };
    const data = new FormData();
    for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
    data.append('file', new Blob(['<html><script>x</script></html>']), '图片.png');
    expect((await fetch(form.url, { method: 'POST', body: data })).status).toBe(201);
    const csrf = csrfOf(await (await visitor.get(`${base}/submit`)).text());

    // Act
    const res = await visitor.post(`${base}/submit`, { _csrf: csrf, ref: '台府函〔2021〕3号', confirm: 'yes' });

    // Assess
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('附件“图片.png”的内容不是PNG 图片（.png），请移除后重新上传');
    expect(
      (await fixture().a.submissions.listForMilestone(PLAN, MILESTONE)).filter((s) => s.unit === 'taishan'),
    ).toEqual([]);
  });

  it('keeps tokens, cookies and addresses out of its logs', async () => {
    // Prepare
    const token = await mint({ unit: 'kaiping' });
    const visitor = new Visitor(fixture().portal.url);

    // Act
    await visitor.get(`/u/${token}`);
    await visitor.get(`/u/${token}x`);
    await visitor.get(`/plans/${PLAN}/units/kaiping`);

    // Assess
    const logged = fixture().log.text();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(token.slice(0, 20));
    expect(logged).not.toContain(visitor.cookie(sessionCookieName(false)) ?? 'no cookie');
    expect(logged).not.toMatch(/@[a-z0-9-]+\.example/);
  });
});
