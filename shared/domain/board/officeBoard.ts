import type { ExitLedger } from '../exits/types.js';
import { maySee, type Roles } from '../people/roles.js';
import { calendarOf, judgedDeadline } from '../plan/ladder.js';
import type { UnitKind } from '../plan/schema.js';
import type {
  Acknowledgement,
  AcknowledgementStore,
  NoticeLedger,
  NoticeRecord,
  StoredPlan,
  SubmissionStore,
} from '../ports.js';
import { addDays, wallOf } from '../time/wallClock.js';
import { type BoardRow, buildBoard } from './board.js';
import { countStatuses, type LightStatus } from './lights.js';

/** What the board may be narrowed to: a milestone, a kind of unit, a light, deadlines within months. */
export interface BoardFilter {
  readonly milestone?: string;
  readonly kind?: UnitKind;
  readonly light?: LightStatus;
  /** `YYYY-MM`: deadlines from the start of this month. */
  readonly from?: string;
  /** `YYYY-MM`: deadlines to the end of this month. */
  readonly to?: string;
}

/** 考核 — one unit's record over the period, as the office ranks units. */
export interface UnitAssessment {
  readonly unit: string;
  readonly rank: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
  /** Workdays after each deadline until delivery (or until today, while still missing), summed. */
  readonly workdaysLate: number;
  /** Notices about the unit that went out (to it, its head or its supervisor). */
  readonly noticesReceived: number;
  /** Of the notices addressed to the unit itself, how many it 签收ed (0 … 1); undefined when it had none. */
  readonly acknowledgedShare?: number;
}

export interface OfficeBoard {
  readonly rows: BoardRow[];
  /** Sent notices about the visible units, oldest first. */
  readonly notices: NoticeRecord[];
  readonly assessment: UnitAssessment[];
  /** Per milestone shown: its lights counted. */
  readonly progress: { milestone: string; counts: Record<LightStatus, number>; total: number }[];
}

type Stores = {
  submissions: SubmissionStore & AcknowledgementStore;
  ledger: NoticeLedger;
  /** The exit ledger's items: a plan that keeps one has its rows' lights from them. */
  exits?: Pick<ExitLedger, 'listItems'>;
};

/**
 * 督办看板 for a signed-in person: the rows they may see (filtered), the notices about those units, the 考核 of
 * each unit ranked (fewest missing, then late, then workdays late, then the most 签收), progress per milestone.
 * Each milestone's responses and notices are read once.
 */
export async function buildOfficeBoard(
  plan: StoredPlan,
  stores: Stores,
  now: number,
  roles: Roles,
  filter: BoardFilter = {},
): Promise<OfficeBoard> {
  const responses = new Map<string, ReturnType<Stores['submissions']['listResponses']>>();
  const notices = new Map<string, Promise<NoticeRecord[]>>();
  const once: Stores = {
    ...(stores.exits ? { exits: stores.exits } : {}),
    submissions: {
      ...stores.submissions,
      listResponses: (p, m) => {
        if (!responses.has(m)) responses.set(m, stores.submissions.listResponses(p, m));
        return responses.get(m) as ReturnType<Stores['submissions']['listResponses']>;
      },
    },
    ledger: {
      ...stores.ledger,
      listForMilestone: (p, m) => {
        if (!notices.has(m)) notices.set(m, stores.ledger.listForMilestone(p, m));
        return notices.get(m) as Promise<NoticeRecord[]>;
      },
    },
  };
  const kindOf = new Map(plan.units.map((u) => [u.id, u.kind]));
  const deadlineIn = (deadline: string) =>
    (filter.from === undefined || deadline.slice(0, 7) >= filter.from) &&
    (filter.to === undefined || deadline.slice(0, 7) <= filter.to);
  const all = await buildBoard(plan, once, now);
  const visible = all.filter(
    (r) =>
      maySee(roles, r.milestone, r.unit) &&
      (filter.milestone === undefined || r.milestone === filter.milestone) &&
      (filter.kind === undefined || kindOf.get(r.unit) === filter.kind) &&
      deadlineIn(r.deadline),
  );
  const rows = visible.filter((r) => filter.light === undefined || r.status === filter.light);
  const units = new Set(visible.map((r) => r.unit));
  const milestones = new Set(visible.map((r) => r.milestone));
  const sent: NoticeRecord[] = [];
  const acks: Acknowledgement[] = [];
  for (const m of milestones) {
    sent.push(...(await once.ledger.listForMilestone(plan.id, m)).filter((n) => n.state === 'sent'));
    acks.push(...(await once.submissions.listResponses(plan.id, m)).acknowledgements);
  }
  const shown = sent
    .filter((n) => n.units.some((u) => units.has(u)))
    .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || (a.sentAt ?? 0) - (b.sentAt ?? 0));
  return {
    rows,
    notices: shown,
    assessment: assess(plan, visible, shown, acks, now),
    progress: [...milestones].map((m) => {
      const own = visible.filter((r) => r.milestone === m);
      return { milestone: m, counts: countStatuses(own.map((r) => r.status)), total: own.length };
    }),
  };
}

function assess(
  plan: StoredPlan,
  rows: readonly BoardRow[],
  notices: readonly NoticeRecord[],
  acks: readonly Acknowledgement[],
  now: number,
): UnitAssessment[] {
  const calendar = calendarOf(plan);
  const today = wallOf(now, plan.timezone).slice(0, 10);
  const workdaysAfter = (from: string, to: string) => {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
      try {
        if (calendar.isWorkday(d)) count += 1;
      } catch {
        count += 1; // A year without data: counted as a working day rather than dropped.
      }
    }
    return count;
  };
  const milestones = new Map(plan.milestones.map((m) => [m.id, m]));
  const byUnit = new Map<string, BoardRow[]>();
  for (const r of rows) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const scored = [...byUnit].map(([unit, own]) => {
    const late = own.filter((r) => r.status === 'late');
    const missing = own.filter((r) => r.status === 'missing');
    const judged = (r: BoardRow) => {
      const m = milestones.get(r.milestone);
      return m ? judgedDeadline(m, unit) : r.deadline;
    };
    const workdaysLate =
      late.reduce((sum, r) => sum + workdaysAfter(judged(r), (r.submittedAt ?? '').slice(0, 10)), 0) +
      missing.reduce((sum, r) => sum + workdaysAfter(judged(r), today), 0);
    const about = notices.filter((n) => n.units.includes(unit));
    const addressed = about.filter((n) => n.unit === unit && n.role === 'unit');
    const acked = addressed.filter((n) =>
      acks.some(
        (a) =>
          a.unit === unit &&
          a.milestone === n.milestone &&
          a.notice.stage === n.stage &&
          a.notice.occurrence === n.occurrence,
      ),
    ).length;
    return {
      unit,
      onTime: own.filter((r) => r.status === 'submitted').length,
      late: late.length,
      missing: missing.length,
      workdaysLate,
      noticesReceived: about.length,
      ...(addressed.length > 0 ? { acknowledgedShare: acked / addressed.length } : {}),
    };
  });
  scored.sort(
    (a, b) =>
      a.missing - b.missing ||
      a.late - b.late ||
      a.workdaysLate - b.workdaysLate ||
      (b.acknowledgedShare ?? 0) - (a.acknowledgedShare ?? 0) ||
      plan.units.findIndex((u) => u.id === a.unit) - plan.units.findIndex((u) => u.id === b.unit),
  );
  return scored.map((s, i) => ({ ...s, rank: i + 1 }));
}
