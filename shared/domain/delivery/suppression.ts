import type { Log } from '../log.js';
import type {
  CalendarStore,
  Clock,
  DeliveryReport,
  Mailer,
  NoticeKey,
  NoticeLedger,
  OutgoingEmail,
  SuppressionList,
} from '../ports.js';
import { officeNotice } from './officeNotice.js';
import { recipientsOf } from './recipients.js';
import { tellOffice, unique } from './recordDelivery.js';

export interface ScreenDeps {
  /** Absent: nothing to ask (the local stand-in has no suppression list). */
  readonly suppression?: SuppressionList;
  /** Read only when an address is suppressed: to name the unit and tell the office. */
  readonly calendar: Pick<CalendarStore, 'loadPlan'>;
  readonly ledger: NoticeLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Before SES: SES silently drops mail to an address on the account's suppression list (one that
 * bounced or complained before), so such a notice is reported instead — recorded as `suppressed` on
 * the claimed notice, with the office told which unit and whose address. When every recipient is
 * suppressed the notice is closed without SES (`closed`); otherwise it goes to the others (`send`).
 * The office hears first: if that fails, the notice stays claimed and the retry screens it again.
 */
export async function screenSuppressed(
  deps: ScreenDeps,
  notice: { readonly key: NoticeKey; readonly units: readonly string[]; readonly email: OutgoingEmail },
  claimedAt: number,
): Promise<'send' | 'closed'> {
  if (!deps.suppression) return 'send';
  const addresses = [...notice.email.to, ...notice.email.cc];
  const suppressed = await deps.suppression.suppressed(addresses);
  if (suppressed.size === 0) return 'send';
  const plan = await deps.calendar.loadPlan(notice.key.plan);
  // The notice fails and comes back: a plan removed under a queued notice is an operator's matter.
  if (!plan) throw new Error(`plan ${notice.key.plan} is not in the calendar`);
  const failed = unique(
    [...suppressed.keys()].flatMap((address) => recipientsOf(plan, { ...notice.key, units: notice.units }, address)),
  );
  const report: DeliveryReport = {
    delivery: 'suppressed',
    at: deps.clock.now(),
    reason: `suppression list: ${unique([...suppressed.values()]).join(', ')}`,
    failed,
  };
  if (addresses.every((address) => suppressed.has(address))) {
    await deps.mailer.send(officeNotice(plan, notice.key, report, failed));
    await deps.ledger.markSuppressed(notice.key, report, claimedAt);
    return 'closed';
  }
  const { untold } = await deps.ledger.recordDelivery(notice.key, report);
  if (untold.length > 0) await tellOffice(deps, plan, notice.key, report, untold);
  return 'send';
}
