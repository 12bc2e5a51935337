import { describe, expect, it } from 'vitest';
import { ADMIN, apiEvent, deadlineOf, json, PLAN, prepare } from '../support/calendarApi.js';

/** The edit routes of the calendar API beyond deadlines: responsible units, and removing and re-adding milestones. */
describe('calendar API edits', () => {
  describe('responsible units', () => {
    const addResponsible = (milestone: string, body: unknown) =>
      apiEvent('POST /plans/{plan}/milestones/{milestone}/responsible', { params: { plan: PLAN, milestone }, body });
    const removeResponsible = (milestone: string, unit: string) =>
      apiEvent('DELETE /plans/{plan}/milestones/{milestone}/responsible/{unit}', {
        params: { plan: PLAN, milestone, unit },
      });

    it("adds a responsible unit: 201, the milestone's revision moves, its schedules follow, the history says who", async () => {
      // Prepare
      const { handler, schedules } = await prepare();

      // Act
      const result = await handler(addResponsible('capacity-report', { unit: 'pengjiang' }));

      // Assess
      expect(result.statusCode).toBe(201);
      expect(json(result)).toMatchObject({
        bumped: [{ milestone: 'capacity-report', from: 1, to: 2 }],
        changes: [{ field: 'responsible', after: expect.arrayContaining(['pengjiang']) }],
      });
      const ours = (await schedules.list(PLAN)).filter((s) => s.payload.milestone === 'capacity-report');
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.every((s) => s.payload.revision === 2)).toBe(true);
      const plan = json(await handler(apiEvent('GET /plans/{plan}', { params: { plan: PLAN } })));
      expect(plan.milestones.find((m: { id: string }) => m.id === 'capacity-report').responsible).toContain(
        'pengjiang',
      );
      const history = json(await handler(apiEvent('GET /plans/{plan}/history', { params: { plan: PLAN } }))).history;
      expect(history.find((r: { action: string }) => r.action === 'addResponsible')).toMatchObject({
        actor: ADMIN,
        target: 'milestone:capacity-report',
        before: { responsible: expect.not.arrayContaining(['pengjiang']) },
        after: { responsible: expect.arrayContaining(['pengjiang']) },
      });
    });

    it('removes a responsible unit: 200, the unit is released and the revision moves', async () => {
      // Prepare
      const { handler } = await prepare();

      // Act
      const result = await handler(removeResponsible('district-plans', 'enping'));

      // Assess
      expect(result.statusCode).toBe(200);
      expect(json(result).bumped).toEqual([{ milestone: 'district-plans', from: 1, to: 2 }]);
      const plan = json(await handler(apiEvent('GET /plans/{plan}', { params: { plan: PLAN } })));
      const districtPlans = plan.milestones.find((m: { id: string }) => m.id === 'district-plans');
      expect(districtPlans).toMatchObject({ revision: 2 });
      expect(districtPlans.responsible).not.toContain('enping');
    });

    it.each([
      [
        'a unit the plan does not have',
        addResponsible('district-plans', { unit: 'ghost' }),
        [{ path: 'milestones[1].responsible[7]', message: 'unknown unit "ghost"' }],
      ],
      [
        'a unit already responsible',
        addResponsible('district-plans', { unit: 'pengjiang' }),
        [{ path: 'unit', message: '"pengjiang" is already responsible for "district-plans"' }],
      ],
      [
        'a milestone the plan does not have',
        addResponsible('ghost', { unit: 'pengjiang' }),
        [{ path: 'milestone', message: 'unknown milestone "ghost"' }],
      ],
      [
        'a body naming the milestone the path gives',
        addResponsible('district-plans', { unit: 'gxj', milestone: 'city-plan' }),
        [{ path: 'milestone', message: 'comes from the URL path; remove it from the body' }],
      ],
      [
        'a body without the unit',
        addResponsible('district-plans', {}),
        [{ path: 'unit', message: expect.stringMatching(/^Invalid input/) }],
      ],
      [
        'the last responsible unit removed',
        removeResponsible('city-plan', 'gxj'),
        [{ path: 'milestones[0].responsible', message: 'must name at least one unit' }],
      ],
      [
        'a unit released that is not responsible',
        removeResponsible('city-plan', 'pengjiang'),
        [{ path: 'unit', message: '"pengjiang" is not responsible for "city-plan"' }],
      ],
      [
        'a unit id that is not a slug',
        removeResponsible('city-plan', 'Peng Jiang'),
        [{ path: 'unit', message: 'must be an ASCII slug (a-z, 0-9, single hyphens), e.g. "district-plans"' }],
      ],
    ])('refuses %s with the messages of plan validate and changes nothing', async (_, event, errors) => {
      // Prepare
      const { handler, snapshot } = await prepare();
      const before = await snapshot();
      const history = async () =>
        json(await handler(apiEvent('GET /plans/{plan}/history', { params: { plan: PLAN } }))).history;
      const historyBefore = await history();

      // Act
      const result = await handler(event);

      // Assess
      expect(result.statusCode).toBe(400);
      expect(json(result)).toEqual({ errors });
      expect(await snapshot()).toEqual(before);
      expect(await history()).toEqual(historyBefore);
    });
  });

  it('removes a milestone and adds it back at a revision above every earlier one', async () => {
    // Prepare
    const { handler } = await prepare();
    const params = { plan: PLAN, milestone: 'capacity-report' };
    await handler(deadlineOf('capacity-report', '2021-06-18'));
    const plan = json(await handler(apiEvent('GET /plans/{plan}', { params: { plan: PLAN } })));
    const { revision: _revision, ...milestone } = plan.milestones.find(
      (m: { id: string }) => m.id === 'capacity-report',
    );

    // Act
    const removed = await handler(apiEvent('DELETE /plans/{plan}/milestones/{milestone}', { params }));
    const added = await handler(apiEvent('POST /plans/{plan}/milestones', { params: { plan: PLAN }, body: milestone }));

    // Assess
    expect(json(removed).bumped).toEqual([{ milestone: 'capacity-report', from: 2, to: -1 }]);
    expect(added.statusCode).toBe(201);
    expect(json(added).bumped).toEqual([{ milestone: 'capacity-report', from: 0, to: 3 }]);
  });
});
