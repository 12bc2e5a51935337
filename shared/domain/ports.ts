import type { NoticeWork } from './dispatch/noticeWork.js';
import type { LinkVersions } from './links/ports.js';
import type { Milestone, Plan, StageKind, Unit } from './plan/schema.js';
import type { NoticeKind } from './plan/stages.js';
import type { ExtraHolidays } from './time/workdays.js';

/**
 * Ports: the narrow interfaces domain code depends on. Only adapters (shared/adapters) import an SDK.
 */

/** Wall time source: the system clock in Lambda, a virtual clock in simulation. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A milestone as stored: every edit bumps `revision`, and a schedule made for an older one does nothing. */
export type StoredMilestone = Milestone & {
  readonly revision: number;
  /** Units with a date of their own, by unit id; the others keep the milestone's. */
  readonly unitDeadlines?: Readonly<Record<string, UnitDeadline>>;
};

/** A plan as stored in the calendar. */
export type StoredPlan = Omit<Plan, 'milestones'> & {
  readonly milestones: StoredMilestone[];
  /**
   * Each unit's personal-link version where it was rotated (absent: 1). Loaded with the plan, so dispatch
   * mints links without a read per unit.
   */
  readonly linkVersions?: Readonly<Record<string, number>>;
  /**
   * 放假安排 the office entered for every plan (`calendar holidays set`, the console), read with the plan so that
   * every ladder — reconcile, dispatch, validation — counts workdays with them. Never part of the plan file.
   */
  readonly officeHolidays?: ExtraHolidays;
};

/** One year's 放假安排 as the office entered it: the State Council's days off and make-up workdays. */
export interface HolidayYear {
  readonly year: number;
  /** Days off (public holidays, including those on a weekend), `YYYY-MM-DD`. */
  readonly off: readonly string[];
  /** Make-up workdays (调休) on a weekend. */
  readonly workdays: readonly string[];
  /** Epoch ms and who entered it. */
  readonly at: number;
  readonly by: string;
}

/** 日历变更记录 — who changed what, when. */
export interface AuditRecord {
  readonly plan: string;
  /** Epoch ms. */
  readonly at: number;
  readonly id: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The calendar: plans, their units and milestones, their audit trail, and each unit's link version. */
export interface CalendarStore extends LinkVersions {
  /** The whole plan in one Query; undefined when it was never imported. */
  loadPlan(planId: string): Promise<StoredPlan | undefined>;
  /** Ids of every imported plan (for the daily reconcile). */
  listPlans(): Promise<string[]>;
  /** Writes the plan's meta, units and milestones; removes units and milestones no longer listed. */
  savePlan(plan: StoredPlan): Promise<void>;
  /**
   * Writes one milestone if the stored revision is still `expectedRevision` (undefined: must not exist)
   * and resolves with the revision written. A milestone id removed earlier continues from its last
   * revision, so that may be above the one given: revisions of an id never go back within a plan.
   */
  putMilestone(planId: string, milestone: StoredMilestone, expectedRevision: number | undefined): Promise<number>;
  deleteMilestone(planId: string, milestoneId: string, expectedRevision: number): Promise<void>;
  putUnit(planId: string, unit: Unit): Promise<void>;
  /** Gives a unit a date of its own for a milestone; its revision moves (only that unit's schedules follow). */
  setUnitDeadline(
    planId: string,
    milestoneId: string,
    unitId: string,
    date: Omit<UnitDeadline, 'revision'>,
  ): Promise<UnitDeadline>;
  /**
   * One calendar edit and its audit record, all or nothing: either every write lands with the record,
   * or none does and the error says why (a lost revision check is a ConcurrentEditError). Resolves with
   * the revision each milestone write wrote (undefined for the other writes), in order.
   */
  commitEdit(planId: string, writes: readonly CalendarWrite[], audit: AuditRecord): Promise<(number | undefined)[]>;
  /** Appends a record that is never overwritten (a record with the same key refuses the write). */
  appendAudit(record: AuditRecord): Promise<void>;
  listAudit(planId: string): Promise<AuditRecord[]>;
  /** Every year's 放假安排 the office entered (one Query), oldest first. */
  listHolidayYears(): Promise<HolidayYear[]>;
  /** Writes one year's 放假安排 (replacing that year's), after its audit record: no change without its record. */
  putHolidayYear(year: HolidayYear, audit: AuditRecord): Promise<void>;
}

/** One write of a calendar edit, guarded as `putMilestone`, `deleteMilestone` and `putUnit` guard theirs. */
export type CalendarWrite =
  | {
      readonly kind: 'putMilestone';
      readonly milestone: StoredMilestone;
      readonly expectedRevision: number | undefined;
    }
  | { readonly kind: 'deleteMilestone'; readonly milestoneId: string; readonly expectedRevision: number }
  | { readonly kind: 'putUnit'; readonly unit: Unit }
  /** Bumps a unit's link version (every link sent before is refused): see `rotateLink`. */
  | { readonly kind: 'rotateLink'; readonly unitId: string };

/** Thrown by a store when a conditional write loses to a concurrent one. */
export class ConcurrentEditError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConcurrentEditError';
  }
}

