import type { Milestone } from '../plan/schema.js';
import { endOfDay } from '../time/wallClock.js';
import type { ExitLedgerSection } from './planLedger.js';
import type { ExitStepDefinition } from './steps.js';
import type { ExitItem } from './types.js';

/**
 * Where an exit stands: `done` (every required step has its date) by the planned date, `done-late` after it,
 * `overdue` (not done and the planned date has passed), `in-progress` (not done, still in time).
 */
export type ExitStatus = 'done' | 'done-late' | 'overdue' | 'in-progress';

export const EXIT_STATUS_LABEL: Record<ExitStatus, string> = {
  done: '按期完成',
  'done-late': '逾期完成',
  overdue: '逾期未完成',
  'in-progress': '推进中',
};

/** A milestone known to keep a ledger. */
export type LedgerMilestone = Milestone & { readonly ledger: ExitLedgerSection };

export const isLedger = (m: Milestone): m is LedgerMilestone => m.ledger !== undefined;

/** The plan's ledger milestone, if it keeps one (a plan keeps at most one). */
export const ledgerOf = <M extends Milestone>(plan: { readonly milestones: readonly M[] }) =>
  plan.milestones.find(isLedger) as (M & LedgerMilestone) | undefined;

/** The steps an exit by `item.exitMethod` needs, in the plan's order of steps. */
export function requiredSteps(ledger: ExitLedgerSection, item: Pick<ExitItem, 'exitMethod'>): ExitStepDefinition[] {
  const ids = new Set(ledger.required[item.exitMethod]);
  return ledger.steps.filter((s) => ids.has(s.id));
}

export interface ExitProgress {
  readonly status: ExitStatus;
  /** The day the last required step was done, once all are. */
  readonly completedOn?: string;
  /** Required steps without a date yet, by name. */
  readonly missing: readonly string[];
  readonly required: number;
}

/** An item's progress as of `now`, judged against the end of its planned day in the plan's zone. */
export function exitProgress(
  ledger: ExitLedgerSection,
  item: Pick<ExitItem, 'exitMethod' | 'plannedDate' | 'steps'>,
  zone: string,
  now: number,
): ExitProgress {
  const required = requiredSteps(ledger, item);
  // A step recorded after `now` is not done yet as of then (a board as of a past moment, a simulated year).
  const doneStep = (id: string) => {
    const record = item.steps[id];
    return record !== undefined && record.at <= now ? record : undefined;
  };
  const missing = required.filter((s) => doneStep(s.id) === undefined).map((s) => s.name);
  if (missing.length > 0) {
    const overdue = now >= endOfDay(item.plannedDate, zone);
    return { status: overdue ? 'overdue' : 'in-progress', missing, required: required.length };
  }
  const completedOn =
    required
      .map((s) => doneStep(s.id)?.date ?? '')
      .sort()
      .at(-1) ?? item.plannedDate;
  return {
    status: completedOn > item.plannedDate ? 'done-late' : 'done',
    completedOn,
    missing,
    required: required.length,
  };
}

export const isDone = (p: Pick<ExitProgress, 'status'>) => p.status === 'done' || p.status === 'done-late';
