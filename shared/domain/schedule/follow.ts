import type { CalendarStore, Clock, ScheduleStore } from '../ports.js';
import { type ReconcileResult, reconcilePlan } from './reconcile.js';

/**
 * How a plan's schedules follow a change of one unit's date: reconciled here and now (`schedules`: the
 * admin API, the CLI, the local portal), or asked of the reconcile function (`requestReconcile`: the
 * portal on AWS, which may not write schedules itself — least privilege for a public-facing function).
 */
export interface ScheduleFollowDeps {
  readonly calendar: CalendarStore;
  readonly clock: Clock;
  readonly schedules?: ScheduleStore;
  /** Asks for the plan's reconcile (an asynchronous invocation: it runs within seconds, or is retried). */
  readonly requestReconcile?: (plan: string) => Promise<void>;
}

/** The reconcile's result when it ran here; undefined when it was asked of the reconcile function. */
export async function followSchedules(deps: ScheduleFollowDeps, plan: string): Promise<ReconcileResult | undefined> {
  if (deps.schedules) return reconcilePlan({ ...deps, schedules: deps.schedules }, plan);
  if (deps.requestReconcile) {
    await deps.requestReconcile(plan);
    return undefined;
  }
  throw new Error('the schedules cannot follow: neither a schedule store nor a reconcile request was wired');
}