/** A file attached to a submission: where it is kept and what it was when it was submitted. */
export interface Attachment {
  /** Object key in the attachments bucket, under `plans/<plan>/<milestone>/<unit>/`. */
  readonly key: string;
  /** The file name as the unit uploaded it. */
  readonly name: string;
  readonly size: number;
  /** Hex SHA-256 of the content, computed when the submission was recorded. */
  readonly sha256: string;
  readonly contentType: string;
}

/** 复核 — the recipient (or an admin) closed the matter (办结) or sent the submission back (退回) with a reason. */
export interface Review {
  readonly state: 'accepted' | 'returned';
  /** Epoch ms. */
  readonly at: number;
  readonly by: string;
  /** Required for a return: what the unit must put right. */
  readonly reason?: string;
  /** For a return: the unit's new short deadline (YYYY-MM-DD). */
  readonly deadline?: string;
}

/** 作废 — an admin struck a wrong submission out; it no longer counts and the ladder resumes. */
export interface Voiding {
  /** Epoch ms. */
  readonly at: number;
  readonly by: string;
  readonly reason: string;
}

/** 报送 — a unit delivered a milestone's document. */
export interface Submission {
  readonly plan: string;
  readonly milestone: string;
  readonly unit: string;
  /** Epoch ms of the delivery: the server's clock, or a time an admin stated (then `backdated`). */
  readonly at: number;
  /** 1 for the unit's first submission of the milestone, 2 for the one after a void, … */
  readonly seq: number;
  /**
   * Who recorded it: `link:<unit>:v<version>` (the unit's own link, from the portal), the IAM caller of the
   * admin API, the STS caller of the CLI on AWS, or `cli:<actor>` locally.
   */
  readonly by: string;
  /** 文号 of the delivered document, or a note. */
  readonly ref?: string;
  /** 联系人 and phone the unit gave. */
  readonly contact?: string;
  readonly phone?: string;
  readonly note?: string;
  readonly attachments?: readonly Attachment[];
  /** Where a portal submission came from. */
  readonly client?: { readonly ip?: string; readonly userAgent?: string };
  /** An admin recorded a time in the past: why, and when it was actually recorded (epoch ms). */
  readonly backdated?: { readonly reason: string; readonly recordedAt: number };
  readonly voided?: Voiding;
  /** Absent while it waits for review (待审核). */
  readonly review?: Review;
}

/** Whether a submission stops the ladder: it was neither voided nor sent back. */
export const counts = (s: Submission) => s.voided === undefined && s.review?.state !== 'returned';

/** 待审核 / 已办结 / 退回, as the board shows the latest submission of a unit. */
export type ReviewState = 'pending' | 'accepted' | 'returned';
export const reviewStateOf = (s: Submission): ReviewState => s.review?.state ?? 'pending';

/** 延期申请 — a unit asks for its own date for one milestone; the reviewer or an admin decides. */
export interface ExtensionRequest {
  readonly plan: string;
  readonly milestone: string;
  readonly unit: string;
  /** 1, 2, … per unit and milestone; one open at a time. */
  readonly seq: number;
  /** The date asked for (YYYY-MM-DD). */
  readonly deadline: string;
  readonly reason: string;
  /** Epoch ms. */
  readonly at: number;
  readonly by: string;
  readonly decision?: {
    readonly state: 'approved' | 'rejected';
    /** The date granted, which may differ from the one asked for. */
    readonly deadline?: string;
    readonly reason?: string;
    readonly at: number;
    readonly by: string;
  };
}

/** A unit's own deadline for one milestone (an approved extension, a return, or an admin's). */
export interface UnitDeadline {
  readonly deadline: string;
  /** Moves each time this unit's date moves: a schedule made for an older one of this unit sends nothing. */
  readonly revision: number;
  readonly kind: 'extension' | 'return' | 'admin';
  /**
   * For a return: the deadline timeliness is still judged by (the one the unit had before), while the new
   * short date only drives the ladder.
   */
  readonly judgedBy?: string;
}

