import { HmacSigner } from '../../shared/adapters/local/keyFileSigner.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import type { PortalLinks } from '../../shared/domain/links/unitLink.js';
import { subjectWith } from '../../shared/domain/notices/docNumber.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import {
  type Acknowledgement,
  type AcknowledgementStore,
  type CalendarStore,
  type ClaimResult,
  counts,
  type DeliveryReport,
  type DocSeries,
  type ExtensionRequest,
  type ExtensionStore,
  FAILED_DELIVERIES,
  type Mailer,
  type NoticeDetails,
  type NoticeKey,
  type NoticeLedger,
  type NoticeRecord,
  type NumberIntent,
  type OutgoingEmail,
  type Receipt,
  type ReceiptStore,
  type Review,
  type StoredMilestone,
  type Submission,
  type SubmissionStore,
  type SuppressionList,
  type Voiding,
} from '../../shared/domain/ports.js';

/**
 * In-memory ports for domain tests: the same contracts as the DynamoDB and SES adapters (conditional
 * claims with a lease, first submission wins), without a network. Integration tests hold the adapters
 * to the same behaviour against dynalite and the local SES.
 */

/**
 * A calendar holding `plans`, every milestone at revision 1: the in-memory calendar dry runs use
 * (ScratchCalendar), with nothing under it.
 */
export async function calendarWith(...plans: Plan[]): Promise<ScratchCalendar> {
  const calendar = new ScratchCalendar();
  for (const plan of plans)
    await calendar.savePlan({ ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) });
  return calendar;
}

/** An edit as the admin path makes it: the milestone changed and its revision bumped. */
export async function editMilestone(
  calendar: CalendarStore,
  planId: string,
  milestoneId: string,
  change: Partial<StoredMilestone>,
): Promise<void> {
  const current = (await calendar.loadPlan(planId))?.milestones.find((m) => m.id === milestoneId);
  if (!current) throw new Error(`no milestone ${milestoneId}`);
  await calendar.putMilestone(planId, { ...current, ...change, revision: current.revision + 1 }, current.revision);
}

/** Submissions and acknowledgements in memory, held to the same contract as the DynamoDB store. */
export class FakeSubmissions implements SubmissionStore, AcknowledgementStore, ExtensionStore, ReceiptStore {
  readonly all: Submission[] = [];
  readonly receipts: Receipt[] = [];
  readonly acks: Acknowledgement[] = [];
  readonly extensions: ExtensionRequest[] = [];

  async record(submission: Omit<Submission, 'seq'>) {
    const mine = this.all.filter(
      (s) => s.plan === submission.plan && s.milestone === submission.milestone && s.unit === submission.unit,
    );
    const existing = mine.find(counts);
    if (existing) return { recorded: false as const, existing };
    const recorded = { ...submission, seq: mine.length + 1 };
    this.all.push(recorded);
    return { recorded: true as const, submission: recorded };
  }
  async listForMilestone(planId: string, milestoneId: string) {
    return this.all.filter((s) => s.plan === planId && s.milestone === milestoneId);
  }
  async void(planId: string, milestoneId: string, unit: string, seq: number, voiding: Voiding) {
    const i = this.all.findIndex(
      (s) => s.plan === planId && s.milestone === milestoneId && s.unit === unit && s.seq === seq && !s.voided,
    );
    if (i < 0) return false;
    this.all[i] = { ...(this.all[i] as Submission), voided: voiding };
    return true;
  }
  async review(planId: string, milestoneId: string, unit: string, seq: number, review: Review) {
    const i = this.all.findIndex(
      (s) => s.plan === planId && s.milestone === milestoneId && s.unit === unit && s.seq === seq,
    );
    const s = this.all[i];
    if (!s || s.review || s.voided) return false;
    this.all[i] = { ...s, review };
    return true;
  }
  async requestExtension(request: Omit<ExtensionRequest, 'seq'>) {
    const mine = this.extensions.filter(
      (e) => e.plan === request.plan && e.milestone === request.milestone && e.unit === request.unit,
    );
    const open = mine.find((e) => !e.decision);
    if (open) return { recorded: false as const, open };
    const recorded = { ...request, seq: mine.length + 1 };
    this.extensions.push(recorded);
    return { recorded: true as const, request: recorded };
  }
  async listExtensions(planId: string, milestoneId: string) {
    return this.extensions.filter((e) => e.plan === planId && e.milestone === milestoneId);
  }
  async decideExtension(
    planId: string,
    milestoneId: string,
    unit: string,
    seq: number,
    decision: NonNullable<ExtensionRequest['decision']>,
  ) {
    const i = this.extensions.findIndex(
      (e) => e.plan === planId && e.milestone === milestoneId && e.unit === unit && e.seq === seq,
    );
    const e = this.extensions[i];
    if (!e || e.decision) return false;
    this.extensions[i] = { ...e, decision };
    return true;
  }
  async acknowledge(ack: Acknowledgement) {
    const same = (a: Acknowledgement) =>
      a.plan === ack.plan &&
      a.milestone === ack.milestone &&
      a.unit === ack.unit &&
      JSON.stringify(a.notice) === JSON.stringify(ack.notice);
    const first = this.acks.find(same);
    if (first) return { recorded: false, acknowledgement: first };
    this.acks.push(ack);
    return { recorded: true, acknowledgement: ack };
  }
  async listAcknowledgements(planId: string, milestoneId: string) {
    return this.acks.filter((a) => a.plan === planId && a.milestone === milestoneId);
  }
  async listResponses(planId: string, milestoneId: string) {
    return {
      submissions: await this.listForMilestone(planId, milestoneId),
      acknowledgements: await this.listAcknowledgements(planId, milestoneId),
      extensions: await this.listExtensions(planId, milestoneId),
      receipts: this.receipts.filter((r) => r.plan === planId && r.milestone === milestoneId),
    };
  }
  async recordReceipt(receipt: Receipt) {
    const i = this.receipts.findIndex(
      (r) => r.plan === receipt.plan && r.milestone === receipt.milestone && r.unit === receipt.unit,
    );
    if (i >= 0) this.receipts[i] = receipt;
    else this.receipts.push(receipt);
  }
}

