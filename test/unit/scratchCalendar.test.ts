import { describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import { ConcurrentEditError } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan } from '../support/seed.js';

const PLAN = 'jiangmen-2021';

/** A calendar holding the seed at revision 1 (itself a scratch calendar over nothing). */
async function realCalendar(): Promise<ScratchCalendar> {
  const plan = seedPlan();
  const calendar = new ScratchCalendar();
  await calendar.savePlan({ ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) });
  return calendar;
}

describe('ScratchCalendar (the calendar of a dry run)', () => {
  it('runs a whole edit on a copy: the real calendar and its audit trail stay as they were', async () => {
    // Prepare
    const real = await realCalendar();
    const before = await real.loadPlan(PLAN);
    const scratch = new ScratchCalendar(real);
    const deps = {
      calendar: scratch,
      schedules: new LocalScheduleStore(),
      clock: new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00')),
    };

    // Act
    const result = await applyEdit(
      deps,
      PLAN,
      { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-06-15' },
      'admin',
    );

    // Assess
    expect(result.bumped).toEqual([{ milestone: 'district-plans', from: 1, to: 2 }]);
    expect((await scratch.loadPlan(PLAN))?.milestones.find((m) => m.id === 'district-plans')).toMatchObject({
      deadline: '2021-06-15',
      revision: 2,
    });
    expect(scratch.pendingAudit().map((r) => r.action)).toEqual(['setDeadline']);
    expect(await real.loadPlan(PLAN)).toEqual(before);
    expect(await real.listAudit(PLAN)).toEqual([]);
  });

  it('checks revisions like the real store does', async () => {
    // Prepare
    const scratch = new ScratchCalendar(await realCalendar());
    const plan = await scratch.loadPlan(PLAN);
    const districtPlans = plan?.milestones.find((m) => m.id === 'district-plans');
    if (!districtPlans) throw new Error('seed plan without district-plans');

    // Act
    const stale = scratch.putMilestone(PLAN, { ...districtPlans, revision: 3 }, 2);
    const twice = scratch.putMilestone(PLAN, districtPlans, undefined);

    // Assess
    await expect(stale).rejects.toBeInstanceOf(ConcurrentEditError);
    await expect(twice).rejects.toBeInstanceOf(ConcurrentEditError);
  });
});
