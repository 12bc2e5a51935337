import { describe, expect, it } from 'vitest';
import { syntheticPlan } from '../../bench/syntheticPlan.js';
import { buildNotices, type PlannedNotice, partnerNotices } from '../../shared/domain/notices/build.js';
import { DOC_NUMBER_SLOT, fillDocNumber, formatDocNumber } from '../../shared/domain/notices/docNumber.js';
import { occurrencesOf, type StageOccurrence } from '../../shared/domain/plan/ladder.js';
import type { Milestone, Plan } from '../../shared/domain/plan/schema.js';
import { seedPlan } from '../support/seed.js';

/** The notices of `stage` (its `nth` occurrence) for a milestone of the seed plan, every unit missing. */
function noticesOf(plan: Plan, milestone: Milestone, stage: string, nth = 0) {
  const occurrences = occurrencesOf(plan, milestone);
  const occurrence = occurrences.filter((o) => o.stage === stage)[nth];
  if (!occurrence) throw new Error(`no ${stage} for ${milestone.id}`);
  return { occurrence, notices: buildNotices(plan, milestone, occurrence, occurrence.units, LINKS, occurrences) };
}

const LINKS = new Map(seedPlan().units.map((u) => [u.id, `https://portal.test/u/${u.id}-token`]));

const seedMilestone = (plan: Plan, id: string): Milestone => {
  const m = plan.milestones.find((x) => x.id === id);
  if (!m) throw new Error(`no milestone ${id}`);
  return m;
};

/** Every notice the seed year could send: each stage of each ladder to every responsible unit, and the partners'. */
function everySeedNotice(): { occurrence: StageOccurrence; notice: PlannedNotice }[] {
  const plan = seedPlan();
  return plan.milestones.flatMap((m) => {
    const occurrences = occurrencesOf(plan, m);
    return occurrences.flatMap((occurrence) =>
      [
        ...partnerNotices(plan, m, occurrence, occurrences),
        ...buildNotices(plan, m, occurrence, occurrence.units, LINKS, occurrences),
      ].map((notice) => ({ occurrence, notice })),
    );
  });
}

/** The name of whom an address belongs to: a unit (its office, head or supervisor) or the coordinating group. */
function ownerOf(plan: Plan, address: string): string {
  const unit = plan.units.find((u) => [u.email, u.head.email, u.supervisor.email].includes(address));
  if (unit) return unit.name;
  if (address === plan.ladder.coordinator.email) return plan.ladder.coordinator.name;
  throw new Error(`nobody of the plan has ${address}`);
}

const lineAfter = (text: string, label: RegExp) => text.split('\n').find((l) => label.test(l));

describe('every notice of the seed year, as a 公文', () => {
  const all = everySeedNotice();

  it('has a subject of at most 40 characters with its 文号 (even a four-digit one), no bracket tags', () => {
    expect(all.length).toBeGreaterThan(100);
    for (const { notice } of all) {
      const subject = notice.email.subject;
      const title = subject.replace(`（${DOC_NUMBER_SLOT}）`, '');
      expect(subject, subject).toBe(`${title}（${DOC_NUMBER_SLOT}）`);
      const numbered = notice.numbering
        ? fillDocNumber(notice.email, formatDocNumber(notice.numbering, 9999))
        : notice.email;
      expect([...numbered.subject].length, numbered.subject).toBeLessThanOrEqual(40);
      expect(title).toMatch(/^关于.+的(函|督办函|通报|通知)$/);
      expect(subject).not.toMatch(/[【】]/);
    }
  });

  it('names in 主送 and 抄送 exactly whom the email is addressed and copied to', () => {
    const plan = seedPlan();
    for (const { notice } of all) {
      const text = notice.email.text;
      const lines = text.split('\n');
      const title = lines.findIndex((l) => notice.email.subject.startsWith(l) && l.startsWith('关于'));
      const mainTo = lines[title + 2] ?? '';
      expect(mainTo.replace(/：$/, '').split('、'), notice.email.subject).toEqual([
        ...new Set(notice.email.to.map((a) => ownerOf(plan, a))),
      ]);
      const cc = lineAfter(text, /^抄送：/);
      const copied = [...new Set(notice.email.cc.map((a) => ownerOf(plan, a)))];
      if (copied.length === 0) expect(cc).toBeUndefined();
      else expect(cc).toBe(`抄送：${copied.join('，')}。`);
    }
  });

  it('speaks to the unit in its own words: no 本市（区）, 贵单位 or 该单位 reaches anyone', () => {
    for (const { notice } of all) {
      for (const body of [notice.email.text, notice.email.html]) {
        expect(body).not.toContain('本市（区）2021年');
        expect(body).not.toContain('贵单位');
        expect(body).not.toContain('该单位');
        expect(body).not.toContain('{本级}');
      }
    }
    const enping = all.find(
      ({ notice }) => notice.key.stage === 'reminder' && notice.key.unit === 'enping' && notice.key.role === 'unit',
    );
    expect(enping?.notice.email.text).toContain(
      '请你市于2021年5月31日（星期一）前报送你市2021年推动落后产能退出工作计划',
    );
  });

  it('keeps the footer (sent automatically, the calendar file) outside the 正文, after the signature and 抄送', () => {
    for (const { notice } of all) {
      const { text, html } = notice.email;
      const footer = text.indexOf('本邮件由督办系统');
      expect(footer).toBeGreaterThan(text.lastIndexOf('日\n') > 0 ? text.lastIndexOf('2021年') : 0);
      expect(footer).toBeGreaterThan(text.indexOf('抄送：'));
      // In HTML: after the document's closing tag.
      expect(html.indexOf('本邮件由督办系统')).toBeGreaterThan(html.lastIndexOf('</div>'));
    }
  });
});

