import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatPath,
  MAX_PLAN_BYTES,
  type PlanIssue,
  PlanValidationError,
  parsePlan,
  parsePlanText,
} from '../../shared/domain/plan/validate.js';

const SEED_TEXT = readFileSync(new URL('../../plans/jiangmen-2021.json', import.meta.url), 'utf8');

/** A fresh, mutable copy of the seed plan as plain JSON. */
const seedJson = (): unknown => JSON.parse(SEED_TEXT);

/** Sets `value` at a path written the way issues are, e.g. `milestones[1].responsible[3]`. */
function setAt(root: unknown, path: string, value: unknown): void {
  const keys = (path.match(/[^.[\]]+/g) ?? []).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node = root as Record<PropertyKey, unknown>;
  keys.slice(0, -1).forEach((key) => {
    node = node[key] as Record<PropertyKey, unknown>;
  });
  const last = keys.at(-1);
  if (last === undefined) throw new Error(`empty path ${path}`);
  node[last] = value;
}

/** The seed with some changes applied. */
function brokenSeed(...changes: [path: string, value: unknown][]): unknown {
  const plan = seedJson();
  for (const [path, value] of changes) setAt(plan, path, value);
  return plan;
}

/** The issues parsePlan reports, or a failure if it accepts the input. */
function issuesOf(input: unknown): readonly PlanIssue[] {
  try {
    parsePlan(input);
  } catch (error) {
    if (error instanceof PlanValidationError) return error.issues;
    throw error;
  }
  throw new Error('parsePlan accepted the plan');
}

describe('parsePlan on the seed', () => {
  it('accepts the seed plan and fills the defaults', () => {
    // Act
    const plan = parsePlan(seedJson());

    // Assess
    expect(plan.id).toBe('jiangmen-2021');
    expect(plan.milestones.map((m) => m.cc)).toEqual([[], ['fgj', 'sthjj', 'scjgj', 'yjglj'], [], [], [], []]);
  });
});

