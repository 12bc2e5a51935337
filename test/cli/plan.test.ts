import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { displayWidth } from '../../cli/output/table.js';
import { type CliRun, runCli } from '../support/cli.js';
import { isOfficialWorkday } from '../support/officialCalendar.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEED_FILE = 'plans/jiangmen-2021.json';
const SEED_TEXT = readFileSync(join(ROOT, SEED_FILE), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'duban-plan-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI built from cli/main.ts (see globalSetup) in its own process, from the repository root. */
const duban = (...args: string[]) => runCli(args, { timeout: 20_000 });

/** Writes the seed with some changes (paths written the way issues are) to a file in the temp dir. */
function writeBrokenSeed(name: string, changes: [path: string, value: unknown][]): string {
  const plan: unknown = JSON.parse(SEED_TEXT);
  for (const [path, value] of changes) {
    const keys = (path.match(/[^.[\]]+/g) ?? []).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    let node = plan as Record<PropertyKey, unknown>;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
    node[keys.at(-1) ?? ''] = value;
  }
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const STACK_LINE = /^\s+at /m;

// Each spawn costs about half a second of CPU: the runs are independent, so they go in parallel.
describe.concurrent('duban plan validate', () => {
  it('accepts the seed with exit 0 and a one-line summary on stdout', async ({ expect }) => {
    // Act
    const run = await duban('plan', 'validate', SEED_FILE);

    // Assess
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      'plans/jiangmen-2021.json: valid — plan "jiangmen-2021" (江门市2021年推动落后产能退出工作计划), 14 units, 6 milestones, 36 schedules, Asia/Shanghai',
    ]);
    expect(run.stderr).not.toMatch(/error/i);
  });

  it('answers the same through `npm run -s cli --`, the command the README gives (tsx)', async ({ expect }) => {
    // Act
    const run = await new Promise<CliRun>((resolve) => {
      execFile(
        'npm',
        ['run', '-s', 'cli', '--', 'plan', 'validate', SEED_FILE],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
      );
    });

    // Assess
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      'plans/jiangmen-2021.json: valid — plan "jiangmen-2021" (江门市2021年推动落后产能退出工作计划), 14 units, 6 milestones, 36 schedules, Asia/Shanghai',
    ]);
  });

  it('prints every shape problem as "path: message" on stderr and exits 1, without a stack trace', async ({
    expect,
  }) => {
    // Prepare
    const file = writeBrokenSeed('shape.json', [
      ['timezone', 'Asia/Jiangmen'],
      ['units[0].id', '工信局'],
      ['units[1].email', 'office@fgj.jiangmen.example\r\nBcc: spy@evil.example'],
      ['units[2].head.email', 'head-at-sthjj'],
      ['milestones[1].deadline', '2021-02-30'],
      ['milestones[2].responsible', []],
      ['milestones[3].recipient', 42],
    ]);

    // Act
    const run = await duban('plan', 'validate', file);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([
      'timezone: "Asia/Jiangmen" is not a known time zone',
      'units[0].id: must be an ASCII slug (a-z, 0-9, single hyphens), e.g. "district-plans"',
      'units[1].email: must be a single-line email address',
      'units[2].head.email: "head-at-sthjj" is not a valid email address',
      'milestones[1].deadline: "2021-02-30" is not a date (YYYY-MM-DD)',
      'milestones[2].responsible: must name at least one unit',
      'milestones[3].recipient: Invalid input: expected string, received number',
    ]);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('prints duplicate ids and unknown unit references as "path: message" and exits 1', async ({ expect }) => {
    // Prepare
    const file = writeBrokenSeed('references.json', [
      ['milestones[3].id', 'capacity-report'],
      ['milestones[1].responsible[3]', 'foo'],
      ['milestones[1].cc[1]', 'hbj'],
      ['milestones[4].approver', 'city-hall'],
    ]);

    // Act
    const run = await duban('plan', 'validate', file);

    // Assess
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'milestones[1].responsible[3]: unknown unit "foo"',
      'milestones[1].cc[1]: unknown unit "hbj"',
      'milestones[3].id: duplicate id "capacity-report" (also milestones[2])',
      'milestones[4].approver: unknown unit "city-hall"',
    ]);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('reports a file that is not JSON as one "(file)" line and exits 1', async ({ expect }) => {
    // Prepare
    const file = join(dir, 'not-json.json');
    writeFileSync(file, '# 江门市2021年推动落后产能退出工作计划\n4月底前……\n');

    // Act
    const run = await duban('plan', 'validate', file);

    // Assess
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^\(file\): is not JSON: /)]);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('refuses a 2027 deadline the holiday data does not cover, telling the user to list the year', async ({
    expect,
  }) => {
    // Prepare
    const file = writeBrokenSeed('2027.json', [['milestones[4].deadline', '2027-01-05']]);

    // Act
    const run = await duban('plan', 'validate', file);

    // Assess
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        /^milestones\[4\]\.deadline: cannot be scheduled: 2027-01-05 falls in 2027.*"years": \[2027\]/,
      ),
    ]);
  });

  it('accepts the 2027 deadline once holidays lists the year with its days off and make-up workdays', async ({
    expect,
  }) => {
    // Prepare
    const file = writeBrokenSeed('2027-covered.json', [
      ['milestones[4].deadline', '2027-01-05'],
      ['holidays', { years: [2027], off: ['2027-01-01'], workdays: [] }],
    ]);

    // Act
    const run = await duban('plan', 'validate', file);

    // Assess
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([expect.stringMatching(/: valid — plan "jiangmen-2021" .*6 milestones/)]);
  });

  it('reports a missing file in one line with exit 1', async ({ expect }) => {
    // Act
    const run = await duban('plan', 'validate', join(dir, 'no-such-plan.json'));

    // Assess
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/no-such-plan\.json: cannot read \(ENOENT\)$/)]);
  });
});

