import { noticeTags } from '../../shared/domain/delivery/noticeTags.js';
import type { NoticeLedger, NoticeRecord, SuppressionList } from '../../shared/domain/ports.js';
import type { DeliveryEventsResult } from '../../shared/handlers/deliveryEventsHandler.js';
import { drawFor } from './random.js';
import { type SesEventType, sesEvent } from './sesEvents.js';

/** The account's suppression list as SES keeps it: an address joins it when it bounces or complains. */
export class SimulatedSuppressionList implements SuppressionList {
  readonly entries = new Map<string, string>();

  async suppressed(addresses: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return new Map(
      addresses.flatMap((a) => (this.entries.has(a) ? [[a, this.entries.get(a) as string] as const] : [])),
    );
  }
}

/** What the SES events of a run were. */
export interface DeliveryCounts {
  delivered: number;
  bounced: number;
  complained: number;
}

/**
 * SES's side of a simulation after it accepts a message: for each notice the ledger holds as sent, the
 * events SES would publish, drawn by seed from the notice's key (the same notices bounce in every run
 * of a seed): a bounce of its first recipient (`bounce`), a complaint by it after delivery (`complaint`),
 * else delivery to all. Each event goes through the very handler the events function runs on AWS, and a
 * bounced or complaining address joins the suppression list, as the configuration set makes SES do.
 */
export class DeliverySimulator {
  readonly suppression = new SimulatedSuppressionList();
  readonly counts: DeliveryCounts = { delivered: 0, bounced: 0, complained: 0 };
  private readonly seen = new Set<string>();

  constructor(
    private readonly rates: { readonly bounce: number; readonly complaint: number },
    private readonly seed: number,
    private readonly handler: (event: unknown) => Promise<DeliveryEventsResult>,
  ) {}

  /** Publishes the events of every notice sent since the last call (in ledger order: deterministic). */
  async settle(ledger: NoticeLedger, plan: string, milestones: Iterable<string>): Promise<void> {
    for (const milestone of milestones) {
      for (const record of await ledger.listForMilestone(plan, milestone)) {
        if (record.state !== 'sent' || !record.messageId || this.seen.has(record.messageId)) continue;
        this.seen.add(record.messageId);
        await this.publish(record);
      }
    }
  }

  private async publish(record: NoticeRecord): Promise<void> {
    const sentAt = record.sentAt ?? Date.parse(record.fireAt);
    const message = {
      messageId: record.messageId as string,
      sentAt,
      email: { to: record.to, cc: record.cc, tags: noticeTags(record) },
    };
    const key = [record.plan, record.milestone, record.stage, record.occurrence, record.unit, record.role].join('|');
    const u = drawFor(this.seed, `delivery|${key}`);
    const [first, ...rest] = [...record.to, ...record.cc];
    const send = (type: SesEventType, recipients: readonly string[], afterMs: number) =>
      recipients.length === 0 ? undefined : this.handler(sesEvent(type, message, recipients, sentAt + afterMs));
    if (u < this.rates.bounce && first) {
      this.counts.bounced += 1;
      await send('Delivery', rest, 30_000);
      await send('Bounce', [first], 60_000);
      this.suppression.entries.set(first, 'BOUNCE');
      return;
    }
    await send('Delivery', record.to.concat(record.cc), 30_000);
    if (u < this.rates.bounce + this.rates.complaint && first) {
      this.counts.complained += 1;
      await send('Complaint', [first], 2 * 3_600_000);
      this.suppression.entries.set(first, 'COMPLAINT');
      return;
    }
    this.counts.delivered += 1;
  }
}
