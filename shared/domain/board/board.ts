import { type AddressRole, parseRecipientId } from '../delivery/recipients.js';
import { exitBoard } from '../exits/board.js';
import { isLedger } from '../exits/status.js';
import type { ExitLedger } from '../exits/types.js';
import { deadlineInstant, judgedDeadline, ladderDeadline } from '../plan/ladder.js';
import { byStageOrder, isStage, type NoticeKind, type StageKind } from '../plan/stages.js';
import {
  type AcknowledgementStore,
  counts,
  type DeliveryStatus,
  type NoticeLedger,
  type NoticeRecord,
  type ReviewState,
  reviewStateOf,
  type StoredPlan,
  type Submission,
  type SubmissionStore,
  type UnitDeadline,
} from '../ports.js';
import { formatInZone } from '../time/wallClock.js';
import type { LightStatus } from './lights.js';

/**
 * 红/黄/绿: green delivered on time, yellow delivered late, red not delivered after the deadline.
 * `pending` (not delivered, deadline still ahead) appears only on a live board, never after a whole simulated year.
 */
export type BoardStatus = LightStatus;

export interface BoardRow {
  readonly milestone: string;
  readonly unit: string;
  readonly status: BoardStatus;
  /** ISO with the plan's offset. */
  readonly submittedAt?: string;
  /** The last ladder stage that concerned this unit. */
  readonly lastStage?: StageKind;
  /** Who recorded the submission that counts (`link:<unit>:v<n>`, an IAM caller, `cli:<actor>`). */
  readonly by?: string;
  /** True once the unit 签收ed a notice of this milestone. */
  readonly acknowledged: boolean;
  /** The unit's own deadline (YYYY-MM-DD): the milestone's, or one it was given (an extension, a return). */
  readonly deadline: string;
  /** True when the unit has a date of its own that differs from the milestone's. */
  readonly extended: boolean;
  /** What gave the unit its own date: an approved extension, a return's short date, an admin. */
  readonly dateKind?: UnitDeadline['kind'];
  /** When a submission exists: 待审核, 已办结 or 退回 (the latest one's). */
  readonly review?: ReviewState;
  /** 已回执 — the summoned unit said who attends its 约谈: when (ISO with the plan's offset), and how many. */
  readonly receipt?: { readonly at: string; readonly attendees: number };
  /**
   * 投递失败 — the latest notice about this unit whose outcome SES reported did not reach it: how
   * (bounced, complained, suppressed), whose address (the unit's own, its head's or supervisor's) and
   * the stage. Absent when the latest known outcome is a delivery, or none is known.
   */
  readonly deliveryFailure?: {
    readonly delivery: DeliveryStatus;
    readonly role: AddressRole;
    /** The notice's kind: a ladder stage, or a reply. */
    readonly stage: NoticeKind;
  };
  /** For the exit ledger's rows: the unit's items done out of the total, and those overdue (exits/board.ts). */
  readonly ledger?: { readonly total: number; readonly done: number; readonly overdue: number };
}

/** 复核 as every board shows it. */
export const REVIEW_LABEL: Record<ReviewState, string> = { pending: '待审核', accepted: '已办结', returned: '退回' };

/** What a board says of a row besides its light: 待审核 / 已办结 / 退回, and 延期至 M月D日 for a unit's own date. */
export function rowNotes(
  row: Pick<BoardRow, 'review' | 'extended' | 'deadline' | 'dateKind'> & Pick<Partial<BoardRow>, 'receipt'>,
): string[] {
  const notes: string[] = [];
  if (row.receipt) notes.push('已回执');
  if (row.review) notes.push(REVIEW_LABEL[row.review]);
  const [, m, d] = row.deadline.split('-').map(Number);
  if (row.extended && row.dateKind !== 'return') notes.push(`延期至${m}月${d}日`);
  if (row.dateKind === 'return' && row.review === 'returned') notes.push(`限${m}月${d}日前重新报送`);
  return notes;
}

/**
 * The submission whose time decides 按时 or 逾期: the one that counts now (pending or accepted), judged at the
 * time it was made — or, when the plan says `review.timelinessBy: "first"`, the first one made, if one counts.
 */
export function timelySubmission(plan: Pick<StoredPlan, 'review'>, own: readonly Submission[]): Submission | undefined {
  const counting = own.filter(counts).at(-1);
  if (!counting) return undefined;
  return plan.review?.timelinessBy === 'first' ? own[0] : counting;
}

/** 绿 delivered by the deadline, 黄 after it, 红 not at all once it passed, 灰 not yet due. */
export function statusOf(counting: Pick<Submission, 'at'> | undefined, deadline: number, now: number): BoardStatus {
  if (counting) return counting.at < deadline ? 'submitted' : 'late';
  return now < deadline ? 'pending' : 'missing';
}

