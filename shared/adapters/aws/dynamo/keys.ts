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
  /** A unit's submissions of a milestone: `UNIT#<unit>#S#<seq>`, seq zero-padded so they sort. */
  submission: (plan: string, milestone: string, unit: string, seq: number) => ({
    pk: `SUB#${plan}#${milestone}`,
    sk: `UNIT#${unit}#S#${String(seq).padStart(4, '0')}`,
  }),
  unitSubmissionsPrefix: (unit: string) => `UNIT#${unit}#S#`,
  /** A unit's 延期申请 for the milestone: `UNIT#<unit>#EXT#<seq>`. */
  extension: (plan: string, milestone: string, unit: string, seq: number) => ({
    pk: `SUB#${plan}#${milestone}`,
    sk: `UNIT#${unit}#EXT#${String(seq).padStart(4, '0')}`,
  }),
  /** A unit's 签收 of one notice of the milestone. */
  acknowledgement: (plan: string, milestone: string, unit: string, notice: string) => ({
    pk: `SUB#${plan}#${milestone}`,
    sk: `UNIT#${unit}#ACK#${notice}`,
  }),
  /** A unit's 约谈回执 for the milestone (one; a correction replaces it). */
  receipt: (plan: string, milestone: string, unit: string) => ({
    pk: `SUB#${plan}#${milestone}`,
    sk: `UNIT#${unit}#RCPT`,
  }),
  /**
   * A unit's own deadline for a milestone (an extension, a return). Not under `MS#`: the milestones' own
   * prefix stays theirs alone, so loading, ordering and retiring milestones never meet these.
   */
  unitDeadline: (plan: string, milestone: string, unit: string) => ({
    pk: `PLAN#${plan}`,
    sk: `DATE#${milestone}#${unit}`,
  }),
  /** A unit's personal-link version (bumped by a rotation). */
  linkVersion: (plan: string, unit: string) => ({ pk: `PLAN#${plan}`, sk: `LINK#${unit}` }),
  notices: (plan: string, milestone: string) => `NOTE#${plan}#${milestone}`,
  /**
   * 发文登记: one item per 文号 taken in a series (plan, issuing unit, year), the number zero-padded in
   * the sort key so the highest is one Query (descending, limit 1) away.
   */
  docNumbers: (plan: string, series: string, year: number) => `DOCNO#${plan}#${series}#${year}`,
  docNumber: (plan: string, series: string, year: number, seq: number) => ({
    pk: `DOCNO#${plan}#${series}#${year}`,
    sk: String(seq).padStart(8, '0'),
  }),
  audit: (plan: string) => `AUDIT#${plan}`,
  /** The office's 放假安排, one item per year, for every plan (`YEAR#2027`). */
  holidays: () => 'HOLIDAYS',
  holidayYear: (year: number) => ({ pk: 'HOLIDAYS', sk: `YEAR#${year}` }),
  /** A person's emailed sign-in link (single use) and, once used, the session it opened. */
  signIn: (id: string) => ({ pk: `LOGIN#${id}`, sk: 'LINK' }),
  /** How many sign-in links an address was sent in one window (the address hashed, never stored). */
  signInRate: (addressHash: string, window: number) => ({ pk: `LOGIN#rate#${addressHash}`, sk: `W#${window}` }),
  /**
   * The exit ledger (退出台账) of a plan: one partition, an item per enterprise under `ITEM#<unit>#<credit code>`,
   * so a unit's items are one `begins_with` Query and the whole ledger (the board, dispatch) one paged Query.
   */
  exitItems: (plan: string) => `EXIT#${plan}`,
  exitItem: (plan: string, unit: string, creditCode: string) => ({
    pk: `EXIT#${plan}`,
    sk: `ITEM#${unit}#${creditCode}`,
  }),
  unitExitItemsPrefix: (unit: string) => `ITEM#${unit}#`,
  /** The unit and code an exit item's sort key names (a unit id is a slug, a code has no `#`). */
  parseExitItemSk: (sk: string) => {
    const [, unit = '', creditCode = ''] = sk.split('#');
    return { unit, creditCode };
  },
} as const;

/**
 * The table's key spaces as IAM sees them: patterns of the partition key (`dynamodb:LeadingKeys`), so a
 * role can be limited to the item types it needs (infra/constructs/table.ts `grantItems`).
 */
export const keySpaces = {
  /** A plan's meta, units and milestones. */
  plans: 'PLAN#*',
  /** The list of imported plans. */
  planIndex: 'PLANS',
  submissions: 'SUB#*',
  /** The notice ledger. */
  notices: 'NOTE#*',
  /** The register of 文号 taken (the ledger's numbers). */
  docNumbers: 'DOCNO#*',
  /** The calendar's audit trail: appended, never changed. */
  audit: 'AUDIT#*',
  /** The office's 放假安排 (read with every plan). */
  holidays: 'HOLIDAYS',
  /** People's sign-in links and sessions, and the per-address sending counts. */
  signIns: 'LOGIN#*',
  /** The exit ledger's items (退出台账). */
  exits: 'EXIT#*',
} as const;
export type KeySpace = keyof typeof keySpaces;
