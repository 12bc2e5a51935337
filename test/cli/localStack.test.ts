import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRunnerJournal } from '../../shared/adapters/local/runnerJournal.js';
import { LIGHT, LIGHT_ORDER } from '../../shared/domain/board/lights.js';
import { calendarOf } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { instantOf, wallClockOf } from '../../shared/domain/time/wallClock.js';
import { BUILT_IN_YEARS } from '../../shared/domain/time/workdays.js';
import { cliArgs, runCli } from '../support/cli.js';

const ZONE = 'Asia/Shanghai';

/**
 * The seed plan as a live stack runs it today: on the real clock, so every date here is relative to
 * now. The ladder of a deadline a few workdays ahead runs about three weeks past it (+10 workdays, then
 * the interview 3 workdays later); beyond the built-in holiday data that needs the plan's own list, so
 * the copy lists each such year with 元旦 as its one day off.
 */
function livePlan(): Plan {
  const seed = JSON.parse(readFileSync('plans/jiangmen-2021.json', 'utf8')) as Plan;
  const thisYear = Number(wallClockOf(Date.now(), ZONE).date.slice(0, 4));
  const years = [thisYear, thisYear + 1].filter((y) => y > BUILT_IN_YEARS.last);
  return years.length === 0
    ? seed
    : { ...seed, holidays: { years, off: years.map((y) => `${y}-01-01`), workdays: [] } };
}

