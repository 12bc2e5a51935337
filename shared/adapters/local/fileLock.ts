import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { sleep } from '../../domain/retry.js';
import { isAlive } from './processes.js';

export interface FileLockOptions {
  /** Give up waiting for the lock after this long. @default 10 seconds */
  readonly timeoutMs?: number;
  /**
   * A lock older than this is taken to be left behind, even if its pid is alive (pids are reused).
   * The work done under the lock is a few milliseconds of file I/O, so this is generous. @default 30 seconds
   */
  readonly staleMs?: number;
}

export class FileLockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: string,
  ) {
    super(`${lockFile} is still locked by ${holder || 'another process'}; remove the file if that process is gone`);
    this.name = 'FileLockTimeoutError';
  }
}

let tokens = 0;

/**
 * Runs `work` holding an exclusive lock file (`open(…, 'wx')` fails if the file exists), so processes
 * sharing a data file do their read-modify-write one at a time. `work` is synchronous on purpose: the
 * lock is never held across an await, so two callers in one process cannot deadlock on it, and a
 * lock's lifetime is the few milliseconds of its file I/O. A lock whose process died (its pid is gone,
 * or it is older than `staleMs`) is removed and retaken.
 */
export async function withFileLock<T>(lockFile: string, work: () => T, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const token = JSON.stringify({ pid: process.pid, token: ++tokens, at: new Date().toISOString() });
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    if (tryAcquire(lockFile, token)) {
      try {
        return work();
      } finally {
        release(lockFile, token);
      }
    }
    const stale = staleHolder(lockFile, staleMs);
    if (stale !== undefined) {
      // Only the lock judged stale: if another waiter broke it and took a fresh one meanwhile, that one stays.
      if (holderOf(lockFile) === stale) rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new FileLockTimeoutError(lockFile, holderOf(lockFile));
    // Jittered, so two waiters do not retry in lockstep.
    await sleep(wait * (0.5 + Math.random()));
  }
}

function tryAcquire(lockFile: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, token);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes the lock only if it is still ours: had it been broken as stale, it may be someone else's now. */
function release(lockFile: string, token: string): void {
  if (holderOf(lockFile) === token) rmSync(lockFile, { force: true });
}

function holderOf(lockFile: string): string {
  try {
    return readFileSync(lockFile, 'utf8');
  } catch {
    return '';
  }
}

/** The content of a lock left behind by a dead process, or undefined if the lock is live (or gone). */
function staleHolder(lockFile: string, staleMs: number): string | undefined {
  let age: number;
  try {
    age = Date.now() - statSync(lockFile).mtimeMs;
  } catch {
    return undefined; // Gone already: the next attempt takes it.
  }
  const holder = holderOf(lockFile);
  if (age > staleMs) return holder;
  const pid = pidOf(holder);
  // Empty content is a lock being written this instant (open, then write): only age can condemn it.
  return pid !== undefined && !isAlive(pid) ? holder : undefined;
}

function pidOf(holder: string): number | undefined {
  try {
    const pid = (JSON.parse(holder) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
