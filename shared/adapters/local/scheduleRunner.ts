import type { Clock, SchedulePayload, ScheduleSpec } from '../../domain/ports.js';
import type { LocalScheduleStore } from './localScheduleStore.js';
import { type DeadLetter, MemoryRunnerJournal, type PendingFiring, type RunnerJournal } from './runnerJournal.js';

export type { DeadLetter };

/** Which invocation this is: Lambda's request context, reduced to what a simulation needs. */
export interface InvocationContext {
  readonly schedule: string;
  /** 1 for the firing, 2… for the retries. */
  readonly attempt: number;
  /** 1…`deliveries`: the copies of one attempt delivered at once. */
  readonly delivery: number;
}

/** What a firing invokes, the way Scheduler + Lambda invoke the dispatch function: the payload, and a throw means "retry". */
export type FiringHandler = (payload: SchedulePayload, context: InvocationContext) => Promise<unknown>;

export interface RunnerOptions {
  readonly store: LocalScheduleStore;
  readonly target: FiringHandler;
  readonly clock: Clock;
  /**
   * Waits before each retry of a failed invocation (like Lambda's asynchronous retries).
   * @default one and two minutes (DEFAULT_RETRY_DELAYS_MS)
   */
  readonly retryDelaysMs?: readonly number[];
  /** At-least-once delivery made visible: each firing invokes the target this many times at once. @default 1 */
  readonly deliveries?: number;
  /**
   * Keeps the firings under way or waiting for a retry, and the dead letters; the runner starts from
   * what it holds. @default in memory (a simulation); `npm run local` keeps them in its data directory
   */
  readonly journal?: RunnerJournal;
}

/**
 * One and two minutes: exactly what Lambda gives an asynchronous invocation (the first attempt and two
 * retries, then the dispatcher's DLQ), so a simulation is no more forgiving than AWS. After a crash the
 * dead sender's claims stay fresh for the ledger lease (2 minutes): the retry at +1 minute finds them in
 * flight and fails, the one at +3 minutes re-takes them — a crashed firing completes on its last attempt.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

export interface Firing {
  readonly schedule: string;
  readonly payload: SchedulePayload;
  readonly attempt: number;
  readonly at: number;
  readonly ok: boolean;
  /** A failed attempt that will be retried: when (epoch ms). Failed without it: a dead letter. */
  readonly retryAt?: number;
}

/**
 * Fires the local schedule store's schedules on a clock: virtual in simulation, real in `npm run local`.
 * Like Scheduler, a fired schedule deletes itself; but first the firing goes into the journal, and it
 * leaves the journal only once its outcome is known (done, a retry saved, or a dead letter). A runner
 * stopped in between re-fires it when it starts again: at least once, never lost, and the ledger makes
 * the repeat send nothing twice.
 */
export class LocalScheduleRunner {
  /** This runner's dead letters (the journal keeps those of earlier runs too). */
  readonly deadLetters: DeadLetter[] = [];
  readonly firings: Firing[] = [];
  private readonly journal: RunnerJournal;
  private pending: PendingFiring[];
  private busy: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: RunnerOptions) {
    this.journal = options.journal ?? new MemoryRunnerJournal();
    this.pending = this.journal.pending();
  }

  /** Firings under way or waiting for a retry, earliest first. */
  waiting(): readonly PendingFiring[] {
    return [...this.pending].sort((a, b) => a.at - b.at);
  }

  /** The next instant something is due: a schedule or a retry. */
  nextDue(): number | undefined {
    const times = [this.options.store.next(), ...this.pending.map((r) => r.at)].filter(
      (t): t is number => t !== undefined,
    );
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /**
   * Fires every schedule and retry due now, in time order. A call while one is still running waits
   * for it instead of starting another (a slow tick must not fire the same schedule twice).
   */
  fireDue(): Promise<void> {
    this.busy ??= this.fireDueNow().finally(() => {
      this.busy = undefined;
    });
    return this.busy;
  }

  /**
   * Stops recording outcomes: what is under way stays in the journal as begun, so the next runner
   * re-fires it rather than count an attempt a shutdown cut short. Resolves when the current
   * `fireDue` is over, or after `graceMs`.
   */
  async stop(graceMs = 5_000): Promise<void> {
    const current = this.busy;
    if (current) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([current.catch(() => undefined), grace]);
      clearTimeout(timer);
    }
    this.stopped = true;
  }

  private async fireDueNow(): Promise<void> {
    const now = this.options.clock.now();
    for (const spec of this.options.store.due(now)) {
      if (this.stopped) return;
      // Already journalled if a stop (or a failed delete) came between the two steps last time.
      let firing = this.pending.find((p) => sameOccurrence(p.spec, spec));
      if (!firing) {
        firing = { spec, attempt: 1, at: now };
        this.save([...this.pending, firing]);
      }
      await this.options.store.delete(spec.plan, spec.name);
      await this.invoke(firing);
    }
    const ready = this.pending.filter((r) => r.at <= now).sort((a, b) => a.at - b.at);
    for (const retry of ready) {
      if (this.stopped) return;
      await this.invoke(retry);
    }
  }

  private async invoke(firing: PendingFiring): Promise<void> {
    const { spec, attempt } = firing;
    const deliveries = this.options.deliveries ?? 1;
    const results = await Promise.allSettled(
      Array.from({ length: deliveries }, (_, i) =>
        this.options.target(spec.payload, { schedule: spec.name, attempt, delivery: i + 1 }),
      ),
    );
    if (this.stopped) return;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const at = this.options.clock.now();
    const rest = this.pending.filter((p) => p !== firing);
    if (!failure) {
      this.save(rest);
      this.firings.push({ schedule: spec.name, payload: spec.payload, attempt, at, ok: true });
      return;
    }
    const delay = (this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)[attempt - 1];
    if (delay !== undefined) {
      this.save([...rest, { spec, attempt: attempt + 1, at: at + delay }]);
      this.firings.push({ schedule: spec.name, payload: spec.payload, attempt, at, ok: false, retryAt: at + delay });
      return;
    }
    const error =
      failure.reason instanceof Error ? `${failure.reason.name}: ${failure.reason.message}` : String(failure.reason);
    const letter: DeadLetter = {
      schedule: spec.name,
      payload: spec.payload,
      at: spec.at,
      timezone: spec.timezone,
      attempts: attempt,
      error,
      failedAt: at,
    };
    // The dead letter is kept before the firing leaves the journal: a stop in between repeats, never loses.
    this.journal.addDeadLetter(letter);
    this.deadLetters.push(letter);
    this.save(rest);
    this.firings.push({ schedule: spec.name, payload: spec.payload, attempt, at, ok: false });
  }

  private save(pending: PendingFiring[]): void {
    this.journal.savePending(pending);
    this.pending = pending;
  }
}

const sameOccurrence = (a: ScheduleSpec, b: ScheduleSpec) =>
  a.plan === b.plan && a.name === b.name && a.at === b.at && a.payload.revision === b.payload.revision;
