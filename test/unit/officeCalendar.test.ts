import { describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import { deadlineAdvice, describeStageDates } from '../../shared/domain/calendar/deadlineAdvice.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import {
  missingHolidayYear,
  OFFICE_AUDIT,
  parseHolidayYear,
  setHolidayYear,
} from '../../shared/domain/calendar/officeHolidays.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import { ImportUndoesEditsError } from '../../shared/domain/calendar/undoneEdits.js';
import { RuleRefusedError } from '../../shared/domain/errors.js';
import { calendarOf } from '../../shared/domain/plan/ladder.js';
import { resolveMilestone, resolveUnit } from '../../shared/domain/plan/resolve.js';
import { PlanValidationError } from '../../shared/domain/plan/validate.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan, shanghai } from '../support/seed.js';

const PLAN = 'jiangmen-2021';
/** Today, as the issue says: 3 December 2026, the built-in holiday data ending with 2026. */
const TODAY = shanghai('2026-12-03T10:00:00');
/** 2027's 放假安排 as an office would type it (a test's own data: the State Council's is not published here). */
const YEAR_2027 = { off: ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08'], workdays: ['2027-02-13'] };

async function office(now = TODAY) {
  const plan = seedPlan();
  const calendar = new ScratchCalendar();
  await calendar.savePlan({ ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) });
  const schedules = new LocalScheduleStore();
  return { calendar, schedules, clock: new VirtualClock(now) };
}

describe('units and milestones by the names the office uses', () => {
  it('takes a unit by its Chinese name or id, and a milestone by its title', () => {
    // Act and Assess
    expect(resolveUnit(seedPlan(), '江海区人民政府')).toBe('jianghai');
    expect(resolveUnit(seedPlan(), 'jianghai')).toBe('jianghai');
    expect(resolveMilestone(seedPlan(), '各市（区）制定本市（区）工作计划并报送备案')).toBe('district-plans');
  });

  it('answers an unknown one with "did you mean" and the valid ones, never a milestone as a unit example', () => {
    // Act
    const refusal = () => resolveUnit(seedPlan(), 'jianghia');
    const byPart = () => resolveUnit(seedPlan(), '江海区');

    // Assess
    expect(refusal).toThrow(/没有名为“jianghia”的单位。您是不是要找 jianghai（江海区人民政府）？/);
    expect(refusal).toThrow(/可用的单位：gxj（市工业和信息化局）、.*enping（恩平市人民政府）/);
    expect(refusal).not.toThrow(/district-plans/);
    expect(byPart).toThrow(/您是不是要找 jianghai（江海区人民政府）/);
  });
});

