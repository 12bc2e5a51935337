import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import type { CalendarStore } from '../../shared/domain/ports.js';
import { ADMIN, apiEvent, deadlineOf, json, PLAN, prepare, seedText } from '../support/calendarApi.js';

/**
 * The handler over a calendar whose first milestone write is preceded by another admin moving
 * `district-plans` to 2021-06-01 (through the real edit path): a concurrent edit, made deterministic.
 */
async function prepareRacedByAnotherAdmin() {
  let raced = false;
  const prepared = await prepare({
    calendar: (real) =>
      Object.create(real, {
        putMilestone: {
          value: async (...args: Parameters<CalendarStore['putMilestone']>) => {
            if (!raced) {
              raced = true;
              const other = { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-06-01' } as const;
              await applyEdit(
                { calendar: real, schedules: prepared.schedules, clock: prepared.clock },
                PLAN,
                other,
                'other-admin',
              );
            }
            return real.putMilestone(...args);
          },
        },
      }),
  });
  return prepared;
}

describe('calendar API', () => {
  it('shows the diff of an import without writing anything on ?dryRun=true', async () => {
    // Prepare
    const { handler, schedules } = await prepare({ imported: false });

    // Act
    const result = await handler(apiEvent('POST /plans', { rawBody: seedText, query: { dryRun: 'true' } }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ plan: PLAN, dryRun: true, diff: { isNew: true } });
    expect(json(result).diff.addedMilestones).toContain('district-plans');
    expect(await schedules.list(PLAN)).toEqual([]);
    expect((await handler(apiEvent('GET /plans/{plan}', { params: { plan: PLAN } }))).statusCode).toBe(404);
  });

  it('imports a plan: 201 with the diff, its schedules exist, and a second import changes nothing', async () => {
    // Prepare
    const { handler, schedules } = await prepare({ imported: false });

    // Act
    const first = await handler(apiEvent('POST /plans', { rawBody: seedText }));
    const again = await handler(apiEvent('POST /plans', { rawBody: seedText }));

    // Assess
    expect(first.statusCode).toBe(201);
    expect(json(first)).toMatchObject({ plan: PLAN, dryRun: false, diff: { isNew: true } });
    const stored = await schedules.list(PLAN);
    expect(stored.length).toBeGreaterThan(0);
    expect([...json(first).reconcile.created].sort()).toEqual(stored.map((s) => s.name).sort());
    expect(again.statusCode).toBe(200);
    expect(json(again)).toMatchObject({ diff: { isNew: false }, reconcile: { writes: 0 } });
  });

  it("moves only that milestone's schedules when a deadline is set", async () => {
    // Prepare
    const { handler, schedules } = await prepare();
    const before = await schedules.list(PLAN);

    // Act
    const result = await handler(deadlineOf('district-plans', '2021-06-15'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(json(result).bumped).toEqual([{ milestone: 'district-plans', from: 1, to: 2 }]);
    const after = new Map((await schedules.list(PLAN)).map((s) => [s.name, s]));
    expect([...after.keys()].sort()).toEqual(before.map((s) => s.name).sort());
    for (const old of before) {
      const now = after.get(old.name);
      if (old.payload.milestone !== 'district-plans') {
        expect(now).toEqual(old);
        continue;
      }
      expect(now?.at).not.toBe(old.at);
      expect(now?.payload.revision).toBe(2);
    }
  });

  it('keeps who set a deadline, and what it was before, in the history', async () => {
    // Prepare
    const { handler } = await prepare();
    await handler(deadlineOf('district-plans', '2021-06-15'));

    // Act
    const result = await handler(apiEvent('GET /plans/{plan}/history', { params: { plan: PLAN } }));

    // Assess
    expect(result.statusCode).toBe(200);
    const history = json(result).history as Record<string, unknown>[];
    expect(history.map((r) => r.action).sort()).toEqual(['import', 'setDeadline']);
    expect(history.find((r) => r.action === 'setDeadline')).toMatchObject({
      actor: ADMIN,
      target: 'milestone:district-plans',
      before: { deadline: '2021-05-31' },
      after: { deadline: '2021-06-15' },
    });
  });

  it.each([
    [
      'a deadline that is not a date',
      deadlineOf('district-plans', '2021-02-30'),
      [{ path: 'deadline', message: '"2021-02-30" is not a date (YYYY-MM-DD)' }],
    ],
    [
      'contacts of a unit the plan does not have',
      apiEvent('PUT /plans/{plan}/units/{unit}', {
        params: { plan: PLAN, unit: 'nowhere' },
        body: { email: 'office@nowhere.example' },
      }),
      [{ path: 'unit', message: 'unknown unit "nowhere"' }],
    ],
    [
      'a body field the path already gives',
      deadlineOf('district-plans', '2021-06-15', { body: { deadline: '2021-06-15', milestone: 'city-plan' } }),
      [{ path: 'milestone', message: 'comes from the URL path; remove it from the body' }],
    ],
    [
      'a body that is not JSON',
      deadlineOf('district-plans', '', { rawBody: '{"deadline": "2021-06-15"' }),
      [{ path: '(body)', message: expect.stringMatching(/^is not JSON/) }],
    ],
  ])('refuses %s with a located 400 and changes neither the plan nor its schedules', async (_, event, errors) => {
    // Prepare
    const { handler, snapshot } = await prepare();
    const before = await snapshot();

    // Act
    const result = await handler(event);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(json(result)).toEqual({ errors });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a plan with located errors and stores nothing', async () => {
    // Prepare
    const { handler } = await prepare({ imported: false });
    const plan = JSON.parse(seedText);
    plan.milestones[1].responsible[0] = 'nobody';

    // Act
    const result = await handler(apiEvent('POST /plans', { body: plan }));

    // Assess
    expect(result.statusCode).toBe(400);
    expect(json(result).errors).toContainEqual({
      path: 'milestones[1].responsible[0]',
      message: 'unknown unit "nobody"',
    });
    expect((await handler(apiEvent('GET /plans/{plan}', { params: { plan: PLAN } }))).statusCode).toBe(404);
  });

  it('refuses a mistyped ?dryrun rather than importing for real', async () => {
    // Prepare
    const { handler, schedules } = await prepare({ imported: false });

    // Act
    const result = await handler(apiEvent('POST /plans', { rawBody: seedText, query: { dryrun: 'true' } }));

    // Assess
    expect(result.statusCode).toBe(400);
    expect(json(result).errors[0].path).toBe('(query)');
    expect(await schedules.list(PLAN)).toEqual([]);
  });

  it('answers 413 for a body over 1 MB, 404 for an unknown plan or route', async () => {
    // Prepare
    const { handler } = await prepare();
    const huge = deadlineOf('district-plans', 'x'.repeat(1024 * 1024));
    const elsewhere = apiEvent('PUT /plans/{plan}/milestones/{milestone}/deadline', {
      params: { plan: 'nowhere-2021', milestone: 'district-plans' },
      body: { deadline: '2021-06-15' },
    });

    // Act
    const results = await Promise.all([huge, elsewhere, apiEvent('GET /plans')].map((e) => handler(e)));

    // Assess
    expect(results.map((r) => r.statusCode)).toEqual([413, 404, 404]);
    expect(json(results[1] ?? {}).errors).toEqual([
      { path: 'plan', message: 'plan "nowhere-2021" is not in the calendar; import it first' },
    ]);
  });

  it('reads a base64-encoded body as API Gateway passes it', async () => {
    // Prepare
    const { handler, schedules } = await prepare();

    // Act
    const result = await handler(deadlineOf('district-plans', '2021-06-15', { base64: true }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect((await schedules.list(PLAN)).find((s) => s.name === 'district-plans.2-due')?.at).toBe('2021-06-15T09:00:00');
  });

  it('answers 409 when another admin changed the milestone between read and write', async () => {
    // Prepare: the first write of the milestone is preceded by another admin's edit of it.
    const { handler } = await prepareRacedByAnotherAdmin();

    // Act
    const result = await handler(deadlineOf('district-plans', '2021-06-15'));

    // Assess
    expect(result.statusCode).toBe(409);
    expect(json(result).errors[0].message).toMatch(/changed by someone else/);
  });

  it('answers 409 to a re-import when another admin changed a milestone it writes, and keeps their change', async () => {
    // Prepare: the import's first milestone write is preceded by another admin's edit of that milestone.
    const { handler } = await prepareRacedByAnotherAdmin();
    const plan = JSON.parse(seedText);
    plan.milestones[1].deadline = '2021-06-15';

    // Act
    const result = await handler(apiEvent('POST /plans', { body: plan }));

    // Assess
    expect(result.statusCode).toBe(409);
    expect(json(result).errors).toEqual([
      {
        path: '(plan)',
        message: `import of ${PLAN} refused: milestone "district-plans" was changed by someone else. Nothing was written.`,
      },
    ]);
    const stored = json(await handler(apiEvent('GET /plans/{plan}', { params: { plan: PLAN } })));
    expect(stored.milestones[1]).toMatchObject({ deadline: '2021-06-01', revision: 2 });
  });

  it('pauses a milestone (its schedules go, the others stay) and resumes it', async () => {
    // Prepare
    const { handler, schedules } = await prepare();
    const before = await schedules.list(PLAN);
    const params = { plan: PLAN, milestone: 'capacity-report' };

    // Act
    const paused = await handler(apiEvent('POST /plans/{plan}/milestones/{milestone}/pause', { params }));
    const whilePaused = await schedules.list(PLAN);
    const resumed = await handler(apiEvent('POST /plans/{plan}/milestones/{milestone}/resume', { params }));

    // Assess
    expect([paused.statusCode, resumed.statusCode]).toEqual([200, 200]);
    expect(whilePaused).toEqual(before.filter((s) => s.payload.milestone !== 'capacity-report'));
    expect((await schedules.list(PLAN)).map((s) => s.name).sort()).toEqual(before.map((s) => s.name).sort());
  });

  it('returns a board row per milestone and responsible unit', async () => {
    // Prepare
    const { handler, submissions, clock } = await prepare();
    const at = Date.parse('2021-05-28T16:30:00+08:00');
    await submissions.record({ plan: PLAN, milestone: 'district-plans', unit: 'pengjiang', at, by: 'cli:test' });
    clock.advanceTo(Date.parse('2021-06-01T12:00:00+08:00'));

    // Act
    const result = await handler(apiEvent('GET /plans/{plan}/board', { params: { plan: PLAN } }));

    // Assess
    expect(result.statusCode).toBe(200);
    const rows = json(result).rows as { milestone: string; unit: string; status: string }[];
    const plan = JSON.parse(seedText) as { milestones: { responsible: string[] }[] };
    expect(rows).toHaveLength(plan.milestones.reduce((n, m) => n + m.responsible.length, 0));
    expect(rows).toContainEqual({
      milestone: 'district-plans',
      unit: 'pengjiang',
      status: 'submitted',
      submittedAt: '2021-05-28T16:30:00+08:00',
      by: 'cli:test',
      acknowledged: false,
      deadline: '2021-05-31',
      extended: false,
      review: 'pending',
    });
    expect(rows).toContainEqual({
      milestone: 'district-plans',
      unit: 'jianghai',
      status: 'missing',
      acknowledged: false,
      deadline: '2021-05-31',
      extended: false,
    });
  });
});
