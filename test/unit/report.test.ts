import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../shared/domain/notices/escape.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { stageKinds } from '../../shared/domain/plan/schema.js';
import { NOTICE_LABEL, STAGE_LABEL } from '../../shared/domain/plan/stages.js';
import { parsePlan } from '../../shared/domain/plan/validate.js';
import { renderBoard } from '../../shared/web/report/board.js';
import { wallMinute } from '../../shared/web/report/format.js';
import { statusLight } from '../../shared/web/report/lights.js';
import type { ReportFailures } from '../../sim/report/failures.js';
import { renderReport } from '../../sim/report/renderReport.js';
import { planIdOf, writeReport } from '../../sim/report/writeReport.js';
import { buildReportFixture, LATE, loadSeed } from '../support/reportFixture.js';

const fixture = buildReportFixture();
const html = renderReport(fixture);

/** Every `src`/`href`/`url()`/`@import` that would make the browser fetch something from a host. */
function remoteReferences(doc: string): string[] {
  const patterns = [
    /\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\/[^"'\s>]*/gi,
    /url\(\s*["']?\s*(?:https?:)?\/\/[^)]*\)/gi,
    /@import\s+["']?(?:https?:)?\/\//gi,
  ];
  return patterns.flatMap((p) => doc.match(p) ?? []);
}

/** The content of every `<td class="cell …">` of the board, by status class. */
function cells(doc: string, light: 'green' | 'yellow' | 'red' | 'grey'): string[] {
  return [...doc.matchAll(new RegExp(`<td class="cell ${light}">(.*?)</td>`, 'g'))].map((m) => m[1] ?? '');
}

describe('renderReport on the seed plan', () => {
  it('is one HTML5 document in Chinese, utf-8, with no script at all', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b/i);
  });

  it('loads nothing from anywhere: no remote src/href/url()/@import', () => {
    expect(remoteReferences(html)).toEqual([]);
    expect(html).toContain("default-src 'none'");
  });

  it('the remote-reference check itself catches remote assets', () => {
    expect(remoteReferences('<img src="https://cdn.example/x.png">')).toHaveLength(1);
    expect(remoteReferences('<link href=//fonts.example/a.css>')).toHaveLength(1);
    expect(
      remoteReferences('<style>@import "https://x/y.css"; a{background:url(http://x/y.png)}</style>'),
    ).toHaveLength(2);
  });

  it('shows the header: title, id, time zone, generated at and the counts', () => {
    const { plan } = fixture;
    expect(html).toContain(`<h1>${plan.title} · 督办报告</h1>`);
    expect(html).toContain(plan.id);
    expect(html).toContain('Asia/Shanghai');
    expect(html).toContain('2022-01-31 18:00');
    expect(html).toContain(`<div class="big">${fixture.result.notices.length} 封</div>`);
    for (const s of stageKinds) {
      const n = fixture.result.notices.filter((x) => x.stage === s).length;
      expect(html).toMatch(new RegExp(`${STAGE_LABEL[s]}</span> <b>${n}</b>`));
    }
  });

  it('names every unit and every milestone', () => {
    for (const u of fixture.plan.units) expect(html, u.name).toContain(u.name);
    for (const m of fixture.plan.milestones) {
      expect(html, m.title).toContain(m.title);
      expect(html).toContain(`data-milestone="${m.id}"`);
    }
  });

  it('uses every stage label, in the legend and on the notices', () => {
    for (const s of stageKinds) {
      expect(html).toContain(`class="tl-legend">${STAGE_LABEL[s]}</text>`);
      expect(html).toContain(`class="stage stage-${s}"`);
    }
  });

  it('shows each board cell as a light with its word: green, yellow and red', () => {
    const board = fixture.result.board;
    const count = (s: string) => board.filter((r) => r.status === s).length;
    expect(count('submitted')).toBeGreaterThan(0);
    expect(count('late')).toBe(1);
    expect(count('missing')).toBeGreaterThan(0);
    expect(cells(html, 'green')).toHaveLength(count('submitted'));
    expect(cells(html, 'yellow')).toHaveLength(count('late'));
    expect(cells(html, 'red')).toHaveLength(count('missing'));
    for (const c of cells(html, 'green')) expect(c).toContain('<b>绿</b> 按时报送');
    for (const c of cells(html, 'red')) expect(c).toContain('<b>红</b> 未报送');
    const [lateCell] = cells(html, 'yellow');
    expect(lateCell).toContain('<b>黄</b> 逾期报送');
    expect(lateCell).toContain('>06-03 10:15</time>');
    expect(lateCell).toContain(`最后督办：${STAGE_LABEL.overdue}`);
  });

  it('puts the late unit in its own row, and lists red units in the summary', () => {
    const xinhui = fixture.plan.units.find((u) => u.id === LATE.unit);
    const row = html.split('<tr>').find((r) => r.includes(`<span class="unit-name">${xinhui?.name}</span>`));
    expect(row).toContain('<b>黄</b> 逾期报送');
    expect(html).toMatch(
      /仍未报送的单位（红）<\/h3><ul class="late-units"><li><span>[^<]+<\/span><span class="n">2 项<\/span>/,
    );
  });

  it('draws the SVG timeline with a mark, and a tooltip, for every notice and every deadline', () => {
    expect(html).toMatch(/<svg class="timeline" viewBox="0 0 1200 \d+"/);
    for (const n of fixture.result.notices) {
      expect(html, n.at).toContain(`<title>${wallMinute(n.at)} · ${NOTICE_LABEL[n.stage]}\n`);
    }
    for (const m of fixture.plan.milestones) expect(html).toContain(`<title>截止时间：${m.deadline} 当日结束前`);
    // Stages that were scheduled but not sent (everyone had delivered) are drawn hollow.
    const sent = new Set(fixture.result.notices.map((n) => `${n.milestone}|${n.stage}|${Date.parse(n.at)}`));
    const unsent = fixture.schedule.filter((o) => !sent.has(`${o.milestone}|${o.stage}|${o.instant}`));
    expect(unsent.length).toBeGreaterThan(0);
    expect(html.split('计划发送时间；本次未发送').length - 1).toBe(unsent.length * 2);
    expect(html).toContain('class="tl-submission" data-status="late"');
    // Month labels of the year axis.
    expect(html).toContain('>4月</text>');
    expect(html).toContain('>2022年</text>');
  });

  it('lists every notice in time order with its subject, recipients and escaped bodies', () => {
    const { notices } = fixture.result;
    expect(html.split('<details class="notice"').length - 1).toBe(notices.length);
    const times = [...html.matchAll(/<summary><span class="n-seq">\d+<\/span><time datetime="([^"]+)"/g)].map((m) =>
      Date.parse(m[1] ?? ''),
    );
    expect(times).toHaveLength(notices.length);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const n of notices) {
      expect(html).toContain(escapeHtml(n.subject));
      for (const a of [...n.to, ...n.cc]) expect(html).toContain(`<code>${a}</code>`);
      expect(html).toContain(`<pre class="mail-text">${escapeHtml(n.text ?? '')}</pre>`);
      expect(html).toContain(`srcdoc="${escapeHtml(n.html ?? '')}"`);
      // The email's own markup never reaches the report's DOM.
      expect(html).not.toContain(n.html ?? '');
    }
    expect(html).toContain('&lt;b&gt;');
    expect(html).toMatch(/<iframe class="mail-html" sandbox="" /);
  });
});