describe('the due notice (到期提醒)', () => {
  it('says the deadline is the end of the day, so a delivery at 17:30 is on time', () => {
    // Prepare
    const plan = seedPlan();

    // Act
    const { notices } = noticesOf(plan, seedMilestone(plan, 'capacity-report'), 'due');

    // Assess
    expect(notices[0]?.email.subject).toBe(`关于《关闭退出产能情况》今日截止报送的函（${DOC_NUMBER_SLOT}）`);
    expect(notices[0]?.email.text).toContain('截止时间为今日24时，今日内报送的均为按时报送');
    expect(notices[0]?.email.text).not.toContain('下班前');
  });

  it('does not call the last workday before a deadline on a Saturday the deadline day', () => {
    // Prepare: the deadline moved to Saturday 2021-06-05; the due stage goes out on Friday 06-04.
    const plan = seedPlan();
    const milestone = { ...seedMilestone(plan, 'district-plans'), deadline: '2021-06-05' };

    // Act
    const { occurrence, notices } = noticesOf(plan, milestone, 'due');

    // Assess
    expect(occurrence.fireAt).toBe('2021-06-04T09:00:00+08:00');
    expect(notices[0]?.email.subject).toBe(`关于《落后产能退出计划》报送截止的函（${DOC_NUMBER_SLOT}）`);
    expect(notices[0]?.email.text).toContain(
      '报送截止日2021年6月5日（星期六）为非工作日，今日（6月4日）为截止前最后一个工作日，截止时间为6月5日24时。',
    );
    expect(notices[0]?.email.text).not.toContain('今日截止');
  });
});

describe('dates, not threats', () => {
  it('催办 names the next date, and what it brings', () => {
    // Prepare
    const plan = seedPlan();

    // Act
    const [toUnit, escalation] = noticesOf(plan, seedMilestone(plan, 'district-plans'), 'overdue').notices;

    // Assess: the 通报 of 7 June comes next.
    expect(toUnit?.email.text).toContain(
      '请你区高度重视，于6月7日前报送，并书面说明逾期原因。届时仍未报送的，将按计划予以通报。',
    );
    expect(escalation?.email.text).toContain('于6月7日前报送。届时仍未报送的，将按计划予以通报。');
  });

  it('催办 comes again for a department, titled as such, each naming the next round; the last says 立即', () => {
    // Prepare
    const plan = seedPlan();
    const m = seedMilestone(plan, 'capacity-report');

    // Act
    const rounds = [0, 1, 2, 3].map((n) => noticesOf(plan, m, 'overdue', n).notices[0]?.email);

    // Assess
    expect(rounds.map((e) => e?.subject.replace(`（${DOC_NUMBER_SLOT}）`, ''))).toEqual([
      '关于督促报送《关闭退出产能情况》的函',
      '关于再次督促报送《关闭退出产能情况》的函',
      '关于再次督促报送《关闭退出产能情况》的函',
      '关于再次督促报送《关闭退出产能情况》的函',
    ]);
    expect(rounds[0]?.text).toContain('于6月21日前报送');
    expect(rounds[1]?.text).toContain('这是第2次催办。');
    expect(rounds[1]?.text).toContain('于6月24日前报送');
    expect(rounds[3]?.text).toContain('请你局高度重视，立即报送');
  });

  it('通报 names the date of the 约谈 to come', () => {
    // Prepare
    const plan = seedPlan();

    // Act
    const circular = noticesOf(plan, seedMilestone(plan, 'district-plans'), 'circular').notices[0];

    // Assess
    expect(circular?.email.text).toContain('于6月15日前报送本级2021年推动落后产能退出工作计划');
    expect(circular?.email.text).toContain('届时仍未报送的，将约谈其主要负责人。');
  });
});

