import { beforeAll, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit, type CalendarDeps } from '../../shared/domain/calendar/applyEdit.js';
import { calendarEditSchema } from '../../shared/domain/calendar/editSchema.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { RuleRefusedError } from '../../shared/domain/errors.js';
import { PlanValidationError, zodIssues } from '../../shared/domain/plan/validate.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { realAdapters } from '../support/stack.js';
import { MARKUP, PLAN_ID, seedJson, seedPlan } from './hostile.js';

/** The seed imported into DynamoDB stores on a fresh table and an in-memory schedule store. */
async function seededCalendar(): Promise<CalendarDeps> {
  const { calendar } = await realAdapters();
  const deps = {
    calendar,
    schedules: new LocalScheduleStore(),
    clock: new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00')),
  };
  await importPlan(deps, seedPlan(), 'admin');
  return deps;
}

/** Everything an edit could change: the stored plan, the audit trail and the schedules. */
async function snapshot(deps: CalendarDeps) {
  return {
    plan: await deps.calendar.loadPlan(PLAN_ID),
    audit: await deps.calendar.listAudit(PLAN_ID),
    schedules: await deps.schedules.list(PLAN_ID),
  };
}

/** An edit as the admin API takes it: checked by the edit schema, then applied. */
async function applyRaw(deps: CalendarDeps, raw: unknown) {
  const parsed = calendarEditSchema.safeParse(raw);
  if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
  return applyEdit(deps, PLAN_ID, parsed.data, 'admin');
}

/** A new milestone: the seed's second one under another id, with `change` applied. */
function newMilestone(change: Record<string, unknown> = {}) {
  return { ...seedJson().milestones[1], id: 'extra-report', ...change };
}

const SLUG_MESSAGE = 'must be an ASCII slug (a-z, 0-9, single hyphens), e.g. "district-plans"';

/** A located issue; the message may be an asymmetric matcher where it names data we do not own. */
type Expected = { path: string; message: unknown };

