import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deadlineInstant,
  interviewFor,
  occurrencesOf,
  planSchedule,
  type StageOccurrence,
} from '../../shared/domain/plan/ladder.js';
import type { Milestone, Plan } from '../../shared/domain/plan/schema.js';
import { parsePlan } from '../../shared/domain/plan/validate.js';

const SEED_TEXT = readFileSync(new URL('../../plans/jiangmen-2021.json', import.meta.url), 'utf8');
const loadSeed = (): Plan => parsePlan(JSON.parse(SEED_TEXT));

function milestone(plan: Plan, id: string): Milestone {
  const found = plan.milestones.find((m) => m.id === id);
  if (!found) throw new Error(`no milestone ${id} in the seed`);
  return found;
}

/** `stage fireAt` lines, the way a reader checks a ladder against a calendar. */
const lines = (occurrences: readonly StageOccurrence[]) => occurrences.map((o) => `${o.stage} ${o.fireAt}`);

const DISTRICTS = ['pengjiang', 'jianghai', 'xinhui', 'taishan', 'kaiping', 'heshan', 'enping'];

describe('occurrencesOf on the seed', () => {
  it('fires district-plans at 09:00 before and after the deadline, then circular and summons at 10:00 skipping Dragon Boat', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const occurrences = occurrencesOf(plan, milestone(plan, 'district-plans'));

    // Assess
    expect(lines(occurrences)).toEqual([
      'reminder 2021-05-24T09:00:00+08:00',
      'reminder 2021-05-28T09:00:00+08:00',
      'due 2021-05-31T09:00:00+08:00',
      'overdue 2021-06-01T09:00:00+08:00',
      'circular 2021-06-07T10:00:00+08:00',
      'summons 2021-06-15T10:00:00+08:00', // 10 workdays after 05-31, 06-14 (端午) skipped
    ]);
    expect(occurrences.map((o) => o.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(occurrences.every((o) => o.units.join() === DISTRICTS.join())).toBe(true);
  });

  it('reminds for city-plan on the make-up Sunday 2021-04-25 and chases it on 2021-05-06, after the May holiday, then again every 3 workdays', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const occurrences = occurrencesOf(plan, milestone(plan, 'city-plan'));

    // Assess: a department meets no 通报 or 约谈, so its 催办 comes back three more times (the default repeat).
    expect(lines(occurrences)).toEqual([
      'reminder 2021-04-25T09:00:00+08:00',
      'reminder 2021-04-29T09:00:00+08:00',
      'due 2021-04-30T09:00:00+08:00',
      'overdue 2021-05-06T09:00:00+08:00',
      'overdue 2021-05-10T09:00:00+08:00', // 05-07, 05-08 (the make-up Saturday after 劳动节), 05-10
      'overdue 2021-05-13T09:00:00+08:00',
      'overdue 2021-05-18T09:00:00+08:00',
    ]);
    expect(occurrences.map((o) => o.round)).toEqual([undefined, undefined, undefined, undefined, 1, 2, 3]);
  });

  it('reminds for city-summary on 2021-12-28 and 2022-01-04, skipping the New Year holiday', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const occurrences = occurrencesOf(plan, milestone(plan, 'city-summary'));

    // Assess
    expect(lines(occurrences)).toEqual([
      'reminder 2021-12-28T09:00:00+08:00',
      'reminder 2022-01-04T09:00:00+08:00',
      'due 2022-01-05T09:00:00+08:00',
      'overdue 2022-01-06T09:00:00+08:00',
      'overdue 2022-01-11T09:00:00+08:00',
      'overdue 2022-01-14T09:00:00+08:00',
      'overdue 2022-01-19T09:00:00+08:00',
    ]);
  });

  it('addresses circular and summons for annual-summary to the seven districts only, not the four departments', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const occurrences = occurrencesOf(plan, milestone(plan, 'annual-summary'));

    // Assess
    const byStage = occurrences.map((o) => [o.stage, o.fireAt, o.units.length]);
    expect(byStage).toEqual([
      ['reminder', '2021-12-08T09:00:00+08:00', 11],
      ['reminder', '2021-12-14T09:00:00+08:00', 11],
      ['due', '2021-12-15T09:00:00+08:00', 11],
      ['overdue', '2021-12-16T09:00:00+08:00', 11],
      // The four departments, whom no 通报 or 约谈 reaches, are pressed again; the districts are not.
      ['overdue', '2021-12-21T09:00:00+08:00', 4],
      ['circular', '2021-12-22T10:00:00+08:00', 7],
      ['overdue', '2021-12-24T09:00:00+08:00', 4],
      ['overdue', '2021-12-29T09:00:00+08:00', 4],
      ['summons', '2021-12-29T10:00:00+08:00', 7],
    ]);
    expect(
      occurrences.filter((o) => o.round !== undefined).every((o) => o.units.join() === 'fgj,sthjj,scjgj,yjglj'),
    ).toBe(true);
    expect(occurrences.find((o) => o.stage === 'summons')?.units).toEqual(DISTRICTS);
  });

  it('leaves out circular and summons for milestones no district is responsible for', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const stages = ['city-plan', 'capacity-report', 'city-summary'].flatMap((id) =>
      occurrencesOf(plan, milestone(plan, id)).map((o) => o.stage),
    );

    // Assess: four steps each, and three repeats of 催办 each.
    expect(stages).toHaveLength(21);
    expect(stages).not.toContain('circular');
    expect(stages).not.toContain('summons');
  });

  it('announces a deadline that falls on a day off on the last workday before it, and chases after the holiday', () => {
    // Prepare: move city-plan's deadline onto Labour Day
    const plan = loadSeed();
    const onHoliday = { ...milestone(plan, 'city-plan'), deadline: '2021-05-03' };

    // Act
    const occurrences = occurrencesOf(plan, onHoliday);

    // Assess
    expect(occurrences.find((o) => o.stage === 'due')?.fireAt).toBe('2021-04-30T09:00:00+08:00');
    expect(occurrences.find((o) => o.stage === 'overdue')?.fireAt).toBe('2021-05-06T09:00:00+08:00');
  });
});

