import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import type { CalendarEdit } from '../../shared/domain/calendar/editSchema.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { reconcilePlan, wantedSchedules } from '../../shared/domain/schedule/reconcile.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { addDays } from '../../shared/domain/time/wallClock.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { realAdapters } from '../support/stack.js';

/** mulberry32: a small seeded generator, so a failing sequence can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('reconcile under random sequences of calendar edits', () => {
  const plan = seedPlan();
  let a: Awaited<ReturnType<typeof realAdapters>>;
  beforeAll(async () => {
    a = await realAdapters();
  });
  afterAll(() => a.ddb.destroy());

  it('keeps the schedules equal to the calendar’s future stages after every edit, and a re-run writes nothing', async () => {
    const kinds = new Set<string>();
    let readded = 0;
    for (const seed of [1, 2, 3]) {
      // Prepare
      const rnd = random(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
      const clock = new VirtualClock(shanghai('2021-04-01T00:00:00'));
      const schedules = new LocalScheduleStore();
      const deps = { calendar: a.calendar, schedules, clock };
      const planId = `${plan.id}-${seed}`;
      await importPlan(deps, { ...plan, id: planId }, 'test');
      const revisionsSeen = new Map<string, number>();
      const removedAt = new Map<string, number>();

      for (let step = 0; step < 25; step++) {
        // Act: a random edit at a random later time (refused edits are part of the sequence too).
        clock.advanceTo(clock.now() + Math.floor(rnd() * 10) * 86_400_000);
        const stored = await a.calendar.loadPlan(planId);
        const m = pick(stored?.milestones ?? []);
        const unit = pick(plan.units).id;
        // A removed seed milestone comes back as it was, or a copy under a new id, with its deadline moved.
        const absent = plan.milestones.filter((s) => !stored?.milestones.some((x) => x.id === s.id));
        const returning = absent.length > 0 ? pick(absent) : { ...pick(plan.milestones), id: `extra-${step}` };
        const edit: CalendarEdit = pick<CalendarEdit>([
          { type: 'setDeadline', milestone: m.id, deadline: addDays(m.deadline, Math.floor(rnd() * 21) - 10) },
          { type: 'pause', milestone: m.id },
          { type: 'resume', milestone: m.id },
          { type: 'addResponsible', milestone: m.id, unit },
          { type: 'removeResponsible', milestone: m.id, unit },
          { type: 'removeMilestone', milestone: m.id },
          {
            type: 'addMilestone',
            milestone: { ...returning, deadline: addDays(returning.deadline, Math.floor(rnd() * 21) - 10) },
          },
          { type: 'setContacts', unit, email: `office-${step}@${unit}.jiangmen.example` },
        ]);
        const before = await schedules.list(planId);
        const applied = await applyEdit(deps, planId, edit, 'test').catch((error: Error) => {
          expect(error.name).toMatch(/PlanValidationError/);
          return undefined;
        });
        kinds.add(`${edit.type}${applied ? '' : ' (refused)'}`);

        // Assess: actual = desired future schedules (plus, at most, untouched ones whose minute has passed).
        const current = await a.calendar.loadPlan(planId);
        const desired = wantedSchedules(current ?? (undefined as never))
          .filter((w) => w.instant > clock.now())
          .map(({ instant: _i, ...spec }) => spec);
        const actual = await schedules.list(planId);
        const byName = (xs: typeof actual) => [...xs].sort((x, y) => x.name.localeCompare(y.name));
        expect(byName(actual.filter((s) => desired.some((d) => d.name === s.name)))).toEqual(byName(desired));
        const rerun = await reconcilePlan(deps, planId);
        expect(rerun.writes).toBe(0);
        // Contacts are read when a notice is sent: changing them moves no revision and no schedule.
        if (applied && edit.type === 'setContacts') {
          expect(applied.bumped).toEqual([]);
          expect(actual).toEqual(before);
        }
        // Every revision a milestone id ever had stays behind it: no old payload can become current again.
        for (const s of actual) {
          const last = revisionsSeen.get(s.payload.milestone) ?? 0;
          expect(s.payload.revision).toBeGreaterThanOrEqual(last);
          revisionsSeen.set(s.payload.milestone, s.payload.revision);
        }
        if (applied && edit.type === 'addMilestone') {
          const id = edit.milestone.id;
          expect(applied.bumped[0]?.to).toBeGreaterThan(removedAt.get(id) ?? 0);
          if (removedAt.has(id)) readded += 1;
        }
        for (const b of applied?.bumped ?? []) if (b.to < 0) removedAt.set(b.milestone, b.from);
      }
    }
    // The sequences did exercise every kind of edit that can be applied, and brought removed milestones back.
    expect(readded).toBeGreaterThan(0);
    for (const kind of [
      'setDeadline',
      'pause',
      'resume',
      'addResponsible',
      'removeMilestone',
      'addMilestone',
      'setContacts',
    ])
      expect(kinds).toContain(kind);
  });

  it('moves only the edited milestone’s schedules, in place, when a deadline is set', async () => {
    // Prepare
    const clock = new VirtualClock(shanghai('2021-04-01T00:00:00'));
    const schedules = new LocalScheduleStore();
    const deps = { calendar: a.calendar, schedules, clock };
    const planId = `${plan.id}-move`;
    await importPlan(deps, { ...plan, id: planId }, 'test');
    const before = await schedules.list(planId);

    // Act
    const result = await applyEdit(
      deps,
      planId,
      { type: 'setDeadline', milestone: 'capacity-report', deadline: '2021-06-18' },
      'test',
    );

    // Assess
    const after = await schedules.list(planId);
    expect(result.reconcile.updated.every((n) => n.startsWith('capacity-report.'))).toBe(true);
    expect(result.reconcile.writes).toBe(before.filter((s) => s.name.startsWith('capacity-report.')).length);
    expect(after.filter((s) => !s.name.startsWith('capacity-report.'))).toEqual(
      before.filter((s) => !s.name.startsWith('capacity-report.')),
    );
    expect(after.find((s) => s.name === 'capacity-report.3-overdue')).toMatchObject({
      at: '2021-06-21T09:00:00',
      payload: { revision: 2 },
    });
  });

  it('reports stages an edit moves into the past instead of sending them late', async () => {
    // Prepare
    const clock = new VirtualClock(shanghai('2021-05-26T12:00:00'));
    const schedules = new LocalScheduleStore();
    const deps = { calendar: a.calendar, schedules, clock };
    const planId = `${plan.id}-past`;
    await importPlan(deps, { ...plan, id: planId }, 'test');

    // Act: at noon on 26 May, moving 31 May to 25 May puts the reminder, the due day and the 催办 in the past.
    const result = await applyEdit(
      deps,
      planId,
      { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-05-25' },
      'test',
    );

    // Assess
    expect(result.reconcile.skippedPast.map((s) => `${s.name} ${s.at}`)).toEqual([
      'district-plans.1-reminder 2021-05-24T09:00:00',
      'district-plans.2-due 2021-05-25T09:00:00',
      'district-plans.3-overdue 2021-05-26T09:00:00',
    ]);
    // The 通报 and 约谈 still lie ahead and follow the new date.
    expect(result.reconcile.updated).toEqual(['district-plans.4-circular', 'district-plans.5-summons']);
    expect((await schedules.list(planId)).map((s) => s.name)).not.toContain('district-plans.1-reminder');
  });

  it('leaves the calendar, the audit trail and the schedules unchanged when an edit is refused', async () => {
    // Prepare
    const clock = new VirtualClock(shanghai('2021-04-01T00:00:00'));
    const schedules = new LocalScheduleStore();
    const deps = { calendar: a.calendar, schedules, clock };
    const planId = `${plan.id}-refused`;
    await importPlan(deps, { ...plan, id: planId }, 'test');
    const snapshot = async () => [
      await a.calendar.loadPlan(planId),
      await a.calendar.listAudit(planId),
      await schedules.list(planId),
    ];
    const before = await snapshot();

    // Act
    const refused = applyEdit(
      deps,
      planId,
      { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-02-30' as never },
      'test',
    );

    // Assess
    await expect(refused).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
  });
});
