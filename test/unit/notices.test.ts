import { describe, expect, it } from 'vitest';
import { syntheticPlan } from '../../bench/syntheticPlan.js';
import { buildNotices } from '../../shared/domain/notices/build.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { Milestone, Plan } from '../../shared/domain/plan/schema.js';
import { seedPlan } from '../support/seed.js';

/** The notices of `stage` for a milestone of the seed plan, as dispatch builds them for every unit missing. */
function noticesOf(plan: Plan, milestone: Milestone, stage: string) {
  const occurrence = occurrencesOf(plan, milestone).find((o) => o.stage === stage);
  if (!occurrence) throw new Error(`no ${stage} for ${milestone.id}`);
  return { occurrence, notices: buildNotices(plan, milestone, occurrence, occurrence.units) };
}

const seedMilestone = (plan: Plan, id: string): Milestone => {
  const m = plan.milestones.find((x) => x.id === id);
  if (!m) throw new Error(`no milestone ${id}`);
  return m;
};

describe('the due notice (到期提醒)', () => {
  it('says "today" when the deadline is a workday', () => {
    // Prepare
    const plan = seedPlan();

    // Act
    const { notices } = noticesOf(plan, seedMilestone(plan, 'capacity-report'), 'due');

    // Assess
    expect(notices[0]?.email.subject).toBe(
      '【到期提醒】“报送各领域依法关闭退出的企业设备及产能情况”今日（2021年6月15日）截止报送',
    );
    expect(notices[0]?.email.text).toContain('今日为报送截止日');
  });

  it('does not call the last workday before a deadline on a Saturday the deadline day', () => {
    // Prepare: the deadline moved to Saturday 2021-06-05; the due stage goes out on Friday 06-04.
    const plan = seedPlan();
    const milestone = { ...seedMilestone(plan, 'district-plans'), deadline: '2021-06-05' };

    // Act
    const { occurrence, notices } = noticesOf(plan, milestone, 'due');

    // Assess
    expect(occurrence.fireAt).toBe('2021-06-04T09:00:00+08:00');
    expect(notices[0]?.email.subject).toBe(
      '【到期提醒】“各市（区）制定本市（区）工作计划并报送备案”于2021年6月5日截止报送，今日为截止前最后一个工作日',
    );
    expect(notices[0]?.email.text).toContain('截止日2021年6月5日为非工作日，今日为截止前最后一个工作日。');
    expect(notices[0]?.email.text).not.toContain('今日为报送截止日');
  });
});

describe('circulars and summons (通报、约谈)', () => {
  it("quote the plan's own words ordering them", () => {
    // Prepare
    const plan = seedPlan();
    const milestone = seedMilestone(plan, 'district-plans');

    // Act
    const circular = noticesOf(plan, milestone, 'circular').notices[0];
    const summons = noticesOf(plan, milestone, 'summons').notices[0];

    // Assess
    const clause = '根据计划“对未按要求完成淘汰落后产能任务的市（区），采取通报、约谈方式进行督办”的要求';
    expect(circular?.email.text).toContain(`${clause}，现予通报。`);
    expect(summons?.email.text).toContain(
      `${clause}，定于2021年6月18日15:00在市工业和信息化局会议室约谈贵单位主要负责人`,
    );
  });

  it('fall back to a neutral phrase for a plan that gives no such words', () => {
    // Prepare
    const seed = seedPlan();
    const { basis: _omitted, ...ladder } = seed.ladder;
    const plan = { ...seed, ladder };

    // Act
    const summons = noticesOf(plan, seedMilestone(plan, 'district-plans'), 'summons').notices[0];

    // Assess
    expect(summons?.email.text).toContain('根据计划督办要求，定于2021年6月18日15:00');
    expect(summons?.email.text).not.toContain('淘汰落后产能任务的市（区）');
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
      expect(n.email.cc).toContain(plan.ladder.coordinator.email);
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
    }
    expect(retry[0]?.units).toHaveLength(22);
  });
});