describe('a deadline whose ladder reaches a year without 放假安排', () => {
  it('is refused naming the step that crosses into 2027 and the latest deadline that can be scheduled', async () => {
    // Prepare
    const deps = await office();

    // Act
    const edit = applyEdit(
      deps,
      PLAN,
      { type: 'setDeadline', milestone: 'district-plans', deadline: '2026-12-28' },
      'a',
    );

    // Assess: 通报 (+5 workdays) is the first step that counts days of 2027; 12-14 keeps the interview in 2026.
    await expect(edit).rejects.toBeInstanceOf(RuleRefusedError);
    await expect(edit).rejects.toThrow(
      /^2026-12-28 无法排期：按督办梯度，其通报要数到 2027-01-01 以后的工作日，进入 2027 年/,
    );
    await expect(edit).rejects.toThrow(/目前最晚可排期的截止日期为 2026-12-14/);
    await expect(edit).rejects.toThrow(/calendar holidays set 2027/);
    await expect(edit).rejects.not.toThrow(/milestones\[/);
    expect(deps.schedules.all()).toEqual([]);
  });

  it('is scheduled once the office enters 2027, every plan re-planned and the change audited', async () => {
    // Prepare
    const deps = await office();

    // Act
    const entered = await setHolidayYear(deps, 2027, YEAR_2027, 'web:office@example.gov.cn');
    const moved = await applyEdit(
      deps,
      PLAN,
      { type: 'setDeadline', milestone: 'district-plans', deadline: '2026-12-28' },
      'a',
    );

    // Assess: 2027-01-01 is a day off, so 通报 (+5 workdays from 12-28) falls on 2027-01-05.
    expect(entered.plans.map((p) => p.plan)).toEqual([PLAN]);
    expect(moved.reconcile.created).toContain('district-plans.4-circular');
    const circular = deps.schedules.all().find((s) => s.name === 'district-plans.4-circular');
    expect(circular?.at).toBe('2027-01-05T10:00:00');
    const [record] = await deps.calendar.listAudit(OFFICE_AUDIT);
    expect(record).toMatchObject({
      actor: 'web:office@example.gov.cn',
      action: 'setHolidays',
      target: 'holidays:2027',
    });
    expect(record?.after).toEqual({ off: YEAR_2027.off, workdays: YEAR_2027.workdays });
  });

  it('warns on the console while next year is missing, and not once it is entered', async () => {
    // Prepare
    const deps = await office();
    const covers = async () => calendarOf((await deps.calendar.loadPlan(PLAN)) ?? seedPlan());

    // Act
    const before = missingHolidayYear((d) => calendarOf(seedPlan()).covers(d), TODAY, 'Asia/Shanghai');
    await setHolidayYear(deps, 2027, YEAR_2027, 'a');
    const calendar = await covers();
    const after = missingHolidayYear((d) => calendar.covers(d), TODAY, 'Asia/Shanghai');

    // Assess
    expect({ before, after }).toEqual({ before: 2027, after: undefined });
  });

  it('validates a year like a plan’s holidays: dates in that year, days off, make-up workdays on weekends', () => {
    // Act
    const refusal = () =>
      parseHolidayYear(2027, { off: ['2027-01-01', '2028-01-01', '2027-01-01'], workdays: ['2027-02-10'] });

    // Assess
    expect(refusal).toThrow(PlanValidationError);
    try {
      refusal();
    } catch (error) {
      expect((error as PlanValidationError).issues).toEqual([
        { path: 'off[1]', message: '2028-01-01 is not in 2027' },
        { path: 'off[2]', message: '2027-01-01 is listed twice' },
        { path: 'workdays[0]', message: '2027-02-10 is a weekday: a make-up workday (调休上班) falls on a weekend' },
      ]);
    }
    expect(() => parseHolidayYear(2027, { off: [] })).toThrow(/off: must list the year’s public holidays/);
    expect(() => parseHolidayYear(2025, YEAR_2027)).toThrow(/year: must be a year after 2026/);
  });
});

describe('what a new deadline means', () => {
  it('warns of a Sunday and prints every stage in Chinese, the past ones marked', async () => {
    // Prepare: 2026-12-13 is a Sunday; today (12-03) is after its first reminder (12-04 is ahead).
    const plan = seedPlan();
    const milestone = { ...(plan.milestones[1] as (typeof plan.milestones)[number]), deadline: '2026-12-13' };

    // Act
    const advice = deadlineAdvice(plan, milestone, shanghai('2026-12-07T12:00:00'));

    // Assess
    expect(advice.warnings[0]).toBe('截止日期 2026-12-13 是星期日，不是工作日：到期提醒提前在 12月11日 09:00 发出。');
    expect(advice.warnings[1]).toBe('1 个环节的时间已过，不再发送（见下表）。');
    expect(describeStageDates(advice.stages)).toEqual([
      '提醒　　  12月4日 09:00（已过，不发送）',
      '提醒　　  12月10日 09:00',
      '到期提醒  12月11日 09:00',
      '催办　　  12月14日 09:00',
      '通报　　  12月18日 10:00',
      '约谈　　  12月25日 10:00',
    ]);
  });

  it('says when the whole ladder is in the past', () => {
    // Act
    const plan = seedPlan();
    const advice = deadlineAdvice(plan, plan.milestones[0] as (typeof plan.milestones)[number], TODAY);

    // Assess
    expect(advice.warnings).toContain('整个督办梯度都已过去：这一日期不会发出任何提醒或督办通知。');
  });
});

describe('importing a file made before an admin’s edits', () => {
  it('lists the edits it would undo and needs force; forced, it imports', async () => {
    // Prepare
    const deps = await office(shanghai('2021-04-01T09:00:00'));
    await deps.calendar.appendAudit({
      plan: PLAN,
      at: 1,
      id: 'i',
      actor: 'x',
      action: 'import',
      target: `plan:${PLAN}`,
    });
    await applyEdit(deps, PLAN, { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-06-04' }, 'cli:li');

    // Act
    const refused = importPlan(deps, seedPlan(), 'cli:wang');
    const forced = await refused.catch(() => importPlan(deps, seedPlan(), 'cli:wang', { force: true }));

    // Assess
    await expect(refused).rejects.toBeInstanceOf(ImportUndoesEditsError);
    const error = (await refused.catch((e: unknown) => e)) as ImportUndoesEditsError;
    expect(error.undone).toEqual([
      expect.objectContaining({
        actor: 'cli:li',
        target: 'milestone:district-plans',
        field: 'deadline',
        now: '2021-06-04',
        file: '2021-05-31',
      }),
    ]);
    expect(forced.undone).toHaveLength(1);
    const now = await deps.calendar.loadPlan(PLAN);
    expect(now?.milestones.find((m) => m.id === 'district-plans')?.deadline).toBe('2021-05-31');
  });
});