/** What dispatch reads: a milestone's submissions, to chase only the units that owe. */
export type SubmissionReader = Pick<SubmissionStore, 'listForMilestone'>;

export interface SubmissionStore {
  /**
   * Records `submission` as the unit's next one (its `seq` is assigned here), unless the unit already has one
   * that counts: then nothing is written and that one is returned. Two concurrent first submissions record one.
   */
  record(
    submission: Omit<Submission, 'seq'>,
  ): Promise<{ recorded: true; submission: Submission } | { recorded: false; existing: Submission }>;
  /** One consistent Query of the milestone's submissions, voided ones included, oldest first per unit. */
  listForMilestone(planId: string, milestoneId: string): Promise<Submission[]>;
  /** Marks one submission voided, if it still counts; false when it had been voided already. */
  void(planId: string, milestoneId: string, unit: string, seq: number, voiding: Voiding): Promise<boolean>;
  /** Records the review of one submission, if it was neither reviewed nor voided; false otherwise. */
  review(planId: string, milestoneId: string, unit: string, seq: number, review: Review): Promise<boolean>;
}

/** 延期申请 as the milestone's partition keeps them, beside its submissions. */
export interface ExtensionStore {
  /** Records a request as the unit's next one, unless one is still open: then that one is returned. */
  requestExtension(
    request: Omit<ExtensionRequest, 'seq'>,
  ): Promise<{ recorded: true; request: ExtensionRequest } | { recorded: false; open: ExtensionRequest }>;
  listExtensions(planId: string, milestoneId: string): Promise<ExtensionRequest[]>;
  /** Records the decision on an open request; false when it was decided already. */
  decideExtension(
    planId: string,
    milestoneId: string,
    unit: string,
    seq: number,
    decision: NonNullable<ExtensionRequest['decision']>,
  ): Promise<boolean>;
}

/** 签收 — a unit confirmed it received one notice. */
export interface Acknowledgement {
  readonly plan: string;
  readonly milestone: string;
  readonly unit: string;
  /** The notice, by its ledger identity within the milestone. */
  readonly notice: Pick<NoticeKey, 'stage' | 'occurrence' | 'unit' | 'role'>;
  /** Epoch ms. */
  readonly at: number;
  /** `link:<unit>:v<version>`. */
  readonly by: string;
}

/** 回执 — who a summoned unit sends to its 约谈 (约谈通知's receipt), filled in on its portal page. */
export interface Receipt {
  readonly plan: string;
  readonly milestone: string;
  readonly unit: string;
  /** 参加人员: name, post (职务) and phone of each. */
  readonly attendees: readonly ReceiptAttendee[];
  /** Epoch ms. */
  readonly at: number;
  /** `link:<unit>:v<version>`. */
  readonly by: string;
}
export interface ReceiptAttendee {
  readonly name: string;
  readonly post: string;
  readonly phone: string;
}

export interface ReceiptStore {
  /** Records the unit's 回执 for a milestone's 约谈; a later one replaces it (a correction before the day). */
  recordReceipt(receipt: Receipt): Promise<void>;
}

export interface AcknowledgementStore {
  /** Records the first acknowledgement of a notice by a unit; a repeat returns the first and writes nothing. */
  acknowledge(ack: Acknowledgement): Promise<{ recorded: boolean; acknowledgement: Acknowledgement }>;
  /** One Query: every acknowledgement of the milestone's notices. */
  listAcknowledgements(planId: string, milestoneId: string): Promise<Acknowledgement[]>;
  /** One consistent Query: the milestone's submissions and acknowledgements together (a page shows both). */
  listResponses(
    planId: string,
    milestoneId: string,
  ): Promise<{
    submissions: Submission[];
    acknowledgements: Acknowledgement[];
    extensions: ExtensionRequest[];
    /** The 约谈 回执 of the milestone's summoned units. */
    receipts: Receipt[];
  }>;
}

/**
 * Whom a notice is for, besides the unit it concerns: the unit itself, its supervisor (the escalation), its
 * head (the summons), every unit of the stage (`all`: the circular), or a partner (会同) of the milestone.
 */
export type RecipientRole = 'unit' | 'supervisor' | 'head' | 'all' | 'partner';

/** The identity of one notice: sending it twice is the failure this system exists to avoid. */
export interface NoticeKey {
  readonly plan: string;
  readonly milestone: string;
  /** The ladder stage, or the reply (办结, 退回, a decision on an extension) this notice is. */
  readonly stage: NoticeKind;
  /** Wall-clock fire time of the stage occurrence (YYYY-MM-DDTHH:mm:ss): a moved deadline owes new notices. */
  readonly occurrence: string;
  /** The unit the notice concerns; `*` for the circular naming all late units (`*1`, `*2`… when it goes in parts). */
  readonly unit: string;
  readonly role: RecipientRole;
}

