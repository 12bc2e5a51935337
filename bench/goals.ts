import { round } from './round.js';

/** One goal of the issue: the measured value against its limit (`op` says which side passes). */
export interface Goal {
  readonly value: number | null;
  readonly limit: number;
  readonly op: '<=' | '>=';
  readonly met: boolean;
}

export const goal = (value: number | null | undefined, op: Goal['op'], limit: number): Goal => ({
  value: value ?? null,
  limit,
  op,
  // A section that failed to measure has no value and meets nothing.
  met: typeof value === 'number' && (op === '<=' ? value <= limit : value >= limit),
});

interface Measured {
  readonly dispatch?: { ddbRequestsPerNotice: number };
  readonly pacing?: { ratio: number; throttled: number };
  readonly reconcile?: {
    rerunWrites: number;
    editWrites: number;
    editMilestoneStages: number;
    extensionWrites: number;
    extensionUnitStages: number;
    extensionOthersTouched: number;
  };
  readonly bundle?: {
    bytesRatio: number | null;
    initRatio: number | null;
    workerBytesRatio: number | null;
    workerInitRatio: number | null;
  };
  readonly simulate?: { seedPlanMs: number };
  readonly portal?: { pageBytes: number; p95Ms: number };
  readonly fanout?: {
    ratio: number;
    throttled: number;
    duplicates: number;
    maxBatchMs: number;
    crashDuplicates: number;
  };
  readonly limits?: { dispatchMs: number; reconcileWrites: number; boardRequests: number; boardRows: number };
  readonly ledger?: { importMs: number; boardMs: number; ddbRequestsPerItem: number };
}

/** The goals, from whatever sections measured. */
export function goals(m: Measured): Record<string, Goal> {
  return {
    ddbRequestsPerNotice: goal(m.dispatch?.ddbRequestsPerNotice, '<=', 2.1),
    pacingRatio: goal(m.pacing?.ratio, '>=', 0.95),
    pacingThrottled: goal(m.pacing?.throttled, '<=', 0),
    rerunWrites: goal(m.reconcile?.rerunWrites, '<=', 0),
    editWrites: goal(m.reconcile?.editWrites, '<=', m.reconcile?.editMilestoneStages ?? 0),
    extensionWrites: goal(m.reconcile?.extensionWrites, '<=', m.reconcile?.extensionUnitStages ?? 0),
    extensionOthersTouched: goal(m.reconcile?.extensionOthersTouched, '<=', 0),
    bytesRatio: goal(m.bundle?.bytesRatio, '<=', 1.25),
    initRatio: goal(m.bundle?.initRatio, '<=', 1.3),
    workerBytesRatio: goal(m.bundle?.workerBytesRatio, '<=', 1.25),
    workerInitRatio: goal(m.bundle?.workerInitRatio, '<=', 1.3),
    seedPlanMs: goal(m.simulate?.seedPlanMs, '<=', 5000),
    portalPageBytes: goal(m.portal?.pageBytes, '<=', 60 * 1024),
    portalP95Ms: goal(m.portal?.p95Ms, '<=', 50),
    fanoutRatio: goal(m.fanout?.ratio, '>=', 0.95),
    fanoutThrottled: goal(m.fanout?.throttled, '<=', 0),
    fanoutDuplicates: goal(m.fanout?.duplicates, '<=', 0),
    fanoutMaxBatchMs: goal(m.fanout?.maxBatchMs, '<=', 60_000),
    crashDuplicates: goal(m.fanout?.crashDuplicates, '<=', 1),
    // A plan at the unit limit: dispatch plans its stage in a fifth of its 300 s timeout; reconcile writes
    // nothing on a re-run; the board reads by the page, not by the unit.
    limitsDispatchMs: goal(m.limits?.dispatchMs, '<=', 60_000),
    limitsReconcileWrites: goal(m.limits?.reconcileWrites, '<=', 0),
    limitsBoardRequestsPer1000Rows: goal(
      m.limits ? round((1000 * m.limits.boardRequests) / Math.max(1, m.limits.boardRows), 3) : undefined,
      '<=',
      1,
    ),
    // 退出台账, a provincial plan (21 cities, 10,000 items): the XLSX files imported, the board's data, and one
    // conditional Put per item plus little else.
    ledgerImportMs: goal(m.ledger?.importMs, '<=', 10_000),
    ledgerBoardMs: goal(m.ledger?.boardMs, '<=', 1000),
    ledgerDdbRequestsPerItem: goal(m.ledger?.ddbRequestsPerItem, '<=', 1.1),
  };
}
