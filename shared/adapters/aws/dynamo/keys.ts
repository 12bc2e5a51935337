/** The single table's keys (see the architecture page). One Query loads a plan; no Scan on a hot path. */
export const keys = {
  planIndex: () => ({ pk: 'PLANS' }),
  planIndexEntry: (plan: string) => ({ pk: 'PLANS', sk: `PLAN#${plan}` }),
  plan: (plan: string) => `PLAN#${plan}`,
  meta: (plan: string) => ({ pk: `PLAN#${plan}`, sk: 'META' }),
  unit: (plan: string, unit: string) => ({ pk: `PLAN#${plan}`, sk: `UNIT#${unit}` }),
  /** A live milestone, or the tombstone a removed one leaves (`retired`, keeping its last revision). */
  milestone: (plan: string, milestone: string) => ({ pk: `PLAN#${plan}`, sk: `MS#${milestone}` }),
  submissions: (plan: string, milestone: string) => `SUB#${plan}#${milestone}`,
  submission: (plan: string, milestone: string, unit: string) => ({
    pk: `SUB#${plan}#${milestone}`,
    sk: `UNIT#${unit}`,
  }),
  notices: (plan: string, milestone: string) => `NOTE#${plan}#${milestone}`,
  audit: (plan: string) => `AUDIT#${plan}`,
} as const;
