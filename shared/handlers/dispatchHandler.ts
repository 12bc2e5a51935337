import {
  type DispatchDeps,
  DispatchIncompleteError,
  type DispatchOutcome,
  dispatchStage,
} from '../domain/dispatch/dispatch.js';
import { schedulePayloadSchema } from '../domain/schedule/payloadSchema.js';

/** Thrown for a payload that is not a schedule of ours: retrying cannot help, so it goes to the DLQ. */
export class InvalidPayloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPayloadError';
  }
}

/**
 * The Scheduler target: parse, dispatch, throw when anything is left unsent so the (safe) retry finishes it.
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
    const outcome = await dispatchStage(deps, parsed.data);
    if (outcome.status === 'done' && (outcome.failed > 0 || outcome.inFlight > 0))
      throw new DispatchIncompleteError(outcome);
    return outcome;
  };
}