const keyOf = (k: NoticeKey) => [k.plan, k.milestone, k.occurrence, k.stage, k.unit, k.role].join('#');
const seriesOf = (s: DocSeries) => `${s.plan}#${s.series}#${s.year}`;

/** The ledger's contract: claim free, failed or expired notices; record only what the claim holds. */
export class FakeLedger implements NoticeLedger {
  readonly records = new Map<string, NoticeRecord & { officeTold?: readonly string[] }>();
  /** Makes the next `n` markSent calls fail, as a throttled table would. */
  failNextMarkSent = 0;
  /** 发文登记: `plan#series#year` → number → the notice that holds it. */
  readonly register = new Map<string, Map<number, NoticeKey>>();

  async claim(
    key: NoticeKey,
    details: NoticeDetails,
    now: number,
    leaseMs: number,
    intent?: NumberIntent,
  ): Promise<ClaimResult> {
    const current = this.records.get(keyOf(key));
    if (current?.state === 'sent') return { outcome: 'sent' };
    if (current?.state === 'claimed' && (current.claimedAt ?? 0) >= now - leaseMs) return { outcome: 'in-flight' };
    const attempts = (current?.attempts ?? 0) + 1;
    const held =
      current?.docSeq !== undefined && current.docNumber !== undefined
        ? { seq: current.docSeq, docNumber: current.docNumber }
        : intent;
    const doc = intent ? held : undefined;
    this.records.set(keyOf(key), {
      ...current,
      ...key,
      ...details,
      state: 'claimed',
      claimedAt: now,
      attempts,
      ...(held ? { docSeq: held.seq, docNumber: held.docNumber } : {}),
    });
    return doc ? { outcome: 'claimed', attempts, doc } : { outcome: 'claimed', attempts };
  }
  async lastDocNumber(series: DocSeries) {
    return Math.max(0, ...(this.register.get(seriesOf(series))?.keys() ?? []));
  }
  async takeDocNumber(series: DocSeries, seq: number, owner: NoticeKey) {
    const numbers = this.register.get(seriesOf(series)) ?? new Map<number, NoticeKey>();
    this.register.set(seriesOf(series), numbers);
    const taken = numbers.get(seq);
    if (taken && keyOf(taken) !== keyOf(owner)) return false;
    numbers.set(seq, owner);
    return true;
  }
  async renumber(key: NoticeKey, claimedAt: number, intent: NumberIntent) {
    const current = this.records.get(keyOf(key));
    if (current?.state !== 'claimed' || current.claimedAt !== claimedAt) return false;
    this.records.set(keyOf(key), { ...current, docSeq: intent.seq, docNumber: intent.docNumber });
    return true;
  }
  async listDocNumbers(series: DocSeries) {
    return [...(this.register.get(seriesOf(series)) ?? new Map<number, NoticeKey>()).entries()]
      .sort(([a], [b]) => a - b)
      .map(([seq, owner]) => ({ seq, owner }));
  }
  async markSent(key: NoticeKey, messageId: string, now: number) {
    if (this.failNextMarkSent > 0) {
      this.failNextMarkSent -= 1;
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
        name: 'ProvisionedThroughputExceededException',
      });
    }
    const current = this.records.get(keyOf(key));
    if (!current) throw new Error('markSent without a claim');
    this.records.set(keyOf(key), { ...current, state: 'sent', messageId, sentAt: now });
  }
  async markFailed(key: NoticeKey, error: string, _now: number, claimedAt: number) {
    const current = this.records.get(keyOf(key));
    if (current?.state !== 'claimed' || current.claimedAt !== claimedAt) return;
    this.records.set(keyOf(key), { ...current, state: 'failed', error });
  }
  async listForMilestone(planId: string, milestoneId: string) {
    return [...this.records.values()]
      .filter((r) => r.plan === planId && r.milestone === milestoneId)
      .map(({ officeTold: _told, ...r }) => ({ ...r, subject: subjectWith(r.subject, r.docNumber) }) as NoticeRecord);
  }
  async recordDelivery(key: NoticeKey, report: DeliveryReport) {
    const current = this.records.get(keyOf(key));
    if (!current) return { untold: [] };
    const failure = FAILED_DELIVERIES.includes(report.delivery);
    if (!failure) {
      const replaces = report.delivery === 'delivered' ? [undefined, 'delayed'] : [undefined];
      if (!replaces.includes(current.delivery)) return { untold: [] };
      const { deliveryReason: _r, ...rest } = current;
      const reason = report.delivery === 'delayed' && report.reason ? { deliveryReason: report.reason } : {};
      this.records.set(keyOf(key), { ...rest, delivery: report.delivery, deliveryAt: report.at, ...reason });
      return { untold: [] };
    }
    const failedRecipients = [...new Set([...(current.failedRecipients ?? []), ...report.failed])];
    this.records.set(keyOf(key), {
      ...current,
      delivery: report.delivery,
      deliveryAt: report.at,
      ...(report.reason ? { deliveryReason: report.reason } : {}),
      ...(failedRecipients.length > 0 ? { failedRecipients } : {}),
    });
    return { untold: report.failed.filter((id) => !current.officeTold?.includes(id)) };
  }
  async markSuppressed(key: NoticeKey, report: DeliveryReport, claimedAt: number) {
    const current = this.records.get(keyOf(key));
    if (current?.state !== 'claimed' || current.claimedAt !== claimedAt) return;
    const { error: _e, ...rest } = current;
    this.records.set(keyOf(key), {
      ...rest,
      state: 'sent',
      delivery: 'suppressed',
      deliveryAt: report.at,
      deliveryReason: report.reason ?? 'suppression list',
      failedRecipients: [...new Set([...(current.failedRecipients ?? []), ...report.failed])],
      officeTold: [...new Set([...(current.officeTold ?? []), ...report.failed])],
    });
  }
  async markOfficeTold(key: NoticeKey, recipients: readonly string[]) {
    const current = this.records.get(keyOf(key));
    if (!current || recipients.length === 0) return;
    this.records.set(keyOf(key), {
      ...current,
      officeTold: [...new Set([...(current.officeTold ?? []), ...recipients])],
    });
  }
}

/** The account's suppression list, held in memory (the local stand-in has none). */
export class FakeSuppressionList implements SuppressionList {
  readonly entries = new Map<string, string>();
  async suppressed(addresses: readonly string[]) {
    return new Map(
      addresses.flatMap((a) => (this.entries.has(a) ? [[a, this.entries.get(a) as string] as const] : [])),
    );
  }
}

/** A mailbox that accepts every email (or refuses those `refuse` picks) and keeps what it accepted. */
export class FakeMailer implements Mailer {
  readonly sent: (OutgoingEmail & { messageId: string })[] = [];
  refuse: (email: OutgoingEmail) => boolean = () => false;

  async send(email: OutgoingEmail) {
    if (this.refuse(email)) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
    const messageId = `fake-${this.sent.length + 1}`;
    this.sent.push({ ...email, messageId });
    return { messageId };
  }
}

/** The portal the notices of a test link to, with a key of the test's own. */
export const testPortal = (): PortalLinks => ({ baseUrl: 'https://portal.test', signer: HmacSigner.ephemeral('test') });