describe('fire times are wall-clock times in the plan zone', () => {
  it('gives every fireAt the +08:00 offset and an instant equal to Date.parse(fireAt) and to the wall time', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const schedule = planSchedule(plan);

    // Assess: 24 steps, and 12 repeats of 催办 for the departments (3 for each of their four milestones).
    expect(schedule).toHaveLength(36);
    for (const o of schedule) {
      expect(o.fireAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\+08:00$/);
      expect(o.instant).toBe(Date.parse(o.fireAt));
      expect(o.fireAt).toBe(`${o.wall}+08:00`);
    }
  });

  it('computes the same fire times whatever the process time zone is', () => {
    // Prepare
    const plan = loadSeed();
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';

    // Act
    let occurrences: StageOccurrence[];
    try {
      occurrences = occurrencesOf(plan, milestone(plan, 'district-plans'));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }

    // Assess
    expect(occurrences.find((o) => o.stage === 'circular')?.fireAt).toBe('2021-06-07T10:00:00+08:00');
    expect(occurrences.find((o) => o.stage === 'circular')?.instant).toBe(Date.UTC(2021, 5, 7, 2));
  });

  it('fires at 09:00 of the zone the plan names, not at 09:00 Shanghai time', () => {
    // Prepare
    const plan = { ...loadSeed(), timezone: 'Europe/Berlin' };

    // Act
    const occurrences = occurrencesOf(plan, milestone(plan, 'district-plans'));

    // Assess
    expect(occurrences.find((o) => o.stage === 'due')?.fireAt).toBe('2021-05-31T09:00:00+02:00');
    expect(occurrences.find((o) => o.stage === 'due')?.instant).toBe(Date.UTC(2021, 4, 31, 7));
  });

  it('ends a deadline at midnight after the deadline day in the plan zone', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const end = deadlineInstant(plan, milestone(plan, 'district-plans'));

    // Assess
    expect(end).toBe(Date.parse('2021-06-01T00:00:00+08:00'));
  });
});

describe('planSchedule', () => {
  it('lists every occurrence of the seed sorted by fire time, without firing on a day off', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const schedule = planSchedule(plan);

    // Assess
    const instants = schedule.map((o) => o.instant);
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    const days = schedule.map((o) => o.fireAt.slice(0, 10));
    const holidays = ['2021-05-01', '2021-05-03', '2021-05-04', '2021-05-05', '2021-06-14', '2022-01-03'];
    expect(days.filter((d) => holidays.includes(d))).toEqual([]);
    expect(schedule.filter((o) => o.fireAt.startsWith('2021-06-07')).map((o) => `${o.milestone} ${o.stage}`)).toEqual([
      'capacity-report reminder',
      'district-plans circular',
    ]);
  });

  it('leaves out a paused milestone', () => {
    // Prepare
    const plan = loadSeed();
    const paused: Plan = { ...plan, milestones: plan.milestones.map((m) => ({ ...m, paused: m.id === 'city-plan' })) };

    // Act
    const schedule = planSchedule(paused);

    // Assess
    expect(schedule).toHaveLength(29);
    expect(schedule.map((o) => o.milestone)).not.toContain('city-plan');
  });
});

describe('interviewFor', () => {
  it('holds the district-plans interview 3 workdays after the summons at 15:00 in the 工信局 meeting room', () => {
    // Prepare
    const plan = loadSeed();

    // Act
    const interview = interviewFor(plan, milestone(plan, 'district-plans'), '2021-06-15');

    // Assess
    expect(interview).toMatchObject({
      wall: '2021-06-18T15:00:00',
      at: '2021-06-18T15:00:00+08:00',
      place: '市工业和信息化局会议室',
      host: '市工业和信息化局主要负责同志',
      // The written explanation and the 回执: by the end of the workday before.
      explainBy: '2021-06-17',
    });
  });

  it("uses a milestone's own interview arrangement over the ladder's", () => {
    // Prepare
    const plan = loadSeed();
    const own = {
      ...milestone(plan, 'annual-summary'),
      interview: { afterWorkdays: 1, hour: 9, place: '市政府第一会议室', host: '分管副市长' },
    };

    // Act
    const interview = interviewFor(plan, own, '2021-12-31');

    // Assess: 2022-01-01..03 are days off
    expect(interview).toMatchObject({ at: '2022-01-04T09:00:00+08:00', place: '市政府第一会议室' });
  });
});