describe('parsePlan rejects shape problems with located messages', () => {
  it('rejects a value of the wrong type at its path', () => {
    // Prepare
    const input = brokenSeed(['milestones[1].deadline', 20210531], ['units[2].kind', 'ministry']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'units[2].kind', message: expect.stringMatching(/department.*district.*government.*province/) },
      { path: 'milestones[1].deadline', message: expect.stringMatching(/expected string, received number/) },
    ]);
  });

  it('rejects a date that does not exist (2021-02-30)', () => {
    // Prepare
    const input = brokenSeed(['milestones[1].deadline', '2021-02-30']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: 'milestones[1].deadline', message: '"2021-02-30" is not a date (YYYY-MM-DD)' }]);
  });

  it('rejects a date that is not written YYYY-MM-DD, including in the holiday lists', () => {
    // Prepare
    const input = brokenSeed(['milestones[0].deadline', '2021/4/30'], ['holidays', { off: ['2021-13-01'] }]);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'milestones[0].deadline', message: '"2021/4/30" is not a date (YYYY-MM-DD)' },
      { path: 'holidays.off[0]', message: '"2021-13-01" is not a date (YYYY-MM-DD)' },
    ]);
  });

  it('rejects an invalid email address of a unit, a head, a supervisor and the coordinator', () => {
    // Prepare
    const input = brokenSeed(
      ['units[0].email', 'not-an-email'],
      ['units[5].head.email', 'head@'],
      ['units[6].supervisor.email', '@jiangmen.example'],
      ['ladder.coordinator.email', 'xietiao at gxj.jiangmen.example'],
    );

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'units[0].email', message: '"not-an-email" is not a valid email address' },
      { path: 'units[5].head.email', message: '"head@" is not a valid email address' },
      { path: 'units[6].supervisor.email', message: '"@jiangmen.example" is not a valid email address' },
      { path: 'ladder.coordinator.email', message: '"xietiao at gxj.jiangmen.example" is not a valid email address' },
    ]);
  });

  it('rejects a multi-line email address that would inject a header', () => {
    // Prepare
    const input = brokenSeed(
      ['units[0].head.email', 'head@gxj.jiangmen.example\r\nBcc: spy@evil.example'],
      ['units[1].email', 'office@fgj.jiangmen.example\n'],
    );

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'units[0].head.email', message: 'must be a single-line email address' },
      { path: 'units[1].email', message: 'must be a single-line email address' },
    ]);
  });

  it('rejects a milestone with no responsible unit', () => {
    // Prepare
    const input = brokenSeed(['milestones[2].responsible', []]);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: 'milestones[2].responsible', message: 'must name at least one unit' }]);
  });

  it('rejects ids that are not ASCII slugs: the plan, a unit, a milestone and a reference', () => {
    // Prepare
    const input = brokenSeed(
      ['id', 'Jiangmen 2021'],
      ['units[0].id', '工信局'],
      ['milestones[0].id', 'city_plan'],
      ['milestones[1].responsible[0]', 'peng--jiang'],
      ['milestones[2].id', 'a'.repeat(41)],
    );

    // Act
    const issues = issuesOf(input);

    // Assess
    const slug = expect.stringContaining('must be an ASCII slug');
    expect(issues).toEqual([
      { path: 'id', message: slug },
      { path: 'units[0].id', message: slug },
      { path: 'milestones[0].id', message: slug },
      { path: 'milestones[1].responsible[0]', message: slug },
      { path: 'milestones[2].id', message: 'must be at most 40 characters' },
    ]);
  });

  it('reports shape problems, unknown references and uncovered years together, in one run', () => {
    // Prepare
    const input = brokenSeed(
      ['units[0].kind', 'bureau'],
      ['milestones[1].responsible[7]', 'foo'],
      ['milestones[2].deadline', '2027-06-15'],
    );

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'units[0].kind', message: expect.stringContaining('Invalid option') },
      { path: 'milestones[1].responsible[7]', message: 'unknown unit "foo"' },
      {
        path: 'milestones[2].deadline',
        message: expect.stringMatching(/^cannot be scheduled: 2027-06-15 falls in 2027/),
      },
    ]);
  });

  it('refuses a cc listed twice, and a recipient that is one of the responsible units', () => {
    // Prepare
    const input = brokenSeed(['milestones[1].cc[4]', 'fgj'], ['milestones[0].recipient', 'gxj']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'milestones[0].recipient', message: '"gxj" is also responsible: a unit does not deliver to itself' },
      { path: 'milestones[1].cc[4]', message: '"fgj" is listed twice' },
    ]);
  });

  it('refuses a zone name that is not canonical, saying which one to write', () => {
    // Prepare
    const lower = brokenSeed(['timezone', 'asia/shanghai']);
    const alias = brokenSeed(['timezone', 'PRC']);

    // Act
    const issues = [...issuesOf(lower), ...issuesOf(alias)];

    // Assess
    expect(issues).toEqual([
      { path: 'timezone', message: '"asia/shanghai" is not the zone\'s canonical name: write "Asia/Shanghai"' },
      { path: 'timezone', message: '"PRC" is not the zone\'s canonical name: write "Asia/Shanghai"' },
    ]);
  });

  it('refuses a year listed under holidays.years without any of its days off', () => {
    // Prepare
    const input = brokenSeed(['holidays', { years: [2027], off: ['2026-10-01'], workdays: [] }]);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'holidays.years[0]', message: 'lists no day off in 2027: add its public holidays to "off"' },
    ]);
  });

  it('rejects an unknown time zone', () => {
    // Prepare
    const input = brokenSeed(['timezone', 'Asia/Jiangmen']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: 'timezone', message: '"Asia/Jiangmen" is not a known time zone' }]);
  });

  it('rejects a unit name spread over two lines and a key the schema does not know', () => {
    // Prepare
    const input = brokenSeed(['units[3].name', '市市场\n监管局'], ['milestones[0].owner', 'gxj']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'units[3].name', message: 'must be one line without control characters' },
      { path: 'milestones[0]', message: expect.stringContaining('"owner"') },
    ]);
  });

  it('reports "(plan)" as the path when the input is not an object at all', () => {
    // Act
    const issues = issuesOf(null);

    // Assess
    expect(issues).toEqual([{ path: '(plan)', message: expect.stringContaining('expected object') }]);
  });
});

