import { RuleRefusedError, UnknownReferenceError } from '../errors.js';
import { interviewFor } from '../plan/ladder.js';
import type { Interview, Milestone } from '../plan/schema.js';
import type {
  AcknowledgementStore,
  Clock,
  NoticeLedger,
  NoticeRecord,
  Receipt,
  ReceiptAttendee,
  ReceiptStore,
  StoredPlan,
} from '../ports.js';

export interface ReceiptDeps {
  readonly submissions: ReceiptStore & AcknowledgementStore;
  readonly ledger: NoticeLedger;
  readonly clock: Clock;
}

/** A 约谈 a unit was summoned to: the summons that went out, and the interview it set. */
export interface Summoned {
  readonly notice: NoticeRecord;
  readonly interview: Interview & { readonly wall: string; readonly at: string; readonly explainBy: string };
  /** The unit's 回执, once it sent one. */
  readonly receipt?: Receipt;
}

/** At most this many 参加人员 on one 回执. */
export const MAX_ATTENDEES = 5;

/**
 * The latest 约谈通知 sent to `unit` for `milestone`, with its interview and the unit's 回执 if any; undefined
 * when the unit was never summoned for it (there is nothing to answer).
 */
export async function summonsFor(
  deps: Pick<ReceiptDeps, 'submissions' | 'ledger'>,
  plan: StoredPlan,
  milestone: Milestone,
  unit: string,
): Promise<Summoned | undefined> {
  const [records, { receipts }] = await Promise.all([
    deps.ledger.listForMilestone(plan.id, milestone.id),
    deps.submissions.listResponses(plan.id, milestone.id),
  ]);
  const notice = records
    .filter((r) => r.stage === 'summons' && r.state === 'sent' && r.units.includes(unit))
    .sort((a, b) => a.fireAt.localeCompare(b.fireAt))
    .at(-1);
  if (!notice) return undefined;
  const receipt = receipts.find((r) => r.unit === unit);
  return {
    notice,
    interview: interviewFor(plan, milestone, notice.occurrence.slice(0, 10)),
    ...(receipt ? { receipt } : {}),
  };
}

/**
 * 回执: a summoned unit says who attends its 约谈 (name, post, phone of each). Only a unit that was sent a
 * 约谈通知 for the milestone may; a second 回执 replaces the first (a correction). `by` is the link's author.
 */
export async function recordReceipt(
  deps: ReceiptDeps,
  plan: StoredPlan,
  ids: { readonly milestone: string; readonly unit: string },
  attendees: readonly ReceiptAttendee[],
  by: string,
): Promise<Receipt> {
  const milestone = plan.milestones.find((m) => m.id === ids.milestone && m.responsible.includes(ids.unit));
  if (!milestone) throw new UnknownReferenceError(`${ids.unit} has no milestone "${ids.milestone}"`, 'milestone');
  if (attendees.length === 0 || attendees.length > MAX_ATTENDEES)
    throw new RuleRefusedError(`a 回执 names 1 to ${MAX_ATTENDEES} attendees`);
  if (!(await summonsFor(deps, plan, milestone, ids.unit)))
    throw new RuleRefusedError(`no 约谈通知 was sent to ${ids.unit} for ${ids.milestone}: there is nothing to answer`);
  const receipt: Receipt = {
    plan: plan.id,
    milestone: milestone.id,
    unit: ids.unit,
    attendees: attendees.map((a) => ({ name: a.name, post: a.post, phone: a.phone })),
    at: deps.clock.now(),
    by,
  };
  await deps.submissions.recordReceipt(receipt);
  return receipt;
}
