import type { Context } from 'hono';
import type { ExitLedger } from '../../domain/exits/types.js';
import type { LinkVersions, MacSigner } from '../../domain/links/ports.js';
import type { PortalLinks } from '../../domain/links/unitLink.js';
import type { Log } from '../../domain/log.js';
import type { Roles } from '../../domain/people/roles.js';
import type { SignInStore, StaffSession } from '../../domain/people/signIn.js';
import type {
  AcknowledgementStore,
  CalendarStore,
  Clock,
  ExtensionStore,
  Mailer,
  NoticeLedger,
  ScheduleStore,
  StoredPlan,
  SubmissionStore,
  SuppressionList,
} from '../../domain/ports.js';
import type { FailureLimiter } from '../portal/limiter.js';

/**
 * What the office's pages run on (the board, the console, sign-in): more than the units' portal may have —
 * calendar edits and schedules, the mailer for sign-in links and answers, the link key to mint units' links —
 * which is why on AWS they are a function of their own.
 */
export interface OfficeDeps {
  readonly calendar: CalendarStore & LinkVersions;
  readonly submissions: SubmissionStore & AcknowledgementStore & ExtensionStore;
  readonly ledger: NoticeLedger;
  /** The exit ledger's items, read for the board of a plan that keeps one. */
  readonly exits: Pick<ExitLedger, 'listItems'>;
  readonly schedules: ScheduleStore;
  readonly signIns: SignInStore;
  readonly mailer: Mailer;
  readonly suppression?: SuppressionList;
  /** Signs people's sign-in links and sessions: a key of its own, never the units' link or session key. */
  readonly staffSigner: MacSigner;
  /** Mints units' links (a resent link, the answers to reviews). */
  readonly portal: PortalLinks;
  readonly clock: Clock;
  readonly log: Log;
  readonly publicUrl: string;
  readonly secureCookies: boolean;
  /** Sign-in requests per client (the per-address limit is in the table). */
  readonly signInLimiter: FailureLimiter;
  readonly clientIp: (c: Context) => string | undefined;
}

/** What the staff guard leaves for a plan's routes. */
export interface PersonContext {
  readonly session: StaffSession;
  readonly plan: StoredPlan;
  readonly roles: Roles;
}

export type OfficeEnv = { Variables: { person: PersonContext } };

/** The staff session cookie: `__Host-` over HTTPS; apart from a unit's (a person may hold both). */
export const staffCookieName = (secure: boolean) => (secure ? '__Host-duban-staff' : 'duban-staff');