describe.concurrent('duban plan schedule', () => {
  it('prints the --json contract: plan, timezone, milestones and schedules sorted by fireAt, none on a day off', async ({
    expect,
  }) => {
    // Act
    const run = await duban('plan', 'schedule', SEED_FILE, '--json');

    // Assess
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      plan: string;
      timezone: string;
      milestones: Record<string, unknown>[];
      schedules: { milestone: string; stage: string; fireAt: string; units: string[] }[];
    };
    expect(Object.keys(out)).toEqual(['plan', 'timezone', 'milestones', 'schedules']);
    expect(out.plan).toBe('jiangmen-2021');
    expect(out.timezone).toBe('Asia/Shanghai');
    expect(out.milestones).toHaveLength(6);
    expect(out.milestones[1]).toEqual({
      id: 'district-plans',
      deadline: '2021-05-31',
      responsible: ['pengjiang', 'jianghai', 'xinhui', 'taishan', 'kaiping', 'heshan', 'enping'],
      recipient: 'gxj',
      cc: ['fgj', 'sthjj', 'scjgj', 'yjglj'],
    });
    // 24 steps of the ladder and 12 repeated 催办 (3 for each milestone with units no 通报 addresses).
    expect(out.schedules).toHaveLength(36);
    expect(
      out.schedules.filter((s) => s.milestone === 'capacity-report' && s.stage === 'overdue').map((s) => s.fireAt),
    ).toEqual([
      '2021-06-16T09:00:00+08:00',
      '2021-06-21T09:00:00+08:00',
      '2021-06-24T09:00:00+08:00',
      '2021-06-29T09:00:00+08:00',
    ]);
    for (const s of out.schedules) {
      expect(Object.keys(s)).toEqual(['milestone', 'stage', 'fireAt', 'units']);
      expect(s.fireAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    }
    const instants = out.schedules.map((s) => Date.parse(s.fireAt));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(out.schedules.filter((s) => !isOfficialWorkday(s.fireAt.slice(0, 10)))).toEqual([]);
    expect(out.schedules).toContainEqual({
      milestone: 'district-plans',
      stage: 'summons',
      fireAt: '2021-06-15T10:00:00+08:00',
      units: ['pengjiang', 'jianghai', 'xinhui', 'taishan', 'kaiping', 'heshan', 'enping'],
    });
    expect(out.schedules[0]).toEqual({
      milestone: 'city-plan',
      stage: 'reminder',
      fireAt: '2021-04-25T09:00:00+08:00',
      units: ['gxj'],
    });
  });

  it('prints a human timeline: a title, a table header and one aligned row per fire time', async ({ expect }) => {
    // Act
    const run = await duban('plan', 'schedule', SEED_FILE);

    // Assess
    expect(run.code).toBe(0);
    const [title, header, rule, ...rows] = lines(run.stdout);
    expect(title).toBe('江门市2021年推动落后产能退出工作计划 (jiangmen-2021) — Asia/Shanghai');
    expect(header).toMatch(/^fire time\s+milestone\s+deadline\s+stage\s+units$/);
    expect(rule).toMatch(/^[─ ]+$/);
    expect(rows).toHaveLength(36);
    expect(rows).toContainEqual(
      expect.stringMatching(/^2021-05-06 09:00\s+city-plan\s+2021-04-30\s+overdue 催办\s+市工业和信息化局$/),
    );
    expect(rows).toContainEqual(
      expect.stringMatching(/^2021-06-15 10:00\s+district-plans\s+2021-05-31\s+summons 约谈\s+7 units: 蓬江区人民政府/),
    );
    // The units column starts at the same display column on every row, Chinese text or not.
    const unitsColumn = (row: string) => {
      const stage = /(提醒|到期提醒|催办|通报|约谈)\s+/.exec(row);
      return stage ? displayWidth(row.slice(0, stage.index + stage[0].length)) : -1;
    };
    expect(new Set(rows.map(unitsColumn)).size).toBe(1);
  });
});