/** What the ledger keeps of every notice (档案保存). */
export interface NoticeRecord extends NoticeKey {
  readonly state: 'claimed' | 'sent' | 'failed';
  readonly units: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  /**
   * The plain-text body as sent (档案保存), personal links taken out: the board shows it to people who must not
   * act as the unit. Absent on notices recorded before it was kept.
   */
  readonly text?: string;
  /** ISO with the plan's offset: the stage's fire time. */
  readonly fireAt: string;
  readonly attempts: number;
  readonly messageId?: string;
  /** Epoch ms. */
  readonly sentAt?: number;
  readonly claimedAt?: number;
  readonly error?: string;
  /** What SES did with it after accepting it (or `suppressed`: not handed to SES at all); absent until known. */
  readonly delivery?: DeliveryStatus;
  /** Epoch ms of the event that set `delivery`. */
  readonly deliveryAt?: number;
  /** A short reason for a failed delivery (bounce type and status code), without addresses. */
  readonly deliveryReason?: string;
  /** `unit#role` of each recipient whose address failed (a circular names several units). */
  readonly failedRecipients?: readonly string[];
  /** 发文字号, e.g. `江工信督〔2021〕12号`: the number the notice holds (the subject shows it). */
  readonly docNumber?: string;
  /** Its place in the series (the `{n}` of the number). */
  readonly docSeq?: number;
}

/**
 * 投递结果 — what became of a notice SES accepted: `delivered` to the recipient's server, `bounced`
 * (or rejected), `complained` (marked as spam), `suppressed` (the address is on the account's
 * suppression list: SES would drop it, so it is not sent), `delayed` (SES is still trying).
 */
export type DeliveryStatus = 'delivered' | 'bounced' | 'complained' | 'suppressed' | 'delayed';

/** The delivery statuses that mean a person was not reached. */
export const FAILED_DELIVERIES: readonly DeliveryStatus[] = ['bounced', 'complained', 'suppressed'];

/** What an SES event (or the suppression check) says about one notice. */
export interface DeliveryReport {
  readonly delivery: DeliveryStatus;
  /** Epoch ms of the event. */
  readonly at: number;
  /** Short, without addresses. */
  readonly reason?: string;
  /** `unit#role` of the recipients it concerns (failures only). */
  readonly failed: readonly string[];
}

/** What a claim writes besides its key: enough to show and audit the notice later. */
export type NoticeDetails = Pick<NoticeRecord, 'units' | 'to' | 'cc' | 'subject' | 'fireAt' | 'text'>;

export type ClaimResult =
  /**
   * This caller now owns the notice and must send it. A numbered claim says which number the notice holds:
   * the one it held already (a re-send), or the one the claim asked for.
   */
  | { readonly outcome: 'claimed'; readonly attempts: number; readonly doc?: NumberIntent }
  /** Already sent: nothing to do. */
  | { readonly outcome: 'sent' }
  /** Another invocation holds a fresh claim: it may still be sending. */
  | { readonly outcome: 'in-flight' };

/** A 文号 a notice is to carry: its place in the series and the number as printed. */
export interface NumberIntent {
  readonly seq: number;
  readonly docNumber: string;
}

/** One series of 文号: a plan's numbers of one issuing unit in one year. */
export interface DocSeries {
  readonly plan: string;
  /** The issuing unit. */
  readonly series: string;
  readonly year: number;
}

