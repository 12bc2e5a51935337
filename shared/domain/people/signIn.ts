import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import type { MacSigner } from '../links/ports.js';
import { openToken, sealToken } from '../links/signedToken.js';
import type { Log } from '../log.js';
import type { CalendarStore, Clock, Mailer } from '../ports.js';
import { hasAnyRole, rolesOf } from './roles.js';

/** A person's emailed sign-in link as stored: single use, 15 minutes; once used, the session it opened. */
export interface SignInRecord {
  readonly id: string;
  readonly email: string;
  /** Epoch ms: the link is refused from then on. */
  readonly expires: number;
  readonly createdAt: number;
  /** When the link was used (it cannot be used again). */
  readonly usedAt?: number;
  /** When the session it opened was ended (退出); the session is refused from then on. */
  readonly endedAt?: number;
}

/** 登录链接 and sessions of people (the office, supervisors, heads, reviewers). */
export interface SignInStore {
  /**
   * Counts one more link sent to an address (by its hash) in a window; false, counting nothing, when `limit`
   * were sent already. A conditional update: concurrent requests cannot all pass.
   */
  countSignIn(addressHash: string, window: number, limit: number): Promise<boolean>;
  createSignIn(record: SignInRecord): Promise<void>;
  /**
   * Marks the link used if it exists, is unused and has not expired — one conditional write, so of two
   * concurrent clicks exactly one gets the record; the other (and any later one) gets undefined.
   */
  useSignIn(id: string, now: number): Promise<SignInRecord | undefined>;
  getSignIn(id: string): Promise<SignInRecord | undefined>;
  endSignIn(id: string, now: number): Promise<void>;
}

/** Minutes a sign-in link stays valid. */
export const SIGN_IN_MINUTES = 15;
/** Links one address may be sent per window of SIGN_IN_MINUTES. */
export const SIGN_INS_PER_WINDOW = 3;
/** Hours a person's session lasts (a working day, as a unit's). */
export const STAFF_SESSION_HOURS = 8;

export interface SignInDeps {
  readonly calendar: Pick<CalendarStore, 'listPlans' | 'loadPlan'>;
  readonly signIns: SignInStore;
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** The staff key: signs sign-in links and sessions (never a unit's link key). */
  readonly signer: MacSigner;
  /** Where the link points (the portal's origin). */
  readonly baseUrl: string;
  readonly log: Log;
}

export type SignInRequest = 'sent' | 'unknown' | 'limited';

const EMAIL = z.email();
export const isEmail = (text: string) => text.length <= 254 && EMAIL.safeParse(text).success;

const hashOf = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);

/**
 * 申请登录链接: when the address belongs to a person of some plan (an admin, a supervisor, a head, a recipient
 * unit), a single-use link valid 15 minutes is mailed to it. The caller answers the same whatever the outcome,
 * so the page never tells whether an address is known. At most three links per address per 15 minutes.
 */
export async function requestSignIn(deps: SignInDeps, emailInput: string): Promise<SignInRequest> {
  const email = emailInput.trim().toLowerCase();
  const now = deps.clock.now();
  const known = await Promise.all(
    (await deps.calendar.listPlans()).map(async (id) => {
      const plan = await deps.calendar.loadPlan(id);
      return plan !== undefined && hasAnyRole(rolesOf(plan, email));
    }),
  );
  if (!known.some(Boolean)) {
    deps.log.info('sign-in requested for an address with no role');
    return 'unknown';
  }
  const window = Math.floor(now / (SIGN_IN_MINUTES * 60_000));
  if (!(await deps.signIns.countSignIn(hashOf(email), window, SIGN_INS_PER_WINDOW))) {
    deps.log.warn('sign-in links limited for an address');
    return 'limited';
  }
  const record: SignInRecord = {
    id: randomBytes(18).toString('base64url'),
    email,
    expires: now + SIGN_IN_MINUTES * 60_000,
    createdAt: now,
  };
  await deps.signIns.createSignIn(record);
  const token = await sealToken(deps.signer, {
    v: 1,
    pu: 'signin',
    i: record.id,
    x: Math.floor(record.expires / 1000),
  });
  const link = `${deps.baseUrl.replace(/\/+$/, '')}/login/${token}`;
  await deps.mailer.send({
    to: [email],
    cc: [],
    subject: '督办系统登录链接',
    text: [
      '您好：',
      '',
      `请在 ${SIGN_IN_MINUTES} 分钟内打开以下链接，登录督办系统（链接仅可使用一次）：`,
      link,
      '',
      '如非本人操作，请忽略本邮件。本邮件由督办系统自动发送，请勿回复。',
    ].join('\n'),
    html: `<p>您好：</p><p>请在 ${SIGN_IN_MINUTES} 分钟内打开以下链接，登录督办系统（链接仅可使用一次）：</p><p><a href="${link}">${link}</a></p><p>如非本人操作，请忽略本邮件。本邮件由督办系统自动发送，请勿回复。</p>`,
  });
  deps.log.info('sign-in link sent');
  return 'sent';
}

