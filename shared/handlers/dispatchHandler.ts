import { type DispatchDeps, type DispatchOutcome, dispatchStage } from '../domain/dispatch/dispatch.js';
import { schedulePayloadSchema } from '../domain/schedule/payloadSchema.js';

/** Thrown for a payload that is not a schedule of ours: retrying cannot help, so it goes to the DLQ. */
export class InvalidPayloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPayloadError';
  }
}

/**
 * The Scheduler target: parse, plan the stage's notices and enqueue them for the workers. A notice that
 * could not be enqueued throws (WorkQueueError), so the (safe) retry enqueues the stage again.
 * The same function runs in Lambda, in the local schedule runner and in tests; only `deps` differ.
 */
export function makeDispatchHandler(deps: DispatchDeps) {
  return async (event: unknown): Promise<DispatchOutcome> => {
    const parsed = schedulePayloadSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidPayloadError(
        `not a schedule payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return dispatchStage(deps, parsed.data);
  };
}
