import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { SchedulePayload, ScheduleSpec } from '../../domain/ports.js';
import { schedulePayloadSchema } from '../../domain/schedule/payloadSchema.js';
import { writeFileAtomic } from './atomicFile.js';

/** A firing that exhausted its retries: kept and reported, never dropped silently. */
export interface DeadLetter {
  readonly schedule: string;
  readonly payload: SchedulePayload;
  /** The schedule's wall-clock fire time in `timezone`: which stage occurrence went undelivered. */
  readonly at: string;
  readonly timezone: string;
  readonly attempts: number;
  readonly error: string;
  /** When the last attempt failed (epoch ms). */
  readonly failedAt: number;
}

/** A firing begun and not finished, or waiting for its next attempt at `at`. */
export interface PendingFiring {
  readonly spec: ScheduleSpec;
  readonly attempt: number;
  readonly at: number;
}

/**
 * Where the runner keeps what Scheduler and Lambda would keep for it: the firings under way or
 * waiting for a retry, and the dead letters. In memory for a simulation; in files for `npm run local`,
 * so that stopping the runner neither drops a firing nor forgets a dead letter.
 */
export interface RunnerJournal {
  /** The firings saved as under way or waiting, earliest first. */
  pending(): PendingFiring[];
  savePending(pending: readonly PendingFiring[]): void;
  addDeadLetter(letter: DeadLetter): void;
  /** Every dead letter kept, oldest first. */
  deadLetters(): DeadLetter[];
}

export class MemoryRunnerJournal implements RunnerJournal {
  private saved: PendingFiring[] = [];
  private readonly letters: DeadLetter[] = [];

  pending(): PendingFiring[] {
    return [...this.saved];
  }

  savePending(pending: readonly PendingFiring[]): void {
    this.saved = [...pending];
  }

  addDeadLetter(letter: DeadLetter): void {
    this.letters.push(letter);
  }

  deadLetters(): DeadLetter[] {
    return [...this.letters];
  }
}

const specSchema = z.strictObject({
  name: z.string(),
  plan: z.string(),
  at: z.string(),
  timezone: z.string(),
  payload: schedulePayloadSchema,
});
const pendingSchema = z.array(z.strictObject({ spec: specSchema, attempt: z.int(), at: z.number() }));
const deadLettersSchema = z.array(
  z.strictObject({
    schedule: z.string(),
    payload: schedulePayloadSchema,
    at: z.string(),
    timezone: z.string(),
    attempts: z.int(),
    error: z.string(),
    failedAt: z.number(),
  }),
);

export const RETRIES_FILE = 'retries.json';
export const DEAD_LETTERS_FILE = 'dead-letters.json';

export class RunnerJournalError extends Error {
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    super(
      `${file} is not a file the local runner wrote (${(options.cause as Error).message}); move it aside to start without it`,
      options,
    );
    this.name = 'RunnerJournalError';
  }
}

/**
 * The journal of `npm run local`: `retries.json` and `dead-letters.json` in the data directory. Only
 * the one running `local up` writes them (a second one is refused), so an atomic replace suffices;
 * other commands (`status`) only read.
 */
export class FileRunnerJournal implements RunnerJournal {
  readonly retriesFile: string;
  readonly deadLettersFile: string;

  constructor(dir: string) {
    this.retriesFile = join(dir, RETRIES_FILE);
    this.deadLettersFile = join(dir, DEAD_LETTERS_FILE);
  }

  pending(): PendingFiring[] {
    return read(this.retriesFile, pendingSchema).sort((a, b) => a.at - b.at);
  }

  savePending(pending: readonly PendingFiring[]): void {
    writeFileAtomic(this.retriesFile, JSON.stringify(pending, null, 1));
  }

  addDeadLetter(letter: DeadLetter): void {
    writeFileAtomic(this.deadLettersFile, JSON.stringify([...this.deadLetters(), letter], null, 1));
  }

  deadLetters(): DeadLetter[] {
    return read(this.deadLettersFile, deadLettersSchema);
  }
}

function read<T>(file: string, schema: z.ZodMiniType<T[]>): T[] {
  if (!existsSync(file)) return [];
  try {
    return schema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (cause) {
    throw new RunnerJournalError(file, { cause });
  }
}