describe('renderReport escapes everything it interpolates', () => {
  const seed = loadSeed();
  const raw = structuredClone(seed) as Plan & Record<string, unknown>;
  const gxj = raw.units.find((u) => u.id === 'gxj');
  if (gxj) gxj.name = '<script>alert(1)</script>';
  const first = raw.milestones[0];
  if (first) first.deliverable = '"><svg onload=alert(2)>';
  raw.title = `O'Brien & "Co" <i>plan</i>`;
  const plan = parsePlan(raw);
  const hostile = buildReportFixture(plan);
  const [n0, ...rest] = hostile.result.notices;
  const notices = n0 ? [{ ...n0, subject: '<img src=x onerror=alert(1)>', to: ['a"b@example.com'] }, ...rest] : rest;
  const doc = renderReport({ ...hostile, result: { ...hostile.result, notices } });

  it('shows hostile names, subjects and titles as text', () => {
    expect(doc).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(doc).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(doc).toContain('O&#39;Brien &amp; &quot;Co&quot; &lt;i&gt;plan&lt;/i&gt;');
    expect(doc).toContain('a&quot;b@example.com');
    expect(doc).toContain('title="报送材料：&quot;&gt;&lt;svg onload=alert(2)&gt;"');
  });

  it('contains none of them as markup, not even inside srcdoc', () => {
    expect(doc).not.toContain('<script>alert');
    expect(doc).not.toContain('<img src=x');
    expect(doc).not.toContain('<svg onload');
    expect(doc).not.toMatch(/<script\b/i);
    expect(doc).not.toContain('<i>plan</i>');
  });

  it('escapes the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('renderReport of a run that left notices undelivered', () => {
  // Prepare: district-plans' 催办 failed every attempt: its notices are in the ledger as failed, not sent.
  const overdue = fixture.schedule.find((o) => o.milestone === 'district-plans' && o.stage === 'overdue');
  if (!overdue) throw new Error('the fixture has no district-plans overdue');
  const failedNotices = fixture.result.notices.filter(
    (n) => n.milestone === overdue.milestone && n.stage === 'overdue',
  );
  const failures: ReportFailures = {
    deadLetters: [
      {
        schedule: `district-plans.${overdue.step}-overdue`,
        payload: { plan: fixture.plan.id, milestone: 'district-plans', stage: 'overdue', revision: 1 },
        at: overdue.wall,
        timezone: fixture.plan.timezone,
        attempts: 3,
        error: 'DispatchIncompleteError: <img src=x onerror=alert(1)> 8 notices failed',
        failedAt: overdue.instant + 3 * 60_000,
      },
    ],
    unsent: failedNotices.map((n) => ({
      milestone: n.milestone,
      stage: n.stage,
      fireAt: n.at,
      unit: n.units[0] ?? '',
      role: 'unit' as const,
      units: n.units,
      to: n.to,
      subject: n.subject,
      state: 'failed' as const,
      attempts: 3,
      error: 'ServiceUnavailable: Service is unavailable.',
    })),
  };
  const result = { ...fixture.result, notices: fixture.result.notices.filter((n) => !failedNotices.includes(n)) };

  // Act
  const doc = renderReport({ ...fixture, result, failures });

  it('leads with a red section naming each dead-lettered stage and each owed-but-unsent notice', () => {
    expect(failedNotices.length).toBeGreaterThan(0);
    const section = doc.slice(doc.indexOf('<section class="card alert" id="failures" role="alert">'));
    expect(doc.indexOf('id="failures"')).toBeLessThan(doc.indexOf('id="timeline"'));
    expect(section).toContain(`未送达：1 个督办环节、0 封通知进入死信，${failedNotices.length} 封应发通知未发出`);
    const letters = section.split('<tr class="dead-letter">').slice(1);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toContain(`${wallMinute(overdue.fireAt)}</time>`);
    expect(letters[0]).toContain('各市（区）制定本市（区）工作计划并报送备案');
    expect(letters[0]).toContain(`stage-overdue">`);
    expect(letters[0]).toContain('<td>3</td>');
    const rows = section.split('<tr class="unsent">').slice(1);
    expect(rows).toHaveLength(failedNotices.length);
    for (const n of failedNotices) {
      const name = fixture.plan.units.find((u) => u.id === n.units[0])?.name ?? '';
      expect(rows.some((r) => r.includes(name) && n.to.every((a) => r.includes(`<code>${a}</code>`)))).toBe(true);
    }
    expect(doc).toContain('<a href="#failures" class="toc-alert">');
  });

  it('marks the failed stage on the timeline as failed, not as a stage nobody was owed', () => {
    const marks = [
      ...doc.matchAll(/<g class="tl-mark tl-failed" data-stage="overdue" data-state="failed"><title>([^<]*)</g),
    ];
    expect(marks).toHaveLength(2);
    for (const [, tip] of marks) {
      expect(tip).toContain(`发送失败：${failedNotices.length} 封应发通知未发出（重试用尽，已进入死信）`);
      expect(tip).not.toContain('本次未发送');
    }
    expect(doc).toContain('红叉 = 发送失败');
    expect(doc).toMatch(/发送失败 1 个（时间轴上以红叉标出）/);
  });

  it('names each notice the work queue dead-lettered, with its unit, recipient and deliveries', () => {
    // Prepare
    const [unit] = fixture.plan.units;
    const deadNotices = [
      {
        milestone: 'district-plans',
        stage: 'overdue' as const,
        occurrence: '2021-06-01T09:00:00',
        unit: unit?.id ?? '',
        role: 'supervisor',
        receives: 5,
      },
    ];

    // Act
    const html = renderReport({ ...fixture, failures: { deadLetters: [], deadNotices, unsent: [] } });

    // Assess
    expect(html).toContain('未送达：0 个督办环节、1 封通知进入死信，0 封应发通知未发出');
    const [row] = html.split('<tr class="dead-letter">').slice(1);
    expect(row).toContain('2021-06-01 09:00');
    expect(row).toContain(unit?.name ?? '?');
    expect(row).toContain('分管领导');
    expect(row).toContain('<td>5</td>');
  });

  it('escapes what the failures carry', () => {
    expect(doc).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(doc).not.toContain('<img src=x');
  });

  it('shows none of it when nothing failed', () => {
    const clean = renderReport({ ...fixture, failures: { deadLetters: [], unsent: [] } });
    // Empty lists render exactly the report of a run with no failures given.
    expect(clean).toBe(html);
    expect(clean).not.toContain('id="failures"');
    expect(clean).not.toContain('data-state="failed"');
    expect(clean).not.toContain('红叉 = 发送失败');
  });
});

describe('board helpers', () => {
  it('renders a pending (grey) light on a live board and an unknown unit by its id', () => {
    expect(statusLight('pending')).toContain('<b>灰</b> 未到期');
    const plan = fixture.plan;
    const doc = renderBoard(plan, [
      {
        milestone: 'city-summary',
        unit: 'gxj',
        status: 'pending',
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
      {
        milestone: 'city-plan',
        unit: 'ghost-unit',
        status: 'missing',
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
    ]);
    expect(cells(doc, 'grey')).toHaveLength(1);
    expect(doc).toContain('<span class="unit-name">ghost-unit</span>');
  });

  it('says so when no notice was sent', () => {
    const doc = renderReport({ ...fixture, result: { notices: [], board: fixture.result.board } });
    expect(doc).toContain('本次模拟未发出任何通知。');
    expect(doc).not.toContain('<details class="notice"');
  });
});

describe('writeReport', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes <plan>-<timestamp>.html into a folder and returns the absolute path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duban-report-'));
    dirs.push(dir);
    const path = await writeReport(html, join(dir, 'nested'), new Date('2022-01-31T10:00:00.123Z'));
    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(join(dir, 'nested', 'jiangmen-2021-20220131T100000Z.html'));
    expect(await readFile(path, 'utf8')).toBe(html);
  });

  it('writes to an exact .html path when given one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duban-report-'));
    dirs.push(dir);
    const path = await writeReport('<!DOCTYPE html>', join(dir, 'out.html'));
    expect(path).toBe(join(dir, 'out.html'));
    expect(await readFile(path, 'utf8')).toBe('<!DOCTYPE html>');
  });

  it('keeps the file name to slug characters', () => {
    expect(planIdOf('<meta name="duban-plan" content="../../etc/x">')).toBe('etcx');
    expect(planIdOf('<p>no meta</p>')).toBe('report');
  });
});

