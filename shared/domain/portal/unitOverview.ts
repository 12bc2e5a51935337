import { type BoardStatus, statusOf } from '../board/board.js';
import { deadlineInstant, occurrencesOf } from '../plan/ladder.js';
import { byStageOrder, type StageKind } from '../plan/stages.js';
import {
  type Acknowledgement,
  type AcknowledgementStore,
  counts,
  type NoticeLedger,
  type NoticeRecord,
  type StoredMilestone,
  type StoredPlan,
  type Submission,
  type SubmissionStore,
} from '../ports.js';

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
  /** The stages of the ladder still ahead, with their fire times (ISO with offset). */
  readonly stagesAhead: readonly { readonly stage: StageKind; readonly fireAt: string }[];
  /** The submission that counts, if any. */
  readonly submission?: Submission;
  /** Submissions an admin voided (they no longer count), newest first. */
  readonly voided: readonly Submission[];
  readonly notices: readonly ReceivedNotice[];
}

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
 * 单位督办页: every milestone the unit is responsible for, in plan order, with its light, the stages ahead,
 * the submission that counts and the notices it received (each marked 已签收 once acknowledged).
 */
export async function unitOverview(
  stores: { submissions: SubmissionStore & AcknowledgementStore; ledger: NoticeLedger },
  plan: StoredPlan,
  unitId: string,
  now: number,
): Promise<UnitMilestoneView[]> {
  const mine = plan.milestones.filter((m) => m.responsible.includes(unitId));
  return Promise.all(
    mine.map(async (milestone) => {
      const [{ submissions: subs, acknowledgements: acks }, records] = await Promise.all([
        stores.submissions.listResponses(plan.id, milestone.id),
        stores.ledger.listForMilestone(plan.id, milestone.id),
      ]);
      const own = subs.filter((s) => s.unit === unitId).sort((a, b) => b.seq - a.seq);
      const submission = own.find(counts);
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
      return {
        milestone,
        status: statusOf(submission, deadlineInstant(plan, milestone), now),
        stagesAhead: submission ? [] : stagesAhead,
        ...(submission ? { submission } : {}),
        voided: own.filter((s) => !counts(s)),
        notices,
      };
    }),
  );
}
