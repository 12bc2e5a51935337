import type { Context } from 'hono';
import type { AttachmentStore } from '../../domain/attachments/ports.js';
import type { SheetCodec } from '../../domain/exits/sheets.js';
import type { ExitLedger } from '../../domain/exits/types.js';
import type { LinkVersions, MacSigner } from '../../domain/links/ports.js';
import type { PortalLinks } from '../../domain/links/unitLink.js';
import type { Log } from '../../domain/log.js';
import type { Unit } from '../../domain/plan/schema.js';
import type {
  AcknowledgementStore,
  CalendarStore,
  Clock,
  ExtensionStore,
  Mailer,
  NoticeLedger,
  ReceiptStore,
  ScheduleStore,
  StoredPlan,
  SubmissionStore,
  SuppressionList,
} from '../../domain/ports.js';
import type { FailureLimiter } from './limiter.js';
import type { UnitSession } from './session.js';

/** What the portal runs on: the same in Lambda and in `npm run local`; only the adapters differ. */
export interface PortalDeps {
  readonly calendar: CalendarStore;
  readonly links: LinkVersions;
  readonly submissions: SubmissionStore & AcknowledgementStore & ExtensionStore & ReceiptStore;
  readonly ledger: NoticeLedger;
  /** The exit ledger (退出台账) a district keeps here, and the reader of the files it imports. */
  readonly exits: ExitLedger;
  readonly sheets: SheetCodec;
  readonly attachments: AttachmentStore;
  /** Checks unit links. */
  readonly linkSigner: MacSigner;
  /**
   * The answers a reviewer gives (办结, 退回, decisions on 延期申请) go to the unit with its link: minted with
   * the link key (`kms:GenerateMac` on AWS), sent through the same claim → SES → record as every notice.
   */
  readonly portal: PortalLinks;
  readonly mailer: Mailer;
  readonly suppression?: SuppressionList;
  /**
   * How the schedules follow a unit's new date (a return, an approved extension): reconciled here
   * (`schedules`, the local portal) or asked of the reconcile function (`requestReconcile`, on AWS, so
   * the public-facing portal never writes schedules itself).
   */
  readonly schedules?: ScheduleStore;
  readonly requestReconcile?: (plan: string) => Promise<void>;
  /** Signs and checks sessions (a key of its own). */
  readonly sessionSigner: MacSigner;
  readonly clock: Clock;
  readonly log: Log;
  /** The portal's own origin (`https://duban.example.gov.cn`): forms must come from it, uploads return to it. */
  readonly publicUrl: string;
  /** The origin uploads are posted to (the bucket, or the local S3 stand-in): allowed by the CSP. */
  readonly uploadOrigin: string;
  /** Whether the portal is served over HTTPS (Secure, `__Host-` cookies). */
  readonly secureCookies: boolean;
  readonly badLinks: FailureLimiter;
  /** The client's address as the runtime knows it (API Gateway's source IP, the socket's locally). */
  readonly clientIp: (c: Context) => string | undefined;
}

/** What the session middleware leaves for the unit's routes. */
export interface UnitContext {
  readonly session: UnitSession;
  readonly plan: StoredPlan;
  readonly unit: Unit;
}

export type PortalEnv = { Variables: { unit: UnitContext } };
