import type { Log } from '../log.js';
import {
  type CalendarStore,
  type DeliveryReport,
  type DeliveryStatus,
  FAILED_DELIVERIES,
  type Mailer,
  type NoticeKey,
  type NoticeLedger,
  type StoredPlan,
} from '../ports.js';
import { officeNotice } from './officeNotice.js';
import { recipientsOf } from './recipients.js';

export interface DeliveryDeps {
  readonly calendar: Pick<CalendarStore, 'loadPlan'>;
  readonly ledger: NoticeLedger;
  /** Sends the office its message (from the same sender as the notices). */
  readonly mailer: Mailer;
  readonly log: Log;
}

/** One SES event about one notice, as the events handler (or the simulation) parsed it. */
export interface DeliveryEvent {
  readonly key: NoticeKey;
  readonly delivery: DeliveryStatus;
  /** Epoch ms. */
  readonly at: number;
  /** The recipients the event is about (bounced, complained, delayed or delivered). */
  readonly addresses: readonly string[];
  /** Short and without addresses (bounce type and status code). */
  readonly reason?: string;
}

export interface DeliveryOutcome {
  readonly delivery: DeliveryStatus;
  /** `unit#role` of the failed recipients this event concerned. */
  readonly failed: readonly string[];
  /** Of those, the ones the office was told of now (a repeated event tells nobody twice). */
  readonly told: readonly string[];
}

export const isFailure = (delivery: DeliveryStatus) => FAILED_DELIVERIES.includes(delivery);

/**
 * 投递回执 — records what SES did with a notice on its ledger entry and, when a person was not reached,
 * tells the office which unit and whose address failed. Safe to run twice for the same event (SES and
 * EventBridge deliver at least once): the ledger keeps the outcome idempotently and the office is told
 * of each failed recipient once (at most once more after a crash between the message and its note).
 */
export async function recordDeliveryEvent(deps: DeliveryDeps, event: DeliveryEvent): Promise<DeliveryOutcome> {
  const { key } = event;
  if (!isFailure(event.delivery)) {
    const reason = event.reason ? { reason: event.reason } : {};
    await deps.ledger.recordDelivery(key, { delivery: event.delivery, at: event.at, failed: [], ...reason });
    return { delivery: event.delivery, failed: [], told: [] };
  }
  const plan = await deps.calendar.loadPlan(key.plan);
  const units =
    key.unit !== '*' ? [key.unit] : (plan?.milestones.find((m) => m.id === key.milestone)?.responsible ?? []);
  const failed = plan
    ? unique(event.addresses.flatMap((address) => recipientsOf(plan, { ...key, units }, address)))
    : [`${key.unit}#${key.role === 'all' ? 'unit' : key.role}`];
  const report: DeliveryReport = {
    delivery: event.delivery,
    at: event.at,
    failed,
    ...(event.reason ? { reason: event.reason } : {}),
  };
  const { untold } = await deps.ledger.recordDelivery(key, report);
  if (untold.length === 0) return { delivery: event.delivery, failed, told: [] };
  if (!plan) {
    // Nobody to address: the plan is gone. The ledger has the failure; the bounce alarm reaches operations.
    deps.log.error('delivery failure of a plan no longer in the calendar', { ...key, delivery: event.delivery });
    return { delivery: event.delivery, failed, told: [] };
  }
  await tellOffice(deps, plan, key, report, untold);
  return { delivery: event.delivery, failed, told: untold };
}

/** Sends the office its message about `recipients`, then notes it on the notice. */
export async function tellOffice(
  deps: Pick<DeliveryDeps, 'ledger' | 'mailer' | 'log'>,
  plan: StoredPlan,
  key: NoticeKey,
  report: DeliveryReport,
  recipients: readonly string[],
): Promise<void> {
  await deps.mailer.send(officeNotice(plan, key, report, recipients));
  await deps.ledger.markOfficeTold(key, recipients);
  deps.log.warn('notice not delivered: office told', {
    plan: key.plan,
    milestone: key.milestone,
    stage: key.stage,
    occurrence: key.occurrence,
    unit: key.unit,
    role: key.role,
    delivery: report.delivery,
    recipients: recipients.length,
  });
}

export const unique = (xs: readonly string[]) => [...new Set(xs)];