/**
 * 督办看板: per milestone and responsible unit, whether it delivered on time (submitted), after the
 * deadline (late) or not at all (missing), and the last stage of the ladder that reached it.
 */
export async function buildBoard(
  plan: StoredPlan,
  stores: {
    submissions: SubmissionStore & AcknowledgementStore;
    ledger: NoticeLedger;
    /** The exit ledger's items: needed when the plan keeps one (its rows' lights come from them). */
    exits?: Pick<ExitLedger, 'listItems'>;
  },
  /** On a live board, a unit whose deadline is still ahead is `pending`, not `missing`. */
  now = Number.POSITIVE_INFINITY,
): Promise<BoardRow[]> {
  const rows: BoardRow[] = [];
  for (const m of plan.milestones) {
    const [{ submissions: subs, acknowledgements: acks, receipts }, notices] = await Promise.all([
      stores.submissions.listResponses(plan.id, m.id),
      stores.ledger.listForMilestone(plan.id, m.id),
    ]);
    // One pass over each list, not one per unit: a national milestone has thousands of units and notices.
    const byUnit = new Map<string, Submission[]>();
    for (const s of subs) if (s.voided === undefined) byUnit.set(s.unit, [...(byUnit.get(s.unit) ?? []), s]);
    const acknowledged = new Set(acks.map((a) => a.unit));
    // The exit ledger's light per unit comes from its items (done / overdue), not from a submission.
    const exits = isLedger(m)
      ? new Map(exitBoard(plan, m, await exitItemsFor(stores, plan.id, m.id), now).units.map((u) => [u.unit, u]))
      : undefined;
    // The notices sent about each unit, oldest first.
    const concerning = new Map<string, NoticeRecord[]>();
    for (const n of notices) {
      if (n.state !== 'sent') continue;
      for (const u of n.units) {
        const list = concerning.get(u);
        if (list) list.push(n);
        else concerning.set(u, [n]);
      }
    }
    for (const unit of m.responsible) {
      const own = (byUnit.get(unit) ?? []).sort((a, b) => a.seq - b.seq);
      const sub = timelySubmission(plan, own);
      const latest = own.at(-1);
      const deadline = deadlineInstant(plan, { deadline: judgedDeadline(m, unit) });
      const dated = ladderDeadline(m, unit);
      const mine = (concerning.get(unit) ?? []).sort(
        (a, b) => a.fireAt.localeCompare(b.fireAt) || byStageOrder(a.stage, b.stage),
      );
      // The last step of the ladder that reached the unit (replies such as 退回 are not steps).
      const last = mine
        .map((n) => n.stage)
        .filter(isStage)
        .at(-1);
      const failure = deliveryFailureOf(mine, unit);
      const receipt = receipts.find((r) => r.unit === unit);
      const items = exits?.get(unit);
      rows.push({
        milestone: m.id,
        unit,
        status: items ? items.light : statusOf(sub, deadline, now),
        ...(items ? { ledger: { total: items.total, done: items.done, overdue: items.overdue } } : {}),
        ...(sub ? { submittedAt: formatInZone(sub.at, plan.timezone) } : {}),
        ...(last ? { lastStage: last } : {}),
        ...(sub ? { by: sub.by } : {}),
        acknowledged: acknowledged.has(unit),
        deadline: dated,
        extended: dated !== m.deadline,
        ...(m.unitDeadlines?.[unit] ? { dateKind: m.unitDeadlines[unit].kind } : {}),
        ...(latest ? { review: reviewStateOf(latest) } : {}),
        ...(failure ? { deliveryFailure: failure } : {}),
        ...(receipt
          ? { receipt: { at: formatInZone(receipt.at, plan.timezone), attendees: receipt.attendees.length } }
          : {}),
      });
    }
  }
  return rows;
}

/** The plan's exit items, which a board of a plan that keeps a ledger cannot do without. */
function exitItemsFor(stores: { exits?: Pick<ExitLedger, 'listItems'> }, plan: string, milestone: string) {
  if (!stores.exits) throw new Error(`the board of "${plan}" needs the exit ledger's items for "${milestone}"`);
  return stores.exits.listItems(plan);
}

/**
 * The latest known outcome for `unit` among the notices about it (oldest first): a failure that names
 * one of its addresses, or a delivery of a notice about it alone, which ends the search.
 */
function deliveryFailureOf(notices: readonly NoticeRecord[], unit: string): BoardRow['deliveryFailure'] {
  for (const n of [...notices].reverse()) {
    const failed = (n.failedRecipients ?? []).map(parseRecipientId).find((r) => r.unit === unit);
    if (failed && n.delivery && n.delivery !== 'delivered' && n.delivery !== 'delayed') {
      return { delivery: n.delivery, role: failed.role, stage: n.stage };
    }
    if (n.delivery === 'delivered' && n.units.length === 1) return undefined;
  }
  return undefined;
}
