import { existsSync, readFileSync } from 'node:fs';
import { isAlive } from '../shared/adapters/local/processes.js';
import { RefusedError } from './errors.js';
import type { LocalState } from './target.js';

/**
 * Refuses a second `local up` on the same data directory while the first one runs: it would fight
 * the first over the ports, the LevelDB files and the schedules. A `local.json` whose pid is gone is
 * what a killed stack leaves behind, and does not stop a new start.
 */
export function refuseIfRunning(stateFile: string): void {
  if (!existsSync(stateFile)) return;
  let state: Partial<LocalState>;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<LocalState>;
  } catch {
    return; // Half-written by a stack that died while starting: nothing runs.
  }
  if (typeof state.pid !== 'number' || state.pid === process.pid || !isAlive(state.pid)) return;
  throw new RefusedError(
    `a local stack is already running (pid ${state.pid}, mailbox ${state.mailboxUrl ?? 'unknown'}); ` +
      'use it from another terminal, or stop it with Ctrl-C first',
  );
}

/** The ports `local up` listens on, by the flag that chooses each. */
export interface LocalPorts {
  readonly dynamo: number;
  readonly ses: number;
  readonly portal?: number;
  readonly s3?: number;
}

const FLAGS: Record<keyof LocalPorts, string> = {
  dynamo: '--dynamo-port',
  ses: '--ses-port',
  portal: '--portal-port',
  s3: '--s3-port',
};

/** A port another program holds, as one line that says which port and what to do; anything else unchanged. */
export function explainListenError(error: unknown, ports: LocalPorts): unknown {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e?.code !== 'EADDRINUSE') return error;
  const entries = Object.entries(ports) as [keyof LocalPorts, number | undefined][];
  const named = entries.find(([, p]) => p !== undefined && (e.port === p || String(e.message).includes(`:${p}`)));
  const [which, port] = named ?? ['dynamo', ports.dynamo];
  return new RefusedError(
    `port ${port} is in use by another program: stop it, or choose another with ${FLAGS[which]} <port>`,
    { cause: error },
  );
}
