import { beforeAll, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { ImportUndoesEditsError } from '../../shared/domain/calendar/undoneEdits.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { type CalendarStore, ConcurrentEditError } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { type RealAdapters, useRealAdapters } from '../support/stack.js';

/**
 * A re-import writes each milestone on condition that it is still at the revision the import read, so an
 * edit that lands between the import's read and its write is never silently overwritten.
 */
describe('a re-import racing another admin’s edit', () => {
  const seed = seedPlan();
  const adapters = useRealAdapters();
  let a: RealAdapters;
  beforeAll(() => {
    a = adapters();
  });

  /**
   * The seed under its own id, imported on 1 April 2021, and a calendar through which the `nth` milestone
   * write of the next import is preceded by another admin moving `district-plans` to 2021-06-01.
   */
  async function racing(suffix: string, nth: number) {
    const plan: Plan = { ...seed, id: `${seed.id}-${suffix}` };
    const clock = new VirtualClock(shanghai('2021-04-01T00:00:00'));
    const schedules = new LocalScheduleStore();
    await importPlan({ calendar: a.calendar, schedules, clock }, plan, 'admin');
    let writes = 0;
    const other = { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-06-01' } as const;
    const calendar: CalendarStore = Object.create(a.calendar, {
      putMilestone: {
        value: async (...args: Parameters<CalendarStore['putMilestone']>) => {
          writes += 1;
          if (writes === nth) {
            // A minute into the import: the other admin's edit comes after the import's own record.
            clock.advanceTo(clock.now() + 60_000);
            await applyEdit({ calendar: a.calendar, schedules, clock }, plan.id, other, 'other-admin');
          }
          return a.calendar.putMilestone(...args);
        },
      },
    });
    return { plan, clock, schedules, deps: { calendar, schedules, clock } };
  }

  /** The file with new deadlines for city-plan and district-plans (written in that order). */
  const edited = (plan: Plan): Plan => ({
    ...plan,
    milestones: plan.milestones.map((m) =>
      m.id === 'city-plan'
        ? { ...m, deadline: '2021-05-07' }
        : m.id === 'district-plans'
          ? { ...m, deadline: '2021-06-15' }
          : m,
    ),
  });

  it('refuses the import with a ConcurrentEditError and writes nothing when its first write loses', async () => {
    // Prepare: the other admin moves district-plans just before the import's first write… of district-plans.
    const { plan, deps } = await racing('first', 1);
    const onlyDistrictPlans: Plan = {
      ...plan,
      milestones: plan.milestones.map((m) => (m.id === 'district-plans' ? { ...m, deadline: '2021-06-15' } : m)),
    };

    // Act
    const error = await importPlan(deps, onlyDistrictPlans, 'admin').catch((e: unknown) => e);

    // Assess: the other admin's deadline stands; the history has their edit, and the import's record
    // (written ahead) followed by the one saying it was refused and wrote nothing.
    expect(error).toBeInstanceOf(ConcurrentEditError);
    expect((error as Error).message).toBe(
      `import of ${plan.id} refused: milestone "district-plans" was changed by someone else. Nothing was written.`,
    );
    const stored = await a.calendar.loadPlan(plan.id);
    expect(stored?.milestones.find((m) => m.id === 'district-plans')).toMatchObject({
      deadline: '2021-06-01',
      revision: 2,
    });
    expect((await a.calendar.listAudit(plan.id)).map((r) => `${r.actor} ${r.action}`).sort()).toEqual([
      'admin import',
      'admin reimport',
      'admin reimport (refused: nothing written)',
      'other-admin setDeadline',
    ]);
  });

  it('stops at the milestone that lost, says what was written, audits it and reconciles the schedules to it', async () => {
    // Prepare: city-plan is written first; the other admin moves district-plans before the second write.
    const { plan, schedules, deps } = await racing('second', 2);

    // Act
    const error = await importPlan(deps, edited(plan), 'admin').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConcurrentEditError);
    expect((error as Error).message).toBe(
      `import of ${plan.id} stopped: milestone "district-plans" was changed by someone else. 1 milestone change(s) ` +
        'were written (their schedules follow); run the import again to see and apply the rest.',
    );
    const stored = await a.calendar.loadPlan(plan.id);
    const byId = new Map(stored?.milestones.map((m) => [m.id, m]));
    expect(byId.get('city-plan')).toMatchObject({ deadline: '2021-05-07', revision: 2 });
    expect(byId.get('district-plans')).toMatchObject({ deadline: '2021-06-01', revision: 2 });
    // (Sorted: on the virtual clock every record has the same instant.)
    expect((await a.calendar.listAudit(plan.id)).map((r) => `${r.actor} ${r.action}`).sort()).toEqual([
      'admin import',
      'admin reimport',
      'admin reimport (stopped by a concurrent edit)',
      'other-admin setDeadline',
    ]);
    const cityPlanDue = (await schedules.list(plan.id)).find((s) => s.name === 'city-plan.2-due');
    expect(cityPlanDue).toMatchObject({ at: '2021-05-07T09:00:00', payload: { revision: 2 } });
  });

  it('applies the rest of the file on top of the other edit when the admin runs the import again', async () => {
    // Prepare: the first attempt wrote city-plan, then lost district-plans to the race.
    const { plan, schedules, clock, deps } = await racing('again', 2);
    await importPlan(deps, edited(plan), 'admin').catch(() => undefined);

    // Act: run again, with nobody racing: first as is, then with --force.
    const calm = { calendar: a.calendar, schedules, clock };
    const refused = await importPlan(calm, edited(plan), 'admin').catch((e: unknown) => e);
    const result = await importPlan(calm, edited(plan), 'admin', { force: true });

    // Assess: the file would undo the other admin's deadline, so it is refused until forced; then the file wins.
    expect(refused).toBeInstanceOf(ImportUndoesEditsError);
    expect((refused as ImportUndoesEditsError).undone).toMatchObject([
      {
        actor: 'other-admin',
        target: 'milestone:district-plans',
        field: 'deadline',
        now: '2021-06-01',
        file: '2021-06-15',
      },
    ]);
    expect(result.diff.changedMilestones).toEqual([{ id: 'district-plans', fields: ['deadline'] }]);
    const stored = await a.calendar.loadPlan(plan.id);
    expect(stored?.milestones.find((m) => m.id === 'district-plans')).toMatchObject({
      deadline: '2021-06-15',
      revision: 3,
    });
  });
});