describe('the report of a run with failed deliveries', () => {
  // Prepare: the first district reminder bounced, a later one was never sent (suppressed address).
  const fixture = buildReportFixture();
  const [bounced, suppressed] = fixture.result.notices.filter((n) => n.milestone === 'district-plans');
  if (!bounced || !suppressed) throw new Error('the fixture has district-plans notices');
  const failure = (n: typeof bounced, delivery: 'bounced' | 'suppressed', reason: string) => ({
    milestone: n.milestone,
    stage: n.stage,
    fireAt: n.at,
    units: n.units,
    unit: n.units[0] ?? '',
    role: 'unit' as const,
    delivery,
    deliveryReason: reason,
    failedRecipients: [`${n.units[0]}#unit`],
    ...(delivery === 'bounced' ? { messageId: n.messageId } : {}),
  });
  const deliveryFailures = [
    failure(bounced, 'bounced', 'Permanent/General 5.1.1 <b>'),
    failure(suppressed, 'suppressed', 'suppression list: BOUNCE'),
  ];
  const notices = fixture.result.notices.map((n) =>
    n === bounced
      ? { ...n, delivery: 'bounced' as const }
      : n === suppressed
        ? { ...n, delivery: 'suppressed' as const, messageId: '' }
        : { ...n, delivery: 'delivered' as const },
  );
  const board = fixture.result.board.map((r) =>
    r.milestone === 'district-plans' && r.unit === bounced.units[0]
      ? { ...r, deliveryFailure: { delivery: 'bounced' as const, role: 'unit' as const, stage: bounced.stage } }
      : r,
  );

  // Act
  const doc = renderReport({ ...fixture, result: { notices, board }, deliveryFailures });

  it('lists each failed delivery in red, naming the unit, whose address and what to do', () => {
    const section = doc.slice(doc.indexOf('<section class="card alert" id="undelivered" role="alert">'));
    expect(section).toContain('投递失败：2 封通知未送达收件人');
    const rows = section.split('<tr class="undelivered">').slice(1);
    expect(rows).toHaveLength(2);
    const unit = fixture.plan.units.find((u) => u.id === bounced.units[0]);
    expect(rows[0]).toContain(`${unit?.name}（责任单位）<br><code>${unit?.email}</code>`);
    expect(rows[0]).toContain('<b>退信</b>');
    expect(rows[0]).toContain('calendar set-contacts');
    expect(rows[0]).toContain('Permanent/General 5.1.1 &lt;b&gt;');
    expect(rows[1]).toContain('地址在 SES 抑制名单中，未发送');
    expect(rows[1]).toContain('aws sesv2 delete-suppressed-destination');
    expect(doc).toContain('<a href="#undelivered" class="toc-alert">投递失败（2 封）</a>');
  });

  it('marks 投递失败 on the board cell and the unit, and on the notice itself', () => {
    expect(doc).toContain('<span class="cell-meta undelivered">投递失败：责任单位地址退信</span>');
    expect(doc).toContain('<span class="unit-red">投递失败</span>');
    expect(doc.split('<span class="undelivered-badge"').length - 1).toBe(2);
    expect(doc).toContain('（未交 SES：地址在抑制名单中）');
  });
});
