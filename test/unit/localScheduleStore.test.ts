import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLockTimeoutError, withFileLock } from '../../shared/adapters/local/fileLock.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import type { ScheduleSpec } from '../../shared/domain/ports.js';

const run = promisify(execFile);
const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-schedules-'));
  dirs.push(dir);
  return join(dir, 'schedules.json');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const spec = (name: string, at = '2030-01-02T09:00:00'): ScheduleSpec => ({
  name,
  plan: 'race',
  at,
  timezone: 'Asia/Shanghai',
  payload: { plan: 'race', milestone: 'm', stage: 'reminder', revision: 1 },
});

/** The pid of a process that has just exited: a lock it left behind names a dead holder. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

describe('the local schedule file shared by the runner and CLI edits', () => {
  it('loses no schedule when writers in separate processes change it at the same time', async () => {
    // Prepare: three processes, each creating and then updating 25 schedules, all starting at once.
    const file = tempFile();
    const start = Date.now() + 2_500;
    const writers = ['a', 'b', 'c'];

    // Act
    const results = await Promise.all(
      writers.map((prefix) =>
        run(
          process.execPath,
          ['--import', 'tsx', 'test/unit/support/scheduleWriter.ts', file, prefix, '25', String(start)],
          { timeout: 30_000 },
        ),
      ),
    );

    // Assess: every writer's every schedule is there, each in its updated form, and no temp file is left.
    expect(results.map((r) => r.stderr)).toEqual(['', '', '']);
    const names = new LocalScheduleStore(file).all().map((s) => s.name);
    expect(names.sort()).toEqual(writers.flatMap((p) => Array.from({ length: 25 }, (_, i) => `${p}-${i}`)).sort());
    expect(new LocalScheduleStore(file).all().every((s) => s.at.endsWith('T10:00:00'))).toBe(true);
    expect(readdirSync(join(file, '..')).sort()).toEqual(['schedules.json']);
  }, 40_000);

  it('loses no schedule when two stores on one file interleave their writes', async () => {
    // Prepare: the runner and an edit in one process, each with its own view of the file.
    const file = tempFile();
    const runner = new LocalScheduleStore(file);
    const editor = new LocalScheduleStore(file);
    await runner.create(spec('fired'));

    // Act
    await Promise.all([
      runner.delete('race', 'fired'),
      ...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? runner : editor).create(spec(`s-${i}`))),
    ]);

    // Assess
    expect(new LocalScheduleStore(file).all()).toHaveLength(20);
    expect(editor.all().map((s) => s.name)).not.toContain('fired');
    expect(runner.all()).toHaveLength(20);
  });

  it('refuses to create a schedule another process has just created', async () => {
    // Prepare
    const file = tempFile();
    const first = new LocalScheduleStore(file);
    const second = new LocalScheduleStore(file);
    await first.create(spec('once'));

    // Act
    const error = await second.create(spec('once', '2030-01-03T09:00:00')).catch((e: Error) => e);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('schedule once already exists');
    expect(new LocalScheduleStore(file).all().map((s) => s.at)).toEqual(['2030-01-02T09:00:00']);
  });
});

describe('the lock file around each change', () => {
  it('waits for a live holder to let go', async () => {
    // Prepare: a lock held by this (live) process, released after 300 ms.
    const file = tempFile();
    const store = new LocalScheduleStore(file);
    await store.create(spec('before'));
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, token: 0 }));
    const started = Date.now();
    setTimeout(() => rmSync(`${file}.lock`), 300);

    // Act
    await store.create(spec('after'));

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(store.all().map((s) => s.name)).toEqual(['after', 'before']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock left by a process that died', async () => {
    // Prepare
    const file = tempFile();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: await deadPid(), token: 1 }));
    const started = Date.now();

    // Act
    await new LocalScheduleStore(file).create(spec('taken-over'));

    // Assess
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(new LocalScheduleStore(file).all().map((s) => s.name)).toEqual(['taken-over']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock older than its expiry even if the pid is alive (pids are reused)', async () => {
    // Prepare
    const lock = join(tempFile(), '..', 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, token: 2 }));
    await new Promise((resolve) => setTimeout(resolve, 60));

    // Act
    const value = await withFileLock(lock, () => 'done', { staleMs: 50 });

    // Assess
    expect(value).toBe('done');
    expect(existsSync(lock)).toBe(false);
  });

  it('gives up with the holder named when a live lock outlasts the timeout', async () => {
    // Prepare
    const lock = join(tempFile(), '..', 'y.lock');
    const holder = JSON.stringify({ pid: process.pid, token: 3 });
    writeFileSync(lock, holder);

    // Act
    const error = await withFileLock(lock, () => 'never', { timeoutMs: 100 }).catch((e: Error) => e);

    // Assess
    expect(error).toBeInstanceOf(FileLockTimeoutError);
    expect((error as Error).message).toContain(holder);
    expect(existsSync(lock)).toBe(true);
  });
});