const linkClaims = z.strictObject({ v: z.literal(1), pu: z.literal('signin'), i: z.string(), x: z.int() });

/** The link's id if its MAC holds and it has not expired (opening it changes nothing: mail scanners prefetch). */
export async function readSignInLink(signer: MacSigner, token: string, now: number): Promise<string | undefined> {
  const parsed = linkClaims.safeParse(await openToken(signer, token));
  if (!parsed.success || now >= parsed.data.x * 1000) return undefined;
  return parsed.data.i;
}

/** A signed-in person's session, as the cookie and the store hold it. */
export interface StaffSession {
  /** The sign-in it came from: ending it ends the session everywhere. */
  readonly id: string;
  readonly email: string;
  /** Epoch seconds. */
  readonly expires: number;
  readonly csrf: string;
}

const sessionClaims = z.strictObject({
  v: z.literal(1),
  pu: z.literal('staff'),
  i: z.string(),
  x: z.int(),
  c: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
});

/**
 * 确认登录: uses the link (a conditional write: two concurrent clicks open one session) and seals the session
 * cookie. Undefined for a link that is forged, expired, or used already.
 */
export async function confirmSignIn(
  deps: Pick<SignInDeps, 'signIns' | 'signer' | 'clock' | 'log'>,
  token: string,
): Promise<{ session: StaffSession; cookie: string } | undefined> {
  const now = deps.clock.now();
  const id = await readSignInLink(deps.signer, token, now);
  const used = id === undefined ? undefined : await deps.signIns.useSignIn(id, now);
  if (!used) {
    deps.log.info('sign-in link refused');
    return undefined;
  }
  const session: StaffSession = {
    id: used.id,
    email: used.email,
    expires: Math.floor(now / 1000) + STAFF_SESSION_HOURS * 3600,
    csrf: randomBytes(16).toString('base64url'),
  };
  const cookie = await sealToken(deps.signer, {
    v: 1,
    pu: 'staff',
    i: session.id,
    x: session.expires,
    c: session.csrf,
  });
  deps.log.info('signed in');
  return { session, cookie };
}

/** The person a session cookie stands for: genuine, not expired, and not ended (退出) since. */
export async function readStaffSession(
  deps: Pick<SignInDeps, 'signIns' | 'signer'>,
  cookie: string | undefined,
  now: number,
): Promise<StaffSession | undefined> {
  if (!cookie) return undefined;
  const parsed = sessionClaims.safeParse(await openToken(deps.signer, cookie));
  if (!parsed.success || now >= parsed.data.x * 1000) return undefined;
  const record = await deps.signIns.getSignIn(parsed.data.i);
  if (!record || record.usedAt === undefined || record.endedAt !== undefined) return undefined;
  return { id: record.id, email: record.email, expires: parsed.data.x, csrf: parsed.data.c };
}

/** Whether a form's `_csrf` is the session's, compared in constant time. */
export function staffCsrfMatches(session: StaffSession, posted: unknown): boolean {
  if (typeof posted !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(posted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who a change made in the console is by, in the audit trail: the signed-in person. */
export const staffAuthor = (session: Pick<StaffSession, 'email'>) => `web:${session.email}`;