describe('the circular (通报)', () => {
  it('goes to every responsible district, naming the late ones, issued jointly and copied as the plan says', () => {
    // Prepare
    const plan = seedPlan();
    const m = seedMilestone(plan, 'district-plans');
    const occurrences = occurrencesOf(plan, m);
    const occurrence = occurrences.find((o) => o.stage === 'circular') as StageOccurrence;

    // Act
    const [circular] = buildNotices(plan, m, occurrence, ['heshan', 'enping'], new Map(), occurrences);

    // Assess
    expect(circular?.email.to).toHaveLength(7);
    expect(circular?.units).toEqual(['heshan', 'enping']);
    expect(circular?.email.cc).toEqual([
      'office@szf.jiangmen.example',
      'office@fgj.jiangmen.example',
      'office@sthjj.jiangmen.example',
      'office@scjgj.jiangmen.example',
      'office@yjglj.jiangmen.example',
    ]);
    const text = circular?.email.text ?? '';
    expect(text.split('\n').slice(0, 6)).toEqual([
      '江门市工业和信息化局',
      '江门市发展和改革局',
      '江门市生态环境局',
      '江门市市场监督管理局',
      '江门市应急管理局',
      '文件',
    ]);
    expect(text).toContain('应报送的7个单位中，以下2个单位经提醒、催办后仍未报送');
    expect(text).toContain('　　1. 鹤山市人民政府\n　　2. 恩平市人民政府');
    expect(text).toContain(
      '根据《江门市2021年推动落后产能退出工作计划》“对未按要求完成淘汰落后产能任务的市（区），采取通报、约谈方式进行督办”的要求，现予通报。',
    );
    // No personal link: it goes to many.
    expect(text).not.toContain('/u/');
  });

  it('falls back to a neutral phrase for a plan that gives no words ordering 通报 and 约谈', () => {
    // Prepare
    const seed = seedPlan();
    const { basis: _omitted, ...ladder } = seed.ladder;
    const plan = { ...seed, ladder };

    // Act
    const summons = noticesOf(plan, seedMilestone(plan, 'district-plans'), 'summons').notices[0];

    // Assess
    expect(summons?.email.text).toContain(
      '根据《江门市2021年推动落后产能退出工作计划》督办要求，决定约谈你区主要负责人',
    );
    expect(summons?.email.text).not.toContain('淘汰落后产能任务的市（区）');
  });
});

describe('the summons (约谈通知)', () => {
  it('is addressed to the unit, names its head, the time, place, 主持, who attends, the explanation date and the 回执', () => {
    // Prepare
    const plan = seedPlan();

    // Act
    const summons = noticesOf(plan, seedMilestone(plan, 'district-plans'), 'summons').notices.find(
      (n) => n.key.unit === 'heshan',
    );

    // Assess
    expect(summons?.email.to).toEqual([
      'office@heshan.jiangmen.example',
      'head@heshan.jiangmen.example',
      'supervisor@heshan.jiangmen.example',
    ]);
    expect(summons?.email.cc).toEqual([]);
    const text = summons?.email.text ?? '';
    expect(text).toContain('鹤山市人民政府：');
    expect(text).toContain('决定约谈你市主要负责人（鹤山市人民政府主要负责人（示例））');
    expect(text).toContain('一、约谈时间：2021年6月18日（星期五）15:00');
    expect(text).toContain('二、约谈地点：市工业和信息化局会议室');
    expect(text).toContain('三、主持人：市工业和信息化局主要负责同志');
    expect(text).toContain('四、参加人员：你市主要负责同志、分管负责同志及工业和信息化主管部门主要负责同志');
    expect(text).toContain('请你市于6月17日前将未按期报送的原因及整改措施形成书面材料报送市工业和信息化局');
    expect(text).toContain('联系人：市工业和信息化局督办联系人（示例），电话：0750-0000001');
    expect(text).toContain('https://portal.test/u/heshan-token');
    expect(summons?.email.html).toContain('填报约谈回执');
  });
});

