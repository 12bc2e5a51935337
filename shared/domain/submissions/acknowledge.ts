import { UnknownReferenceError } from '../errors.js';
import { noticeId, receivedBy } from '../portal/unitOverview.js';
import type { Acknowledgement, AcknowledgementStore, Clock, NoticeLedger } from '../ports.js';

export interface AcknowledgeDeps {
  readonly submissions: AcknowledgementStore;
  readonly ledger: NoticeLedger;
  readonly clock: Clock;
}

/**
 * 签收: the unit confirms it received one of its notices. Only a notice the ledger holds as sent and that
 * reached this unit can be acknowledged; acknowledging twice keeps the first time.
 */
export async function acknowledgeNotice(
  deps: AcknowledgeDeps,
  input: { plan: string; milestone: string; unit: string; notice: string },
  by: string,
): Promise<{ recorded: boolean; acknowledgement: Acknowledgement }> {
  const records = await deps.ledger.listForMilestone(input.plan, input.milestone);
  const record = records.find((r) => noticeId(r) === input.notice && receivedBy(r, input.unit));
  if (!record) throw new UnknownReferenceError(`no notice "${input.notice}" reached unit "${input.unit}"`, 'notice');
  const { stage, occurrence, unit, role } = record;
  return deps.submissions.acknowledge({
    plan: input.plan,
    milestone: input.milestone,
    unit: input.unit,
    notice: { stage, occurrence, unit, role },
    at: deps.clock.now(),
    by,
  });
}
