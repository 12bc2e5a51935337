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
  readonly reconcile?: { rerunWrites: number; editWrites: number; editMilestoneStages: number };
  readonly bundle?: { bytesRatio: number | null; initRatio: number | null };
  readonly simulate?: { seedPlanMs: number };
  readonly portal?: { pageBytes: number; p95Ms: number };
}

/** The goals, from whatever sections measured. */
export function goals(m: Measured): Record<string, Goal> {
  return {
    ddbRequestsPerNotice: goal(m.dispatch?.ddbRequestsPerNotice, '<=', 2.1),
    pacingRatio: goal(m.pacing?.ratio, '>=', 0.95),
    pacingThrottled: goal(m.pacing?.throttled, '<=', 0),
    rerunWrites: goal(m.reconcile?.rerunWrites, '<=', 0),
    editWrites: goal(m.reconcile?.editWrites, '<=', m.reconcile?.editMilestoneStages ?? 0),
    bytesRatio: goal(m.bundle?.bytesRatio, '<=', 1.25),
    initRatio: goal(m.bundle?.initRatio, '<=', 1.3),
    seedPlanMs: goal(m.simulate?.seedPlanMs, '<=', 5000),
    portalPageBytes: goal(m.portal?.pageBytes, '<=', 60 * 1024),
    portalP95Ms: goal(m.portal?.p95Ms, '<=', 50),
  };
}