describe('the escalation (督办函)', () => {
  it('is a 督办函 about the unit to its supervisor, addressed to the unit, without its personal link', () => {
    // Prepare
    const plan = seedPlan();

    // Act
    const escalation = noticesOf(plan, seedMilestone(plan, 'district-plans'), 'overdue').notices.find(
      (n) => n.key.role === 'supervisor' && n.key.unit === 'enping',
    );

    // Assess
    expect(escalation?.email.to).toEqual(['supervisor@enping.jiangmen.example']);
    expect(escalation?.email.subject).toBe(`关于《落后产能退出计划》逾期未报送的督办函（${DOC_NUMBER_SLOT}）`);
    expect(escalation?.email.text).toContain('恩平市人民政府：');
    expect(escalation?.email.text).toContain('请你市分管负责同志高度重视，督促有关部门抓紧办理');
    expect(escalation?.email.text).not.toContain('/u/');
  });
});

describe('partners (会同)', () => {
  it('hear of their milestone once, with its first reminder, each by a 函 of its own without a link', () => {
    // Prepare
    const plan = seedPlan();
    const m = seedMilestone(plan, 'city-plan');
    const occurrences = occurrencesOf(plan, m);

    // Act
    const byOccurrence = occurrences.map((o) => partnerNotices(plan, m, o, occurrences).length);
    const [first] = partnerNotices(plan, m, occurrences[0] as StageOccurrence, occurrences);

    // Assess
    expect(byOccurrence).toEqual([11, 0, 0, 0, 0, 0, 0]);
    expect(first?.key).toMatchObject({ stage: 'reminder', unit: 'pengjiang', role: 'partner' });
    expect(first?.email.subject).toBe(`关于配合做好《全市退出工作计划》有关工作的函（${DOC_NUMBER_SLOT}）`);
    expect(first?.email.text).toContain('市工业和信息化局须于2021年4月30日（星期五）前报送');
    expect(first?.email.text).not.toContain('/u/');
    // City-plan's reminders are the 市政府's: its header, its number series.
    expect(first?.email.text.split('\n')[0]).toBe('江门市人民政府办公室');
    expect(first?.numbering).toEqual({ series: 'szf', year: 2021, template: '江府办督〔{year}〕{n}号' });
  });
});

describe('a plan without 文号 templates', () => {
  it('sends its notices unnumbered, signed by the coordinating group where no unit issues them', () => {
    // Prepare
    const plan = syntheticPlan(3, 'unnumbered');
    const m = plan.milestones[0] as Milestone;

    // Act
    const { notices } = noticesOf(plan, m, 'circular');

    // Assess
    expect(notices[0]?.numbering).toBeUndefined();
    expect(notices[0]?.email.subject).toBe('关于《报送季度工作进展情况》逾期未报送情况的通报');
    expect(notices[0]?.email.text.split('\n')[0]).toBe('基准测试协调小组文件');
  });
});

describe('a circular to more units than SES takes in one email (通报 of a national plan)', () => {
  // 60 late units of a plan's 60: SES refuses a message to more than 50 recipients.
  const plan = syntheticPlan(60, 'national-sample');
  const milestone = plan.milestones[0] as Milestone;
  const occurrence = occurrencesOf(plan, milestone).find((o) => o.stage === 'circular');
  if (!occurrence) throw new Error('no circular');

  it('goes in parts of at most 50 recipients, each naming every late unit, each unit addressed once', () => {
    // Act
    const notices = buildNotices(plan, milestone, occurrence, occurrence.units);

    // Assess
    expect(notices.map((n) => n.key.unit)).toEqual(['*1', '*2', '*3']);
    for (const n of notices) {
      expect(n.email.to.length + n.email.cc.length).toBeLessThanOrEqual(50);
      expect(n.email.text).toContain('以下60个单位');
      expect(n.email.text).toContain('责任单位00060');
    }
    expect(notices.flatMap((n) => n.units).sort()).toEqual([...occurrence.units].sort());
    expect(notices.flatMap((n) => n.email.to)).toHaveLength(60);
  });

  it('keeps each late unit in its part when others deliver before a retry, so a sent part never leaves one out', () => {
    // Prepare: the first part's units u00001 and u00002 delivered between the firing and its retry.
    const first = buildNotices(plan, milestone, occurrence, occurrence.units);
    const stillLate = occurrence.units.filter((u) => u !== 'u00001' && u !== 'u00002');

    // Act
    const retry = buildNotices(plan, milestone, occurrence, stillLate);

    // Assess
    expect(retry.map((n) => n.key.unit)).toEqual(['*1', '*2', '*3']);
    for (const [i, n] of retry.entries()) {
      expect(n.units.every((u) => first[i]?.units.includes(u))).toBe(true);
      expect(n.email.to).toEqual(first[i]?.email.to);
    }
    expect(retry[0]?.units).toHaveLength(22);
  });
});
