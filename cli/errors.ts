import { CommanderError, InvalidArgumentError } from 'commander';
import { DomainError } from '../shared/domain/errors.js';
import { PlanValidationError } from '../shared/domain/plan/validate.js';
import { ConcurrentEditError } from '../shared/domain/ports.js';

/**
 * The CLI's exit codes, the same for every command (scripts and CI read them):
 * - 0 `ok`: done.
 * - 1 `refused`: the request cannot be carried out as given — an invalid plan, file or value, a plan or
 *   unit that is not there, a rule of the calendar or of submissions, a concurrent edit, or a stack that is
 *   not running. The message says what and where; nothing was changed.
 * - 2 `usage`: the command line itself is wrong — an unknown command or option, a missing argument, a
 *   malformed number, options that do not go together.
 * - 3 `unsent`: it ran, but notices it owed were not sent (dead letters, notices left claimed or failed).
 * - 4 `failed`: something broke that the user did not cause (AWS unreachable, a bug); `DUBAN_DEBUG=1`
 *   prints the stack.
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, unsent: 3, failed: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line is wrong (exit 2). */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** What was asked cannot be done as given, or not now (exit 1): a file that cannot be read, no stack running. */
export class RefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefusedError';
  }
}

/** A numeric option parsed by commander: a whole number in [min, max], or a usage error naming the option. */
export function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

/** A TCP port (0 is not allowed here: the user chose a port others will be told). */
export const port = wholeNumber(1, 65_535);

/** How an error ends the command: the lines to print on stderr and the exit code. */
export function explainError(error: unknown): { lines: string[]; code: ExitCode } {
  // Commander has printed its own message (with the help hint) already.
  if (error instanceof CommanderError) {
    return { lines: [], code: error.exitCode === 0 ? EXIT.ok : EXIT.usage };
  }
  if (error instanceof PlanValidationError) {
    return { lines: error.issues.map((i) => `${i.path}: ${i.message}`), code: EXIT.refused };
  }
  if (error instanceof UsageError) return { lines: [error.message], code: EXIT.usage };
  if (error instanceof RefusedError || error instanceof DomainError || error instanceof ConcurrentEditError) {
    return { lines: [error.message], code: EXIT.refused };
  }
  return { lines: [`duban: ${(error as Error)?.message ?? String(error)}`], code: EXIT.failed };
}
