import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** `npm run local` and the operator commands against it, as separate processes, as a person uses them. */
describe('the live local stack and the operator CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-local-'));
  const env = { ...process.env, DUBAN_LOCAL_DIR: dir, DUBAN_ACTOR: 'tester' };
  const ports = { dynamo: 20_000 + Math.floor(Math.random() * 20_000), ses: 0 };
  ports.ses = ports.dynamo + 1;
  let stack: ChildProcess;
  let output = '';

  const cli = async (...args: string[]) => {
    const out = await run('node', ['--import', 'tsx', 'cli/main.ts', ...args], { env, timeout: 30_000 });
    return out.stdout;
  };

  beforeAll(async () => {
    stack = spawn(
      'node',
      [
        '--import',
        'tsx',
        'cli/main.ts',
        'local',
        'up',
        '--dynamo-port',
        String(ports.dynamo),
        '--ses-port',
        String(ports.ses),
        '--tick',
        '1',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    stack.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local stack did not start:\n${output}`)), 30_000);
      const check = setInterval(() => {
        if (output.includes('board:')) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 100);
    });
  }, 40_000);

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

  it('lets an admin move a deadline, see it listed and in the history, with the schedules following', async () => {
    // Act
    const moved = await cli(
      'calendar',
      'set-deadline',
      'jiangmen-2021',
      'annual-summary',
      '2026-12-01',
      '--now',
      '2026-11-20T12:00:00+08:00',
    );
    const list = await cli('calendar', 'list', 'jiangmen-2021', '--json', '--now', '2026-11-20T12:00:00+08:00');
    const history = await cli('calendar', 'history', 'jiangmen-2021');

    // Assess
    expect(moved).toContain('annual-summary: revision 1 → 2');
    expect(moved).toMatch(/schedules: \d+ created/);
    expect(JSON.parse(list).find((m: { id: string }) => m.id === 'annual-summary')).toMatchObject({
      deadline: '2026-12-01',
      revision: 2,
      next: 'reminder 2026-11-24T09:00:00+08:00',
    });
    expect(history).toMatch(/tester {2}setDeadline {2}milestone:annual-summary/);
  });

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
      '--at',
      '2026-11-21T10:00:00+08:00',
    );
    const board = JSON.parse(await cli('status', 'jiangmen-2021', '--json', '--now', '2026-11-22T12:00:00+08:00'));

    // Assess
    expect(submitted).toContain('recorded: pengjiang delivered annual-summary at 2026-11-21T10:00:00+08:00');
    const row = (unit: string) =>
      board.find((r: { milestone: string; unit: string }) => r.milestone === 'annual-summary' && r.unit === unit);
    expect(row('pengjiang')).toMatchObject({ status: 'submitted' });
    expect(row('enping')).toMatchObject({ status: 'pending' });
    expect(board.find((r: { milestone: string }) => r.milestone === 'district-plans')).toMatchObject({
      status: 'missing',
    });
  });

  it('refuses a broken edit with a located message and exit code 1', async () => {
    // Act
    const refused = await run(
      'node',
      ['--import', 'tsx', 'cli/main.ts', 'calendar', 'set-deadline', 'jiangmen-2021', 'city-plan', '2021-02-30'],
      { env },
    ).catch((error: { code: number; stderr: string }) => error);

    // Assess
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('deadline: "2021-02-30" is not a date (YYYY-MM-DD)');
  });

  it('stops everything on Ctrl-C and keeps the data', async () => {
    // Act
    stack.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => stack.once('exit', resolve));

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('stopped; data kept in');
    expect(existsSync(join(dir, 'local.json'))).toBe(false);
    expect(existsSync(join(dir, 'schedules.json'))).toBe(true);
  });
});