const hostileEdits: [string, unknown, Expected[]][] = [
  [
    'a contact email carrying CRLF and a Bcc header',
    { type: 'setContacts', unit: 'pengjiang', email: 'office@pengjiang.jiangmen.example\r\nBcc: victim@evil.example' },
    [{ path: 'email', message: 'must be a single-line email address' }],
  ],
  [
    'a head email in display-name form',
    { type: 'setContacts', unit: 'pengjiang', head: { name: '负责人', email: '"Evil" <a@x.example>' } },
    [{ path: 'head.email', message: '"\\"Evil\\" <a@x.example>" is not a valid email address' }],
  ],
  [
    'a supervisor email that is a comma-separated list',
    { type: 'setContacts', unit: 'pengjiang', supervisor: { email: 'a@x.example, victim@evil.example' } },
    [{ path: 'supervisor.email', message: '"a@x.example, victim@evil.example" is not a valid email address' }],
  ],
  [
    'a head name with a right-to-left override',
    { type: 'setContacts', unit: 'pengjiang', head: { name: '负责人\u202e', email: 'head@x.example' } },
    [{ path: 'head.name', message: 'must not contain bidirectional control characters' }],
  ],
  [
    'contacts for an unknown unit',
    { type: 'setContacts', unit: 'ghost', email: 'office@ghost.example' },
    [{ path: 'unit', message: 'unknown unit "ghost"' }],
  ],
  [
    'contacts smuggled in under "__proto__"',
    JSON.parse('{"type":"setContacts","unit":"pengjiang","__proto__":{"email":"victim@evil.example"}}'),
    [{ path: '(plan)', message: 'Unrecognized key: "__proto__"' }],
  ],
  [
    'a new milestone with an id that already exists',
    { type: 'addMilestone', milestone: newMilestone({ id: 'district-plans' }) },
    [{ path: 'milestones[6].id', message: 'duplicate id "district-plans" (also milestones[1])' }],
  ],
  [
    'a new milestone naming an unknown unit and recipient',
    { type: 'addMilestone', milestone: newMilestone({ responsible: ['ghost'], recipient: 'nobody' }) },
    [
      { path: 'milestones[6].responsible[0]', message: 'unknown unit "ghost"' },
      { path: 'milestones[6].recipient', message: 'unknown unit "nobody"' },
    ],
  ],
  [
    'a new milestone with NUL in its title',
    { type: 'addMilestone', milestone: newMilestone({ title: `报送${MARKUP.script}\u0000` }) },
    [{ path: 'milestone.title', message: 'must be one line without control characters' }],
  ],
  [
    'a new milestone with a 100 KB deliverable',
    { type: 'addMilestone', milestone: newMilestone({ deliverable: '材'.repeat(100_000) }) },
    [{ path: 'milestone.deliverable', message: 'must be at most 200 characters' }],
  ],
  [
    'an unknown unit made responsible',
    { type: 'addResponsible', milestone: 'district-plans', unit: 'ghost' },
    [{ path: 'milestones[1].responsible[7]', message: 'unknown unit "ghost"' }],
  ],
  [
    'a unit made responsible for an unknown milestone',
    { type: 'addResponsible', milestone: 'ghost', unit: 'pengjiang' },
    [{ path: 'milestone', message: 'unknown milestone "ghost"' }],
  ],
  [
    'a unit made responsible twice',
    { type: 'addResponsible', milestone: 'district-plans', unit: 'pengjiang' },
    [{ path: 'unit', message: '"pengjiang" is already responsible for "district-plans"' }],
  ],
  [
    'the last responsible unit removed',
    { type: 'removeResponsible', milestone: 'city-plan', unit: 'gxj' },
    [{ path: 'milestones[0].responsible', message: 'must name at least one unit' }],
  ],
  [
    'a deadline in full-width digits',
    { type: 'setDeadline', milestone: 'district-plans', deadline: '２０２１-06-30' },
    [{ path: 'deadline', message: '"２０２１-06-30" is not a date (YYYY-MM-DD)' }],
  ],
  [
    'a milestone id with a Cyrillic "а"',
    { type: 'setDeadline', milestone: 'district-plаns', deadline: '2021-06-30' },
    [{ path: 'milestone', message: SLUG_MESSAGE }],
  ],
  [
    'an unknown milestone paused',
    { type: 'pause', milestone: 'ghost' },
    [{ path: 'milestone', message: 'unknown milestone "ghost"' }],
  ],
  [
    'an unknown edit type',
    { type: 'dropTable', milestone: 'district-plans' },
    [
      {
        path: 'type',
        message: expect.stringMatching(
          /^Invalid discriminator value\. Expected 'setDeadline' \| 'setUnitDeadline' \| 'addMilestone'/,
        ),
      },
    ],
  ],
];

describe('hostile calendar edits', () => {
  let deps: CalendarDeps;

  beforeAll(async () => {
    deps = await seededCalendar();
  });

  it.each(hostileEdits)('refuses %s and changes no stored data or schedule', async (_label, edit, issues) => {
    // Prepare
    const before = await snapshot(deps);

    // Act
    const error = await applyRaw(deps, edit).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PlanValidationError);
    expect((error as PlanValidationError).issues).toEqual(issues);
    expect(await snapshot(deps)).toEqual(before);
    expect(before.audit).toHaveLength(1);
    expect(before.schedules.length).toBeGreaterThan(20);
  });

  it('refuses a deadline in a year without holiday data, naming the year, and changes no stored data or schedule', async () => {
    // Prepare
    const before = await snapshot(deps);

    // Act
    const error = await applyRaw(deps, {
      type: 'setDeadline',
      milestone: 'district-plans',
      deadline: '2031-05-30',
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RuleRefusedError);
    expect((error as RuleRefusedError).message).toMatch(/^2031-05-30 无法排期：截止日 2031-05-30 本身落在 2031 年/);
    expect(await snapshot(deps)).toEqual(before);
  });
});

describe('the snapshot comparison itself', () => {
  it('sees an accepted edit in the stored plan, the audit trail and the schedules', async () => {
    // Prepare
    const deps = await seededCalendar();
    const before = await snapshot(deps);

    // Act
    await applyRaw(deps, { type: 'setDeadline', milestone: 'district-plans', deadline: '2021-06-30' });
    const after = await snapshot(deps);

    // Assess
    expect(after.plan).not.toEqual(before.plan);
    expect(after.audit).toHaveLength(before.audit.length + 1);
    expect(after.schedules).not.toEqual(before.schedules);
  });
});