/** `npm run local` and the operator commands against it, as separate processes, as a person uses them. */
describe('the live local stack and the operator CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-local-'));
  const env = { ...process.env, DUBAN_LOCAL_DIR: dir, DUBAN_ACTOR: 'tester' };
  const ports = { dynamo: 20_000 + Math.floor(Math.random() * 20_000), ses: 0 };
  ports.ses = ports.dynamo + 1;
  const plan = livePlan();
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  // A deadline 8 workdays ahead: its first reminder (−5 workdays) is still 3 workdays away.
  const calendar = calendarOf(plan);
  const today = wallClockOf(Date.now(), ZONE).date;
  const deadline = calendar.shift(today, 8);
  const firstReminder = `${calendar.shift(deadline, -5)}T09:00:00+08:00`;
  let stack: ChildProcess;
  let output = '';

  /** A command expected to succeed: its stdout. */
  const cli = async (...args: string[]) => {
    const out = await runCli(args, { env });
    if (out.code !== 0) throw new Error(`duban ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
    return out.stdout;
  };
  /** A command expected to fail: its exit code and stderr. */
  const refused = (args: readonly string[], withEnv: NodeJS.ProcessEnv = env) => runCli(args, { env: withEnv });
  const localUp = [
    'local',
    'up',
    '--plan',
    planFile,
    '--dynamo-port',
    String(ports.dynamo),
    '--ses-port',
    String(ports.ses),
    // Never the fixed defaults (8010, 8011): other runs on this machine may hold them.
    '--portal-port',
    String(ports.dynamo + 2),
    '--s3-port',
    String(ports.dynamo + 3),
  ];

  /** Starts `local up` on the data directory and resolves once it has printed where everything is. */
  async function startStack(): Promise<void> {
    output = '';
    stack = spawn('node', cliArgs(...localUp, '--tick', '1'), {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    stack.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    stack.stderr?.on('data', (chunk) => {
      errors += String(chunk);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local stack did not start:\n${output}\n${errors}`)), 110_000);
      const check = setInterval(() => {
        if (output.includes('board:')) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 100);
    });
  }

  async function stopStack(): Promise<number | null> {
    stack.kill('SIGINT');
    return new Promise<number | null>((resolve) => stack.once('exit', resolve));
  }

  // Starting dynalite, the SES stand-in, S3 and the portal takes 5–10 s idle, much longer on a loaded machine.
  beforeAll(startStack, 120_000);

  afterAll(() => {
    stack.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints where the mailbox, DynamoDB and the data are, and imports the seed plan', () => {
    expect(output).toContain(`mailbox (aws-ses-v2-local web UI): http://127.0.0.1:${ports.ses}/`);
    expect(output).toContain(`http://127.0.0.1:${ports.dynamo}`);
    expect(output).toContain('plan jiangmen-2021: imported');
    expect(existsSync(join(dir, 'local.json'))).toBe(true);
  });

  it('refuses a second `local up` on the same data directory in one clear line, exit code 1', async () => {
    // Act
    const second = await refused(localUp);

    // Assess
    const { pid } = JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8')) as { pid: number };
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `a local stack is already running (pid ${pid}, mailbox http://127.0.0.1:${ports.ses}/); use it from another terminal, or stop it with Ctrl-C first`,
    );
  });

  it('says which port is taken when another program holds it, exit code 1', async () => {
    // Prepare: another data directory, so only the ports collide.
    const other = mkdtempSync(join(tmpdir(), 'duban-local-other-'));

    // Act
    const second = await refused(localUp, { ...env, DUBAN_LOCAL_DIR: other });
    rmSync(other, { recursive: true, force: true });

    // Assess
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `port ${ports.dynamo} is in use by another program: stop it, or choose another with --dynamo-port <port>`,
    );
  });

  it('lets an admin move a deadline, see it listed and in the history, with the schedules following', async () => {
    // Act: on the real clock, as a live stack runs.
    const moved = await cli('calendar', 'set-deadline', 'jiangmen-2021', 'annual-summary', deadline);
    const list = await cli('calendar', 'list', 'jiangmen-2021', '--json');
    const history = await cli('calendar', 'history', 'jiangmen-2021');

    // Assess: the runner's schedule file holds the moved milestone's stages, the first one ahead of now.
    expect(moved).toContain('annual-summary: revision 1 → 2');
    expect(moved).toMatch(/schedules: \d+ created/);
    expect(JSON.parse(list).find((m: { id: string }) => m.id === 'annual-summary')).toMatchObject({
      deadline,
      revision: 2,
      next: `reminder ${firstReminder}`,
    });
    expect(history).toMatch(
      /tester {2}修改截止日期 setDeadline {2}milestone:annual-summary {2}deadline 2021-12-15 → \d{4}-\d{2}-\d{2}/,
    );
    const schedules = JSON.parse(readFileSync(join(dir, 'schedules.json'), 'utf8')) as { name: string; at: string }[];
    const ours = schedules.filter((s) => s.name.startsWith('annual-summary.'));
    expect(ours.length).toBeGreaterThan(0);
    expect(Math.min(...ours.map((s) => instantOf(s.at, ZONE)))).toBe(Date.parse(firstReminder));
  }, 90_000);

  it('records a submission and shows it on the board, with units not yet due as pending', async () => {
    // Act
    const submitted = await cli(
      'submit',
      '--plan',
      'jiangmen-2021',
      '--milestone',
      'annual-summary',
      '--unit',
      'pengjiang',
    );
    const board = JSON.parse(await cli('status', 'jiangmen-2021', '--json'));
    const text = await cli('status', 'jiangmen-2021');

    // Assess
    expect(submitted).toMatch(
      /^已记录报送：蓬江区人民政府（pengjiang）于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（Asia\/Shanghai） 报送“[^”]+”（annual-summary），记录人 cli:tester$/m,
    );
    const row = (unit: string) =>
      board.find((r: { milestone: string; unit: string }) => r.milestone === 'annual-summary' && r.unit === unit);
    expect(row('pengjiang')).toMatchObject({ status: 'submitted' });
    expect(row('enping')).toMatchObject({ status: 'pending' });
    expect(board.find((r: { milestone: string }) => r.milestone === 'district-plans')).toMatchObject({
      status: 'missing',
    });
    const count = (status: string) => board.filter((r: { status: string }) => r.status === status).length;
    expect(text).toContain(LIGHT_ORDER.map((s) => `${LIGHT[s].light} ${count(s)}`).join('  '));
    // 10 milestone rows not yet due, and the 7 districts' exit-ledger rows with nothing entered (灰 未登记).
    expect(count('pending')).toBe(17);
  }, 90_000);

  it('names the dead letters of the data directory beside the board', async () => {
    // Prepare: a firing that failed every attempt, as the runner keeps it.
    new FileRunnerJournal(dir).addDeadLetter({
      schedule: 'annual-summary.1-reminder',
      payload: { plan: 'jiangmen-2021', milestone: 'annual-summary', stage: 'reminder', revision: 2 },
      at: firstReminder.slice(0, 19),
      timezone: ZONE,
      attempts: 3,
      error: 'DispatchIncompleteError: stage annual-summary reminder: 10 notices failed',
      failedAt: Date.now(),
    });

    // Act
    const text = await cli('status', 'jiangmen-2021');
    const json = await runCli(['status', 'jiangmen-2021', '--json'], { env });

    // Assess: in the text after the board; with --json on stderr, the JSON unchanged.
    const line =
      'dead letter: annual-summary.1-reminder after 3 attempts: DispatchIncompleteError: stage annual-summary reminder: 10 notices failed';
    expect(text).toContain(
      'dead letters: 1 firings of jiangmen-2021 failed every attempt; their notices were not sent',
    );
    expect(text).toContain(line);
    expect(json.stderr).toContain(line);
    expect(Array.isArray(JSON.parse(json.stdout))).toBe(true);
  }, 90_000);

  it('refuses a broken edit with a located message and exit code 1', async () => {
    // Act
    const refused = await runCli(['calendar', 'set-deadline', 'jiangmen-2021', 'city-plan', '2021-02-30'], { env });

    // Assess
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toContain('deadline: "2021-02-30" is not a date (YYYY-MM-DD)');
  });

  it('stops everything on Ctrl-C and keeps the data', async () => {
    // Act
    const code = await stopStack();

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('stopped; data kept in');
    expect(existsSync(join(dir, 'local.json'))).toBe(false);
    expect(existsSync(join(dir, 'schedules.json'))).toBe(true);
  });

  it('takes up at the next start the retries left waiting and says what is dead-lettered', async () => {
    // Prepare: a retry a stop left waiting (an hour ahead, so it does not fire during the test).
    const retryAt = Date.now() + 3_600_000;
    const spec = {
      name: 'annual-summary.2-due',
      plan: 'jiangmen-2021',
      at: `${deadline}T09:00:00`,
      timezone: ZONE,
      payload: { plan: 'jiangmen-2021', milestone: 'annual-summary', stage: 'due' as const, revision: 2 },
    };
    new FileRunnerJournal(dir).savePending([{ spec, attempt: 2, at: retryAt }]);

    // Act
    await startStack();
    const stopped = await stopStack();

    // Assess
    expect(output).toContain('plan jiangmen-2021: already imported');
    expect(output).toContain('resuming 1 firing interrupted or waiting for a retry:');
    expect(output).toMatch(/annual-summary\.2-due attempt 2 at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(output).toContain(`dead letters: 1 firings failed every attempt and were not sent, kept in ${dir}`);
    expect(stopped).toBe(0);
    expect(output).toContain('(1 firings to resume at the next start)');
    expect(new FileRunnerJournal(dir).pending()).toEqual([{ spec, attempt: 2, at: retryAt }]);
  }, 150_000);
});
