import { execFile } from 'node:child_process';
import { inject } from 'vitest';

/** The arguments to `node` that run the CLI with `args`, as `npm run -s cli -- …args` does (see globalSetup). */
export const cliArgs = (...args: string[]): string[] => [inject('cliBundle'), ...args];

/** What a run of the CLI left: its exit code (null if a signal ended it) and everything it printed. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  /** @default this process's environment */
  readonly env?: NodeJS.ProcessEnv;
  /** @default 30 seconds */
  readonly timeout?: number;
}

/**
 * Runs the CLI with `args` in its own process, as a user does from the repository root, and resolves
 * with its exit code and output whether it succeeded or not.
 */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      cliArgs(...args),
      // Plain output, as the tests read it (no colour codes).
      {
        env: { ...(options.env ?? process.env), NO_COLOR: '1' },
        timeout: options.timeout ?? 30_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number' && error.signal === null) reject(error);
        else resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}