export interface NoticeLedger {
  /**
   * Claims a notice with a conditional write: succeeds if it was never claimed, failed, or claimed
   * longer than `leaseMs` ago (its sender died). With `intent`, the notice keeps the number it already
   * holds, or else holds `intent` (see dispatch/docNumbers.ts).
   */
  claim(
    key: NoticeKey,
    details: NoticeDetails,
    now: number,
    leaseMs: number,
    intent?: NumberIntent,
  ): Promise<ClaimResult>;
  /**
   * 发文登记 — the register of numbers taken, one entry per number with the notice that carries it.
   * The highest number taken in a series, 0 before the first.
   */
  lastDocNumber(series: DocSeries): Promise<number>;
  /**
   * Takes number `seq` of the series for the notice `owner` with a conditional write: true when it is now
   * the owner's (just taken, or taken by it before), false when another notice took it.
   */
  takeDocNumber(series: DocSeries, seq: number, owner: NoticeKey): Promise<boolean>;
  /**
   * Moves the number a claimed notice holds to `intent`, only while the claim made at `claimedAt` still
   * holds it; false when it does not (another sender has it now).
   */
  renumber(key: NoticeKey, claimedAt: number, intent: NumberIntent): Promise<boolean>;
  /** The register of one series, in number order. */
  listDocNumbers(series: DocSeries): Promise<{ readonly seq: number; readonly owner: NoticeKey }[]>;
  markSent(key: NoticeKey, messageId: string, now: number): Promise<void>;
  /**
   * Records a failed send, but only while the claim made at `claimedAt` still holds the notice: a
   * sender whose lease ran out must not release a notice another sender has since claimed.
   */
  markFailed(key: NoticeKey, error: string, now: number, claimedAt: number): Promise<void>;
  /** One Query: every notice of a milestone. */
  listForMilestone(planId: string, milestoneId: string): Promise<NoticeRecord[]>;
  /**
   * Records an SES event on the notice. A failure is kept (a later `delivered` of another recipient does
   * not hide it), `delivered` replaces only `delayed`, and `delayed` only nothing. Resolves with the
   * failed recipients the office has not been told of yet (empty for anything but a failure).
   */
  recordDelivery(key: NoticeKey, report: DeliveryReport): Promise<{ untold: string[] }>;
  /** Closes a claimed notice none of whose recipients could be reached (all suppressed), without SES. */
  markSuppressed(key: NoticeKey, report: DeliveryReport, claimedAt: number): Promise<void>;
  /** Notes that the office was told of these failed recipients, so a repeated event tells it once. */
  markOfficeTold(key: NoticeKey, recipients: readonly string[]): Promise<void>;
}

/**
 * 抑制名单 — the account's suppression list: SES drops mail to an address on it. Dispatch asks before
 * sending so that such a notice is reported, not silently lost.
 */
export interface SuppressionList {
  /** The addresses among `addresses` that are suppressed, each with a short reason (`BOUNCE`, `COMPLAINT`). */
  suppressed(addresses: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** An email ready to send. */
export interface OutgoingEmail {
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments?: readonly { filename: string; contentType: string; content: string }[];
  /** SES message tags (`[A-Za-z0-9_.@-]`): how SES events name the notice (see delivery/noticeTags.ts). */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Mailer {
  /** Sends one email; resolves with the provider's MessageId. Throws after its retries are exhausted. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/**
 * Where dispatch leaves the notices of a stage for the workers that send them (the fan-out): SQS on AWS,
 * an in-process queue in the simulation and the local stack. At least once: a notice may be delivered
 * twice, which the ledger claim makes harmless.
 */
export interface WorkQueue {
  /** Enqueues every notice, or throws a WorkQueueError saying how many were not (a retry is safe). */
  enqueue(notices: readonly NoticeWork[]): Promise<void>;
}

/** Some notices could not be enqueued; the dispatch invocation fails, and its retry enqueues the stage again. */
export class WorkQueueError extends Error {
  constructor(
    readonly failed: number,
    readonly total: number,
    options?: { cause?: unknown },
  ) {
    super(`${failed} of ${total} notices could not be enqueued`, options);
    this.name = 'WorkQueueError';
  }
}

/** The payload every schedule carries to the dispatch function. */
export interface SchedulePayload {
  readonly plan: string;
  readonly milestone: string;
  readonly stage: StageKind;
  readonly revision: number;
  /** For a unit's own ladder: that unit, and the revision of its date the schedule was made for. */
  readonly unit?: string;
  readonly unitRevision?: number;
  /**
   * Set only by an operator's `fire`: send this occurrence (wall-clock `YYYY-MM-DDTHH:mm:ss`) now, ahead of
   * its time. Schedules never carry it: they fire at their time and send the occurrence then due.
   */
  readonly occurrence?: string;
}

/** One one-time schedule, as reconcile wants it and as a schedule store holds it. */
export interface ScheduleSpec {
  /** Unique within the plan; valid for EventBridge Scheduler ([0-9a-zA-Z-_.], at most 64). */
  readonly name: string;
  readonly plan: string;
  /** Wall-clock `YYYY-MM-DDTHH:mm:ss` in `timezone` (what `at()` takes). */
  readonly at: string;
  readonly timezone: string;
  readonly payload: SchedulePayload;
}

export interface ScheduleStore {
  list(planId: string): Promise<ScheduleSpec[]>;
  create(spec: ScheduleSpec): Promise<void>;
  update(spec: ScheduleSpec): Promise<void>;
  delete(planId: string, name: string): Promise<void>;
}
