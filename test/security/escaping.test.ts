import { describe, expect, it } from 'vitest';
import { buildNotices, type PlannedNotice } from '../../shared/domain/notices/build.js';
import { occurrencesOf, type StageOccurrence } from '../../shared/domain/plan/ladder.js';
import { type StageKind, stageKinds } from '../../shared/domain/plan/schema.js';
import { emailsWithIds, realAdapters } from '../support/stack.js';
import { ESCAPED, MARKUP, markupPlan } from './hostile.js';

const plan = markupPlan();
const milestone = plan.milestones[1] as (typeof plan.milestones)[number];
const districts = milestone.responsible;

/** The first occurrence of a stage for the milestone whose every value carries markup. */
function occurrence(stage: StageKind): StageOccurrence {
  const found = occurrencesOf(plan, milestone).find((o) => o.stage === stage);
  if (!found) throw new Error(`no ${stage} occurrence`);
  return found;
}

const noticesOf = (stage: StageKind): PlannedNotice[] => buildNotices(plan, milestone, occurrence(stage), districts);

/** The tags the notice template writes; markup from a value would add others. */
const TEMPLATE_TAGS = new Set([
  '!DOCTYPE',
  'html',
  'head',
  'meta',
  'title',
  'body',
  'div',
  'hr',
  'h1',
  'h2',
  'span',
  'a',
  'p',
  'ol',
  'li',
  'table',
  'tr',
  'th',
  'td',
  'blockquote',
  'br',
]);

const tagsOf = (html: string) => html.match(/<[^>]*>/g) ?? [];
const tagName = (tag: string) => /^<\/?([!a-zA-Z0-9]+)/.exec(tag)?.[1] ?? tag;

describe('notice HTML built from values that carry markup', () => {
  it.each(stageKinds)('writes only the template’s own tags in every %s notice', (stage) => {
    // Prepare / Act
    const notices = noticesOf(stage);

    // Assess
    expect(notices.length).toBeGreaterThan(0);
    for (const { email } of notices) {
      const tags = tagsOf(email.html);
      expect(tags.map(tagName).filter((name) => !TEMPLATE_TAGS.has(name))).toEqual([]);
      // `onerror=` itself survives as inert text inside `&lt;img …&gt;`; inside a tag it would run.
      expect(tags.filter((tag) => /\son[a-z]+\s*=/i.test(tag))).toEqual([]);
      expect(email.html).not.toMatch(/<script|<img|<svg|<\/script/i);
    }
  });

  it.each(stageKinds)('shows the markup of every %s notice as escaped text', (stage) => {
    // Prepare / Act
    const notices = noticesOf(stage);

    // Assess
    for (const { email } of notices) {
      expect(email.html).toContain(ESCAPED.script);
      expect(email.html).toContain(ESCAPED.img);
      expect(email.html).toContain(ESCAPED.svg);
      expect(email.text).toContain(MARKUP.script);
      expect(email.text).not.toContain('&lt;');
    }
  });

  it.each(stageKinds)('gives every %s notice a one-line subject', (stage) => {
    // Prepare / Act
    const subjects = noticesOf(stage).map((n) => n.email.subject);

    // Assess
    for (const subject of subjects) {
      expect(subject).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
      expect(subject.length).toBeGreaterThan(0);
    }
  });

  it('escapes the names each stage puts in its own places: heads, the interview, 主送, the circular’s list and 抄送', () => {
    // Prepare / Act
    const [summons] = noticesOf('summons');
    const escalation = noticesOf('overdue').find((n) => n.key.role === 'supervisor');
    const [circular] = noticesOf('circular');

    // Assess
    expect(summons?.email.html).toContain(`决定约谈你区主要负责人（${ESCAPED.img}负责人）`);
    expect(summons?.email.html).toContain(`二、约谈地点：</span>${ESCAPED.img}会议室</p>`);
    expect(summons?.email.html).toContain(`三、主持人：</span>${ESCAPED.svg}协调小组</p>`);
    expect(escalation?.email.html).toContain(`<p style="margin:0">蓬江区人民政府${ESCAPED.script}：</p>`);
    expect(circular?.email.html).toContain(`<li>蓬江区人民政府${ESCAPED.script}</li>`);
    expect(circular?.email.html).toMatch(/抄送：[^<]*&lt;script&gt;alert\(1\)&lt;\/script&gt;，/);
  });
});

describe('a notice with markup through the real mailer and the local SES', () => {
  it('arrives with escaped HTML, its subject intact and exactly the unit, its head and its supervisor as recipients', async () => {
    // Prepare
    const { mailer } = await realAdapters();
    const notice = noticesOf('summons').find((n) => n.key.unit === 'pengjiang');
    if (!notice) throw new Error('no summons for pengjiang');

    // Act
    const { messageId } = await mailer.send(notice.email);
    const [received] = await emailsWithIds([messageId]);

    // Assess
    const addresses = (list: string[] | undefined) => (list ?? []).flatMap((s) => s.split(/,\s*/));
    expect(addresses(received?.destination.to)).toEqual([
      'office@pengjiang.jiangmen.example',
      'head@pengjiang.jiangmen.example',
      'supervisor@pengjiang.jiangmen.example',
    ]);
    expect(addresses(received?.destination.cc)).toEqual([]);
    // A unit name with markup would make the title too long: it says 有关单位 instead, and never the markup.
    expect(received?.subject).toBe(notice.email.subject);
    expect(received?.subject).toMatch(/^关于约谈有关单位主要负责人的通知/);
    expect(received?.body.html).not.toMatch(/<script|<img|<svg/i);
    expect(received?.body.html).toContain(ESCAPED.img);
    expect(received?.body.text).toContain(MARKUP.script);
  });

  it('delivers a circular to exactly the milestone’s units, copied to the units the plan names', async () => {
    // Prepare
    const { mailer } = await realAdapters();
    const [circular] = noticesOf('circular');
    if (!circular) throw new Error('no circular');

    // Act
    const { messageId } = await mailer.send(circular.email);
    const [received] = await emailsWithIds([messageId]);

    // Assess
    const addresses = (list: string[] | undefined) => (list ?? []).flatMap((s) => s.split(/,\s*/)).sort();
    expect(addresses(received?.destination.to)).toEqual(districts.map((id) => `office@${id}.jiangmen.example`).sort());
    expect(addresses(received?.destination.cc)).toEqual(
      ['szf', 'fgj', 'sthjj', 'scjgj', 'yjglj'].map((id) => `office@${id}.jiangmen.example`).sort(),
    );
    expect(received?.destination.bcc).toEqual([]);
    expect(received?.body.html).not.toMatch(/<script|<img|<svg/i);
  });
});
