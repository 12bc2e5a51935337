import { describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { planSchedule } from '../../shared/domain/plan/ladder.js';
import { parsePlan } from '../../shared/domain/plan/validate.js';
import { submissionInputSchema, submitDeliverable } from '../../shared/domain/submissions/submit.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { formatInZone, instantOf } from '../../shared/domain/time/wallClock.js';
import { scenarioSchema } from '../../sim/scenario.js';
import { realAdapters } from '../support/stack.js';
import { issuesOf, PLAN_ID, seedJson, seedPlan, zodIssuesOf } from './hostile.js';

const NINE_IN_JIANGMEN = Date.parse('2021-05-31T09:00:00+08:00');
const submit = { milestone: 'district-plans', unit: 'pengjiang' };
const scenarioAt = (at: string) => scenarioSchema.safeParse({ events: [{ at, submit }] });
const submissionAt = (at: string) => submissionInputSchema.safeParse({ plan: PLAN_ID, ...submit, at });

describe('plan time zones', () => {
  it('accepts America/New_York and gives every fire time that zone’s offset, summer and winter', () => {
    // Prepare
    const raw = seedJson();
    raw.timezone = 'America/New_York';

    // Act
    const schedule = planSchedule(parsePlan(raw));

    // Assess
    const dueInMay = schedule.find((o) => o.milestone === 'district-plans' && o.stage === 'due');
    const dueInDecember = schedule.find((o) => o.milestone === 'annual-summary' && o.stage === 'due');
    expect(dueInMay?.fireAt).toBe('2021-05-31T09:00:00-04:00');
    expect(dueInDecember?.fireAt).toBe('2021-12-15T09:00:00-05:00');
    for (const o of schedule) {
      expect(o.fireAt).toMatch(/-0[45]:00$/);
      expect(Date.parse(o.fireAt)).toBe(o.instant);
    }
  });

  it('stores New York schedules that fire at 09:00 New York time, not Jiangmen time', async () => {
    // Prepare
    const raw = seedJson();
    raw.timezone = 'America/New_York';
    const { calendar } = await realAdapters();
    const schedules = new LocalScheduleStore();
    const clock = new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00'));

    // Act
    await importPlan({ calendar, schedules, clock }, parsePlan(raw), 'admin');
    const due = (await schedules.list(PLAN_ID)).find((s) => s.name === 'district-plans.2-due');

    // Assess
    expect(due).toMatchObject({ at: '2021-05-31T09:00:00', timezone: 'America/New_York' });
    expect(due && formatInZone(instantOf(due.at, due.timezone), 'UTC')).toBe('2021-05-31T13:00:00+00:00');
  });

  it.each(['Mars/Olympus', 'Asia/Shang hai', ''])('refuses the time zone %j', (zone) => {
    // Prepare
    const raw = seedJson();
    raw.timezone = zone;

    // Act
    const issues = issuesOf(() => parsePlan(raw));

    // Assess
    expect(issues).toEqual([{ path: 'timezone', message: `${JSON.stringify(zone)} is not a known time zone` }]);
  });
});

describe('event and submission times', () => {
  it.each([
    ['without an offset', '2021-05-31T09:00:00'],
    ['with full-width digits', '２０２１-05-31T09:00:00+08:00'],
    ['with a space instead of T', '2021-05-31 09:00:00+08:00'],
  ])('refuses a scenario event time %s', (_label, at) => {
    // Prepare / Act
    const issues = zodIssuesOf(scenarioAt(at));

    // Assess
    expect(issues).toEqual([
      {
        path: 'events[0].at',
        message: `${JSON.stringify(at)} is not an ISO time with an offset (e.g. 2021-05-31T09:00:00+08:00)`,
      },
    ]);
  });

  it.each([
    ['an hour of 25', '2021-05-31T25:00:00+08:00'],
    ['an offset of +99:00', '2021-05-31T09:00:00+99:00'],
    ['a 31st of June', '2021-06-31T09:00:00+08:00'],
  ])('refuses a scenario event time with %s', (_label, at) => {
    // Prepare / Act
    const issues = zodIssuesOf(scenarioAt(at));

    // Assess
    expect(issues).toEqual([{ path: 'events[0].at', message: `${JSON.stringify(at)} is not a valid time` }]);
  });

  it.each(['2021-05-31T09:00:00', '2021-05-31T09:00:00+99:00'])('refuses the submission time %j', (at) => {
    // Prepare / Act
    const issues = zodIssuesOf(submissionAt(at));

    // Assess
    expect(issues).toEqual([
      { path: 'at', message: 'must be an ISO time with an offset, e.g. 2021-05-28T16:30:00+08:00' },
    ]);
  });

  it('reads a scenario time in Z as the same instant as 09:00 in Jiangmen', () => {
    // Prepare / Act
    const parsed = scenarioAt('2021-05-31T01:00:00Z');

    // Assess
    expect(parsed.success && parsed.data.events[0]?.at).toBe(NINE_IN_JIANGMEN);
  });

  it('records a submission made at a Z time at the right instant', async () => {
    // Prepare
    const { calendar, submissions } = await realAdapters();
    const clock = new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00'));
    await importPlan({ calendar, schedules: new LocalScheduleStore(), clock }, seedPlan(), 'admin');
    const input = submissionInputSchema.parse({
      plan: PLAN_ID,
      ...submit,
      at: '2021-05-31T01:00:00Z',
      reason: 'received on paper in the morning',
    });

    // Act: recorded the same day, after the fact.
    clock.advanceTo(Date.parse('2021-05-31T18:00:00+08:00'));
    await submitDeliverable({ calendar, submissions, clock }, input, { by: 'cli:office' });

    // Assess
    const stored = await submissions.listForMilestone(PLAN_ID, 'district-plans');
    expect(stored.map((s) => [s.unit, s.at])).toEqual([['pengjiang', NINE_IN_JIANGMEN]]);
  });
});

describe('scenario events', () => {
  it('refuses a submission reference carrying CR LF, as the submissions API does', () => {
    // Prepare / Act
    const issues = zodIssuesOf(
      scenarioSchema.safeParse({ events: [{ at: '2021-05-31T01:00:00Z', submit: { ...submit, ref: 'a\r\nb' } }] }),
    );

    // Assess
    expect(issues).toEqual([{ path: 'events[0].submit.ref', message: 'must be one line' }]);
  });

  it('refuses an action hidden under "__proto__" and pollutes no prototype', () => {
    // Prepare
    const json = JSON.parse(
      `{"events":[{"at":"2021-05-31T01:00:00Z","__proto__":{"submit":${JSON.stringify(submit)}}}]}`,
    );

    // Act
    const issues = zodIssuesOf(scenarioSchema.safeParse(json));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('events[0]');
    expect(issues[0]?.message).toMatch(/^needs exactly one action besides "at"/);
    expect(Object.prototype).not.toHaveProperty('submit');
  });
});
