import { type BoardStatus, statusOf, timelySubmission } from '../board/board.js';
import { deadlineInstant, judgedDeadline, ladderDeadline, occurrencesOf } from '../plan/ladder.js';
import { byStageOrder, type StageKind } from '../plan/stages.js';
import {
  type Acknowledgement,
  type AcknowledgementStore,
  counts,
  type ExtensionRequest,
  type ExtensionStore,
  type NoticeLedger,
  type NoticeRecord,
  type ReviewState,
  reviewStateOf,
  type StoredMilestone,
  type StoredPlan,
  type Submission,
  type SubmissionStore,
  type UnitDeadline,
} from '../ports.js';
import { lastMomentToAsk } from '../review/extensions.js';

/** A notice a unit received, and whether (and when) it 签收ed it. */
export interface ReceivedNotice {
  readonly record: NoticeRecord;
  /** The notice's id within the milestone, as the 签收 form names it. */
  readonly id: string;
  readonly acknowledgement?: Acknowledgement;
}

/** One milestone as its responsible unit sees it on its page. */
export interface UnitMilestoneView {
  readonly milestone: StoredMilestone;
  readonly status: BoardStatus;
  /** The unit's date for this milestone (its own after an extension or a return, else the milestone's). */
  readonly deadline: string;
  /** Why the unit has a date of its own, when it has one. */
  readonly dateKind?: UnitDeadline['kind'];
  /** The stages of the ladder still ahead, with their fire times (ISO with offset). */
  readonly stagesAhead: readonly { readonly stage: StageKind; readonly fireAt: string }[];
  /** The submission that counts, if any (待审核 or 已办结). */
  readonly submission?: Submission;
  /** The unit's latest submission and where its review stands (a returned one no longer counts). */
  readonly latest?: { readonly submission: Submission; readonly review: ReviewState };
  /** Submissions an admin voided (they no longer count), newest first. */
  readonly voided: readonly Submission[];
  readonly notices: readonly ReceivedNotice[];
  /** The unit's latest extension request for this milestone, open or decided. */
  readonly extension?: ExtensionRequest;
  /** Whether the unit may ask for an extension now (nothing counting, none open, before the last moment). */
  readonly mayAskExtension: boolean;
}

type Stores = { submissions: SubmissionStore & AcknowledgementStore & ExtensionStore; ledger: NoticeLedger };

/** A notice's id within its milestone: occurrence, stage, the unit it concerns, the recipient role. */
export const noticeId = (n: Pick<NoticeRecord, 'occurrence' | 'stage' | 'unit' | 'role'>) =>
  `${n.occurrence}|${n.stage}|${n.unit}|${n.role}`;

/**
 * Whether `unitId` received `notice` itself: a notice addressed to the unit or its head, or the circular
 * naming it. An escalation to its supervisor is about the unit, not to it.
 */
export const receivedBy = (notice: NoticeRecord, unitId: string) =>
  notice.state === 'sent' && notice.role !== 'supervisor' && notice.units.includes(unitId);

/**
 * 单位督办页: every milestone the unit is responsible for, in plan order, with its light (as the board
 * judges it), its own date, the stages ahead, the submission and its review, its extension request, and
 * the notices it received (each marked 已签收 once acknowledged).
 */
export async function unitOverview(
  stores: Stores,
  plan: StoredPlan,
  unitId: string,
  now: number,
): Promise<UnitMilestoneView[]> {
  const mine = plan.milestones.filter((m) => m.responsible.includes(unitId));
  return Promise.all(mine.map((milestone) => milestoneView(stores, plan, milestone, unitId, now)));
}

async function milestoneView(
  stores: Stores,
  plan: StoredPlan,
  milestone: StoredMilestone,
  unitId: string,
  now: number,
): Promise<UnitMilestoneView> {
  const [{ submissions: subs, acknowledgements: acks }, records, requests] = await Promise.all([
    stores.submissions.listResponses(plan.id, milestone.id),
    stores.ledger.listForMilestone(plan.id, milestone.id),
    stores.submissions.listExtensions(plan.id, milestone.id),
  ]);
  const own = subs.filter((s) => s.unit === unitId).sort((a, b) => a.seq - b.seq);
  const submission = own.filter(counts).at(-1);
  const last = own.filter((s) => s.voided === undefined).at(-1);
  const ackOf = new Map(acks.filter((a) => a.unit === unitId).map((a) => [noticeId(a.notice), a]));
  const notices = records
    .filter((r) => receivedBy(r, unitId))
    .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || byStageOrder(a.stage, b.stage))
    .map((record) => {
      const id = noticeId(record);
      const acknowledgement = ackOf.get(id);
      return { record, id, ...(acknowledgement ? { acknowledgement } : {}) };
    });
  const stagesAhead = milestone.paused
    ? []
    : occurrencesOf(plan, milestone)
        .filter((o) => o.instant > now && o.units.includes(unitId))
        .map((o) => ({ stage: o.stage, fireAt: o.fireAt }));
  const deadline = ladderDeadline(milestone, unitId);
  const extension = requests
    .filter((r) => r.unit === unitId)
    .sort((a, b) => a.seq - b.seq)
    .at(-1);
  const judged = deadlineInstant(plan, { deadline: judgedDeadline(milestone, unitId) });
  const dateKind = milestone.unitDeadlines?.[unitId]?.kind;
  return {
    milestone,
    status: statusOf(timelySubmission(plan, own), judged, now),
    deadline,
    ...(dateKind ? { dateKind } : {}),
    stagesAhead: submission ? [] : stagesAhead,
    ...(submission ? { submission } : {}),
    ...(last ? { latest: { submission: last, review: reviewStateOf(last) } } : {}),
    voided: own.filter((s) => s.voided !== undefined).reverse(),
    notices,
    ...(extension ? { extension } : {}),
    mayAskExtension:
      !submission &&
      !milestone.paused &&
      (extension === undefined || extension.decision !== undefined) &&
      now < lastMomentToAsk(plan, deadline),
  };
}
