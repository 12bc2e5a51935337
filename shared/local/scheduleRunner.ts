import type { Clock, SchedulePayload, ScheduleSpec } from '../ports.js';
import type { LocalScheduleStore } from './memoryScheduleStore.js';

/** Which invocation this is: Lambda's request context, reduced to what a simulation needs. */
export interface InvocationContext {
  readonly schedule: string;
  /** 1 for the firing, 2… for the retries. */
  readonly attempt: number;
  /** 1…`deliveries`: the copies of one attempt delivered at once. */
  readonly delivery: number;
}

/** Invokes the dispatch target the way Scheduler + Lambda do: the payload, and a throw means "retry". */
export type ScheduleTarget = (payload: SchedulePayload, context: InvocationContext) => Promise<unknown>;

export interface RunnerOptions {
  readonly store: LocalScheduleStore;
  readonly target: ScheduleTarget;
  readonly clock: Clock;
  /**
   * Waits before each retry of a failed invocation (like Lambda's asynchronous retries).
   * @default one, two, four, eight and sixteen minutes
   */
  readonly retryDelaysMs?: readonly number[];
  /** At-least-once delivery made visible: each firing invokes the target this many times at once. @default 1 */
  readonly deliveries?: number;
}

/**
 * One, two, four, eight and sixteen minutes: Lambda's asynchronous retries (1 then 2 minutes), stretched
 * to five. After a crash the dead sender's claims stay fresh for the ledger lease (2 minutes): the retry
 * at +1 minute finds them in flight and fails, the one at +3 minutes re-takes them — so a crashed
 * firing completes on its third attempt, with three to spare for throttling on top.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000, 240_000, 480_000, 960_000];

/** A firing that exhausted its retries: kept and reported, never dropped silently. */
export interface DeadLetter {
  readonly schedule: string;
  readonly payload: SchedulePayload;
  readonly attempts: number;
  readonly error: string;
}

export interface Firing {
  readonly schedule: string;
  readonly payload: SchedulePayload;
  readonly attempt: number;
  readonly at: number;
  readonly ok: boolean;
}

interface PendingRetry {
  readonly spec: ScheduleSpec;
  readonly attempt: number;
  readonly at: number;
}

/** Fires the local schedule store's schedules on a clock: virtual in simulation, real in `npm run local`. */
export class LocalScheduleRunner {
  readonly deadLetters: DeadLetter[] = [];
  readonly firings: Firing[] = [];
  private retries: PendingRetry[] = [];

  constructor(private readonly options: RunnerOptions) {}

  /** The next instant something is due: a schedule or a retry. */
  nextDue(): number | undefined {
    const times = [this.options.store.next(), ...this.retries.map((r) => r.at)].filter(
      (t): t is number => t !== undefined,
    );
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Fires every schedule and retry due now, in time order; like Scheduler, a fired schedule deletes itself. */
  async fireDue(): Promise<void> {
    const now = this.options.clock.now();
    for (const spec of this.options.store.due(now)) {
      await this.options.store.delete(spec.plan, spec.name);
      await this.invoke(spec, 1);
    }
    const ready = this.retries.filter((r) => r.at <= now).sort((a, b) => a.at - b.at);
    this.retries = this.retries.filter((r) => r.at > now);
    for (const retry of ready) await this.invoke(retry.spec, retry.attempt);
  }

  private async invoke(spec: ScheduleSpec, attempt: number): Promise<void> {
    const deliveries = this.options.deliveries ?? 1;
    const results = await Promise.allSettled(
      Array.from({ length: deliveries }, (_, i) =>
        this.options.target(spec.payload, { schedule: spec.name, attempt, delivery: i + 1 }),
      ),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const at = this.options.clock.now();
    this.firings.push({ schedule: spec.name, payload: spec.payload, attempt, at, ok: !failure });
    if (!failure) return;
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[attempt - 1];
    if (delay === undefined) {
      const error =
        failure.reason instanceof Error ? `${failure.reason.name}: ${failure.reason.message}` : String(failure.reason);
      this.deadLetters.push({ schedule: spec.name, payload: spec.payload, attempts: attempt, error });
      return;
    }
    this.retries.push({ spec, attempt: attempt + 1, at: at + delay });
  }
}
