import { z } from 'zod';
import type { Log } from '../domain/log.js';
import { slugSchema } from '../domain/plan/schema.js';
import { type ReconcileDeps, type ReconcileResult, reconcilePlan } from '../domain/schedule/reconcile.js';

/**
 * What invokes reconcile: the daily schedule sends `{}` (every plan), an operator `{plan}` (one plan).
 * Strict, so a mistyped key (`{plans: …}`) fails instead of silently reconciling everything.
 */
export const reconcileEventSchema = z.strictObject({ plan: slugSchema.optional() });
export type ReconcileEvent = z.infer<typeof reconcileEventSchema>;

export interface ReconcileHandlerDeps extends ReconcileDeps {
  readonly log: Log;
}

/** What one plan's reconcile changed, in counts (the schedule names are in the store, not the logs). */
export interface PlanReconcileCounts {
  readonly plan: string;
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
  readonly skippedPast: number;
  readonly writes: number;
}

export interface ReconcileSummary {
  readonly plans: PlanReconcileCounts[];
  /** Requests that changed the schedule store, over all plans. */
  readonly writes: number;
}

/** The event is not one reconcile understands: retrying cannot help, so it goes to the DLQ. */
export class InvalidReconcileEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidReconcileEventError';
  }
}

/** Some plans could not be reconciled; the others were. `cause` holds each failure. */
export class ReconcileFailedError extends Error {
  readonly failedPlans: readonly string[];
  constructor(failed: readonly { plan: string; error: unknown }[]) {
    super(`reconcile failed for ${failed.length} plan(s): ${failed.map((f) => f.plan).join(', ')}`, {
      cause: new AggregateError(
        failed.map((f) => f.error),
        'reconcile failures',
      ),
    });
    this.name = 'ReconcileFailedError';
    this.failedPlans = failed.map((f) => f.plan);
  }
}

const countsOf = (r: ReconcileResult): PlanReconcileCounts => ({
  plan: r.plan,
  created: r.created.length,
  updated: r.updated.length,
  deleted: r.deleted.length,
  unchanged: r.unchanged,
  skippedPast: r.skippedPast.length,
  writes: r.writes,
});

/**
 * The reconcile function: makes the schedules of one plan, or of every plan in the calendar, match the
 * calendar. It is asynchronous (invoked by Scheduler), so it throws on failure: the retry and the DLQ
 * see it. Reconcile is idempotent, so a retry that redoes the plans that had succeeded writes nothing.
 */
export function makeReconcileHandler(deps: ReconcileHandlerDeps) {
  return async (event: unknown): Promise<ReconcileSummary> => {
    const parsed = reconcileEventSchema.safeParse(event ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
      throw new InvalidReconcileEventError(`not a reconcile event: ${problems.join('; ')}`, { cause: parsed.error });
    }
    // A named plan is reconciled even when it is not (or no longer) in the calendar: reconcile then
    // deletes whatever schedules its group still holds.
    const planIds = parsed.data.plan === undefined ? await deps.calendar.listPlans() : [parsed.data.plan];

    const plans: PlanReconcileCounts[] = [];
    const failed: { plan: string; error: unknown }[] = [];
    // One plan after another: Scheduler throttles per account, and one plan failing must not stop the rest.
    for (const plan of planIds) {
      try {
        const counts = countsOf(await reconcilePlan(deps, plan));
        deps.log.info('reconciled plan', { ...counts });
        plans.push(counts);
      } catch (error) {
        // Schedule and table errors name plans, schedules and keys, never a mailbox: safe to log as they are.
        deps.log.error('reconcile of a plan failed', { plan, error: describe(error) });
        failed.push({ plan, error });
      }
    }
    const writes = plans.reduce((sum, p) => sum + p.writes, 0);
    deps.log.info('reconcile finished', { plans: plans.length, failed: failed.length, writes });
    if (failed.length > 0) throw new ReconcileFailedError(failed);
    return { plans, writes };
  };
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const cause = error.cause instanceof Error ? { cause: `${error.cause.name}: ${error.cause.message}` } : {};
  return { name: error.name, message: error.message, ...cause };
}
