import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fetchMailbox } from '../../shared/adapters/local/embeddedStack.js';
import { csrfOf, Visitor } from '../support/browserless.js';
import { ADMIN, JIANGHAI_SUPERVISOR, signInLinkFor } from '../support/office.js';
import { usePortal } from '../support/portal.js';
import { seedPlan } from '../support/seed.js';
import { endpoints } from '../support/stack.js';

const PLAN = 'jiangmen-2021';

/** The office's pages over HTTP, on the local server with the real stores, SES and schedules. */
describe('the office: sign-in by emailed link, the board scoped by role, the console admins only', () => {
  const fixture = usePortal('2021-05-20T10:00:00', { office: true });

  /** Signs `address` in through the mailbox, as a person does; the visitor keeps the session cookie. */
  const signIn = async (address: string) => {
    // A new window: an address is sent at most three links per 15 minutes.
    fixture().clock.advanceTo(fixture().clock.now() + 16 * 60_000);
    const visitor = new Visitor(fixture().portal.url);
    const asked = await visitor.post('/login', { email: address });
    expect(asked.status).toBe(200);
    const link = (await signInLinkFor(address)) as string;
    const opened = await visitor.get(link);
    expect(await opened.text()).toContain('确认登录');
    const token = link.slice(link.lastIndexOf('/') + 1);
    const confirmed = await visitor.post('/login/confirm', { token });
    return { visitor, token, confirmed };
  };

  it('answers a known and an unknown address alike, and mails a link only to the known one', async () => {
    // Prepare
    const visitor = new Visitor(fixture().portal.url);
    const NOBODY = 'nobody@example.gov.cn';

    // Act
    const unknown = await (await visitor.post('/login', { email: NOBODY })).text();
    // Other test files share the mailbox: what matters is that nothing went to the unknown address.
    const toUnknown = (await fetchMailbox(endpoints())).filter((m) => m.destination.to.includes(NOBODY));
    const known = await (await visitor.post('/login', { email: ADMIN })).text();
    const invalid = await visitor.post('/login', { email: 'not-an-address' });

    // Assess
    const body = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0];
    expect(body(unknown)).toBe(body(known));
    expect(toUnknown).toEqual([]);
    expect(await signInLinkFor(ADMIN)).toMatch(/\/login\//);
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('请填写有效的电子邮箱');
  });

  it('signs in once per link: a second click, even at the same moment, is refused', async () => {
    // Prepare
    fixture().clock.advanceTo(fixture().clock.now() + 16 * 60_000);
    const visitor = new Visitor(fixture().portal.url);
    await visitor.post('/login', { email: ADMIN });
    const link = (await signInLinkFor(ADMIN)) as string;
    const token = link.slice(link.lastIndexOf('/') + 1);

    // Act: two concurrent confirmations of the same link.
    const [a, b] = await Promise.all([
      new Visitor(fixture().portal.url).post('/login/confirm', { token }),
      new Visitor(fixture().portal.url).post('/login/confirm', { token }),
    ]);
    const reopened = await visitor.get(link);

    // Assess
    expect([a.status, b.status].sort()).toEqual([303, 403]);
    expect(reopened.status).toBe(403);
  });

  it('shows a supervisor only the units they supervise, and refuses them the console', async () => {
    // Act
    const { visitor, confirmed } = await signIn(JIANGHAI_SUPERVISOR);
    const board = await visitor.get(`/plans/${PLAN}`);
    const html = await board.text();
    const console = await visitor.get(`/plans/${PLAN}/console`);

    // Assess
    expect(confirmed.headers.get('location')).toBe('/plans');
    expect(board.status).toBe(200);
    expect(html).toContain('江海区人民政府');
    expect(html).not.toContain('恩平市人民政府');
    expect(console.status).toBe(403);
  });

  it('exports the board as a workbook with the sheets 看板, 通知记录 and 考核', async () => {
    // Prepare
    const { visitor } = await signIn(ADMIN);

    // Act
    const res = await visitor.get(`/plans/${PLAN}/export.xlsx`);
    expect([
      res.status,
      res.headers.get('content-type'),
      res.status === 200 ? '' : (await res.text()).slice(-600),
    ]).toEqual([200, expect.stringContaining('spreadsheetml'), '']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const csv = await visitor.get(`/plans/${PLAN}/export.csv?kind=district`);

    // Assess
    expect(book.worksheets.map((w) => w.name)).toEqual(['看板', '通知记录', '考核']);
    // 24 rows of the five reports' milestones and 7 of the exit ledger's (one per district).
    expect(book.getWorksheet('看板')?.rowCount).toBe(1 + 24 + 7);
    expect(book.getWorksheet('考核')?.getRow(1).values).toContain('累计逾期工作日');
    const text = await csv.text();
    expect(text).toContain('恩平市人民政府');
    expect(text).not.toContain('市发展改革局');
  });

  it('moves a deadline from the console: a preview that writes nothing, then the confirmed edit, audited by the person', async () => {
    // Prepare
    const { visitor } = await signIn(ADMIN);
    const form = await (await visitor.get(`/plans/${PLAN}/console/edit/deadline`)).text();
    const before = fixture()
      .schedules.all()
      .filter((s) => s.name.startsWith('capacity-report.'));

    // Act
    const preview = await visitor.post(`/plans/${PLAN}/console/edit/deadline`, {
      _csrf: csrfOf(form),
      milestone: 'capacity-report',
      unit: '',
      deadline: '2021-06-22',
    });
    const page = await preview.text();
    const unchanged = fixture()
      .schedules.all()
      .filter((s) => s.name.startsWith('capacity-report.'));
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
    const unquote = (s: string) => s.replaceAll('&quot;', '"');
    const confirmed = await visitor.post(`/plans/${PLAN}/console/edit/deadline/confirm`, {
      _csrf: csrfOf(page),
      edit: unquote(hidden('edit')),
      revisions: unquote(hidden('revisions')),
    });

    // Assess
    expect(page).toContain('预览：修改截止日期');
    expect(page).toContain('6月22日');
    expect(unchanged).toEqual(before);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('修改已生效');
    const after = fixture()
      .schedules.all()
      .find((s) => s.name === 'capacity-report.2-due');
    expect(after?.at).toBe('2021-06-22T09:00:00');
    const audit = await fixture().a.calendar.listAudit(PLAN);
    expect(audit.at(-1)).toMatchObject({ actor: `web:${ADMIN}`, action: 'setDeadline' });
  });

  it('ends the session on 退出: the same cookie opens nothing afterwards', async () => {
    // Prepare
    const { visitor } = await signIn(ADMIN);
    const board = await (await visitor.get(`/plans/${PLAN}`)).text();
    const cookie = visitor.cookie('duban-staff') as string;

    // Act
    await visitor.post('/logout', { _csrf: csrfOf(board) });
    const thief = new Visitor(fixture().portal.url);
    thief.setCookie('duban-staff', cookie);
    const after = await thief.get(`/plans/${PLAN}`);

    // Assess: the board named the person (no unit link to warn about); afterwards the cookie opens nothing.
    expect(board).toContain(`当前登录：${ADMIN}。`);
    expect(board).not.toContain('专用链接');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/login');
  });
  it('imports the plan file from the console: the edits it would undo listed first, applied only when ticked', async () => {
    // Prepare: the file as first imported; the console moved capacity-report since (the test above)
    const { visitor } = await signIn(ADMIN);
    const form = await (await visitor.get(`/plans/${PLAN}/console/import`)).text();
    const file = JSON.stringify(seedPlan());

    // Act
    const preview = await (
      await visitor.post(`/plans/${PLAN}/console/import`, { _csrf: csrfOf(form), planJson: file })
    ).text();
    const refused = await visitor.post(`/plans/${PLAN}/console/import/confirm`, {
      _csrf: csrfOf(preview),
      planJson: file,
    });
    const stillMoved = (await fixture().a.calendar.loadPlan(PLAN))?.milestones.find((m) => m.id === 'capacity-report');
    const forced = await visitor.post(`/plans/${PLAN}/console/import/confirm`, {
      _csrf: csrfOf(preview),
      planJson: file,
      force: '1',
    });
    const wrongPlan = await visitor.post(`/plans/${PLAN}/console/import`, {
      _csrf: csrfOf(preview),
      planJson: JSON.stringify({ ...seedPlan(), id: 'another-plan' }),
    });

    // Assess
    expect(preview).toContain('预览：导入计划文件');
    expect(preview).toContain('导入将撤销以下 1 项修改');
    expect(preview).toMatch(/milestone:capacity-report：deadline 2021-06-22 → 2021-06-15/);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('请勾选“我已核对”后再导入');
    expect(stillMoved?.deadline).toBe('2021-06-22');
    expect(forced.status).toBe(200);
    expect(await forced.text()).toContain('计划文件已导入');
    const after = (await fixture().a.calendar.loadPlan(PLAN))?.milestones.find((m) => m.id === 'capacity-report');
    expect(after?.deadline).toBe('2021-06-15');
    expect((await fixture().a.calendar.listAudit(PLAN)).at(-1)).toMatchObject({
      actor: `web:${ADMIN}`,
      action: 'reimport',
    });
    expect(wrongPlan.status).toBe(400);
    expect(await wrongPlan.text()).toContain('不是本计划（jiangmen-2021）');
  });
});
