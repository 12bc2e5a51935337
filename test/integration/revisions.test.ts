import { beforeAll, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { LocalWorkQueue } from '../../shared/adapters/local/localWorkQueue.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { dispatchStage } from '../../shared/domain/dispatch/dispatch.js';
import { silentLog } from '../../shared/domain/log.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { ConcurrentEditError } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { testPortal } from '../support/fakes.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { type RealAdapters, useRealAdapters } from '../support/stack.js';

/**
 * A revision names one version of a milestone: a schedule, a Scheduler retry or a DLQ replay made for
 * an old version must find it stale, even after the milestone was removed and added again.
 */
describe('milestone revisions across removal', () => {
  const seed = seedPlan();
  const adapters = useRealAdapters();
  let a: RealAdapters;
  beforeAll(() => {
    a = adapters();
  });

  /** The seed under its own id, imported on 1 April 2021 with its own schedule store. */
  async function imported(suffix: string) {
    const plan: Plan = { ...seed, id: `${seed.id}-${suffix}` };
    const clock = new VirtualClock(shanghai('2021-04-01T00:00:00'));
    const deps = { calendar: a.calendar, schedules: new LocalScheduleStore(), clock };
    await importPlan(deps, plan, 'admin');
    return { plan, clock, deps };
  }
  const milestoneOf = (plan: Plan, id: string) =>
    plan.milestones.find((m) => m.id === id) as Plan['milestones'][number];

  it('carries a removed milestone’s revision on when it is added again, so its old payload stays stale', async () => {
    // Prepare: district-plans at revision 2, its reminder schedule made for that revision.
    const { plan, clock, deps } = await imported('readd');
    const original = milestoneOf(plan, 'district-plans');
    await applyEdit(deps, plan.id, { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-06-01' }, 'a');
    const oldSchedule = (await deps.schedules.list(plan.id)).find((s) => s.name === 'district-plans.1-reminder');
    await applyEdit(deps, plan.id, { type: 'removeMilestone', milestone: 'district-plans' }, 'a');

    // Act: added again with its original content.
    const readded = await applyEdit(deps, plan.id, { type: 'addMilestone', milestone: original }, 'a');

    // Assess: revision 3, not 1; the old payload (revision 2) and a revision-1 replay both do nothing.
    expect(oldSchedule?.payload.revision).toBe(2);
    expect(readded.bumped).toEqual([{ milestone: 'district-plans', from: 0, to: 3 }]);
    const stored = await a.calendar.loadPlan(plan.id);
    expect(stored?.milestones.find((m) => m.id === 'district-plans')?.revision).toBe(3);
    const schedules = await deps.schedules.list(plan.id);
    expect(schedules.find((s) => s.name === 'district-plans.1-reminder')?.payload.revision).toBe(3);
    clock.advanceTo(shanghai('2021-05-24T09:00:00'));
    const dispatchDeps = { ...a, queue: new LocalWorkQueue({ clock }), clock, log: silentLog, portal: testPortal() };
    for (const revision of [1, 2]) {
      const payload = { plan: plan.id, milestone: 'district-plans', stage: 'reminder' as const, revision };
      expect(await dispatchStage(dispatchDeps, payload)).toEqual({ status: 'skipped', reason: 'stale-revision' });
    }
  });

  it('leaves a removed milestone out of the plan, so a payload for it finds no milestone', async () => {
    // Prepare
    const { plan, clock, deps } = await imported('removed');

    // Act
    const removed = await applyEdit(deps, plan.id, { type: 'removeMilestone', milestone: 'city-plan' }, 'a');

    // Assess
    expect(removed.bumped).toEqual([{ milestone: 'city-plan', from: 1, to: -1 }]);
    const stored = await a.calendar.loadPlan(plan.id);
    expect(stored?.milestones.map((m) => m.id)).toEqual(
      plan.milestones.map((m) => m.id).filter((id) => id !== 'city-plan'),
    );
    expect((await deps.schedules.list(plan.id)).filter((s) => s.payload.milestone === 'city-plan')).toEqual([]);
    clock.advanceTo(shanghai('2021-04-25T09:00:00'));
    const payload = { plan: plan.id, milestone: 'city-plan', stage: 'reminder' as const, revision: 1 };
    const dispatchDeps = { ...a, queue: new LocalWorkQueue({ clock }), clock, log: silentLog, portal: testPortal() };
    expect(await dispatchStage(dispatchDeps, payload)).toEqual({ status: 'skipped', reason: 'unknown-milestone' });
  });

  it('carries the revision on when a re-import brings back a milestone an earlier import removed', async () => {
    // Prepare: imported at revision 1; a re-import without capacity-report; another with it again.
    const { plan, deps } = await imported('reimport');
    const without = { ...plan, milestones: plan.milestones.filter((m) => m.id !== 'capacity-report') };
    await importPlan(deps, without, 'admin');

    // Act
    const back = await importPlan(deps, plan, 'admin');

    // Assess
    expect(back.diff.addedMilestones).toEqual(['capacity-report']);
    const stored = await a.calendar.loadPlan(plan.id);
    expect(stored?.milestones.map((m) => [m.id, m.revision])).toEqual([
      ['city-plan', 1],
      ['district-plans', 1],
      ['capacity-report', 2],
      ['annual-summary', 1],
      ['city-summary', 1],
      ['exit-ledger', 1],
    ]);
    expect(
      (await deps.schedules.list(plan.id))
        .filter((s) => s.payload.milestone === 'capacity-report')
        .every((s) => s.payload.revision === 2),
    ).toBe(true);
  });

  it('treats a conditional write that is sent again after it landed as done, and a different one as a conflict', async () => {
    // Prepare: the write the SDK would send again when the answer to the first attempt is lost.
    const { plan } = await imported('retry');
    const stored = await a.calendar.loadPlan(plan.id);
    const current = stored?.milestones.find((m) => m.id === 'district-plans');
    if (!current) throw new Error('no district-plans');
    const moved = { ...current, deadline: '2021-06-15', revision: 2 };
    await a.calendar.putMilestone(plan.id, moved, 1);

    // Act: both at once, each settled (the refusal may come first).
    const [again, other] = await Promise.allSettled([
      a.calendar.putMilestone(plan.id, moved, 1),
      a.calendar.putMilestone(plan.id, { ...moved, deadline: '2021-06-16' }, 1),
    ]);

    // Assess
    expect(again).toEqual({ status: 'fulfilled', value: 2 });
    expect(other.status === 'rejected' && other.reason).toBeInstanceOf(ConcurrentEditError);
    expect((await a.calendar.loadPlan(plan.id))?.milestones.find((m) => m.id === 'district-plans')).toMatchObject({
      deadline: '2021-06-15',
      revision: 2,
    });
  });
});