describe('parsePlan rejects reference problems with located messages', () => {
  it('rejects a duplicate unit id and a duplicate milestone id, naming the first occurrence', () => {
    // Prepare
    const input = brokenSeed(
      ['units[13]', { ...(seedJson() as { units: object[] }).units[12], email: 'office2@szf.jiangmen.example' }],
      ['milestones[3].id', 'capacity-report'],
    );

    // Act
    const issues = issuesOf(input);

    // Assess (units[13] was gdgxt: the recipient of city-summary is now unknown too)
    expect(issues).toEqual([
      { path: 'units[13].id', message: 'duplicate id "szf" (also units[12])' },
      { path: 'milestones[3].id', message: 'duplicate id "capacity-report" (also milestones[2])' },
      { path: 'milestones[4].recipient', message: 'unknown unit "gdgxt"' },
    ]);
  });

  it('rejects an unknown unit as a milestone’s issuer', () => {
    // Prepare
    const input = brokenSeed(['milestones[4].issuer', { unit: 'shizhengfu', joint: ['szf'] }]);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: 'milestones[4].issuer.unit', message: 'unknown unit "shizhengfu"' }]);
  });

  it('rejects unknown units in responsible, recipient, cc, partners and approver', () => {
    // Prepare
    const input = brokenSeed(
      ['milestones[0].recipient', 'shizhengfu'],
      ['milestones[0].partners[10]', 'yjj'],
      ['milestones[1].responsible[3]', 'foo'],
      ['milestones[1].cc[0]', 'fgw'],
      ['milestones[4].approver', 'city-hall'],
    );

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'milestones[0].recipient', message: 'unknown unit "shizhengfu"' },
      { path: 'milestones[0].partners[10]', message: 'unknown unit "yjj"' },
      { path: 'milestones[1].responsible[3]', message: 'unknown unit "foo"' },
      { path: 'milestones[1].cc[0]', message: 'unknown unit "fgw"' },
      { path: 'milestones[4].approver', message: 'unknown unit "city-hall"' },
    ]);
  });

  it('rejects a unit listed twice as responsible for one milestone', () => {
    // Prepare
    const input = brokenSeed(['milestones[2].responsible[3]', 'fgj']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: 'milestones[2].responsible[3]', message: '"fgj" is listed twice' }]);
  });

  it('rejects a ladder whose reminder comes after the deadline', () => {
    // Prepare
    const input = brokenSeed(['ladder.stages[1].offset', 2]);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toContainEqual({
      path: 'ladder.stages[1].offset',
      message: 'a reminder must come before the deadline (offset < 0)',
    });
  });
});

describe('parsePlan checks that the holiday data covers every deadline', () => {
  it('rejects a deadline in 2027, which chinese-days does not cover, telling the user what to add', () => {
    // Prepare
    const input = brokenSeed(['milestones[4].deadline', '2027-01-05']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      {
        path: 'milestones[4].deadline',
        message: expect.stringMatching(/^cannot be scheduled: 2027-01-05 falls in 2027.*"holidays".*"years": \[2027\]/),
      },
    ]);
  });

  it('rejects a 2026 deadline whose later ladder stages run into uncovered 2027', () => {
    // Prepare: annual-summary has a summons 10 workdays after, and an interview after that
    const input = brokenSeed(['milestones[3].deadline', '2026-12-21']);

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: 'milestones[3].deadline', message: expect.stringContaining('falls in 2027') }]);
  });

  it('accepts a 2027 deadline once the plan lists 2027 under holidays.years with its days off and workdays', () => {
    // Prepare
    const input = brokenSeed(
      ['milestones[4].deadline', '2027-01-05'],
      ['holidays', { years: [2027], off: ['2027-01-01'], workdays: ['2027-01-09'] }],
    );

    // Act
    const plan = parsePlan(input);

    // Assess
    expect(plan.milestones[4]?.deadline).toBe('2027-01-05');
    expect(plan.holidays).toEqual({ years: [2027], off: ['2027-01-01'], workdays: ['2027-01-09'] });
  });
});

describe('parsePlanText', () => {
  it('reports a file that is not JSON as one "(file)" issue, not a SyntaxError', () => {
    // Act
    let thrown: unknown;
    try {
      parsePlanText('{ "id": "jiangmen-2021", ');
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(PlanValidationError);
    expect((thrown as PlanValidationError).issues).toEqual([
      { path: '(file)', message: expect.stringMatching(/^is not JSON: /) },
    ]);
  });

  it('refuses a text larger than the limit before parsing it', () => {
    // Prepare
    const huge = `"${'x'.repeat(MAX_PLAN_BYTES)}"`;

    // Act
    const act = () => parsePlanText(huge);

    // Assess
    expect(act).toThrow(/^\(file\): is larger than 32 MB/);
  });

  it('parses the seed file text into the same plan as parsePlan', () => {
    // Act
    const fromText = parsePlanText(SEED_TEXT);

    // Assess
    expect(fromText).toEqual(parsePlan(seedJson()));
  });
});

describe('PlanValidationError and formatPath', () => {
  it('formats paths with dots for keys and brackets for indexes', () => {
    // Act
    const paths = [
      formatPath(['milestones', 1, 'responsible', 3]),
      formatPath(['ladder', 'stages', 0]),
      formatPath([]),
    ];

    // Assess
    expect(paths).toEqual(['milestones[1].responsible[3]', 'ladder.stages[0]', '(plan)']);
  });

  it('carries every issue as one "path: message" line in its message', () => {
    // Prepare
    const input = brokenSeed(['milestones[1].responsible[3]', 'foo'], ['milestones[1].cc[0]', 'bar']);

    // Act
    let message = '';
    try {
      parsePlan(input);
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message.split('\n')).toEqual([
      'milestones[1].responsible[3]: unknown unit "foo"',
      'milestones[1].cc[0]: unknown unit "bar"',
    ]);
  });
});
