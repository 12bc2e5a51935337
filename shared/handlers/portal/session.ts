import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import type { MacSigner } from '../../domain/links/ports.js';
import { openToken, sealToken } from '../../domain/links/signedToken.js';
import { SLUG } from '../../domain/plan/stages.js';

/**
 * A unit's session in the portal: which unit of which plan, at which link version (a rotation ends it), when
 * it ends, and the token every form must post back (`_csrf`). It lives in an HttpOnly, SameSite=Strict
 * cookie, signed with the session key (not the link key): the portal can make sessions, never links.
 */
export interface UnitSession {
  readonly plan: string;
  readonly unit: string;
  readonly version: number;
  /** Epoch seconds. */
  readonly expires: number;
  readonly csrf: string;
}

/** Hours, not days: a forwarded or left-open browser stops working the same day. */
export const SESSION_HOURS = 8;

const slug = z.string().check(z.maxLength(40), z.regex(SLUG));
const sessionSchema = z.strictObject({
  v: z.literal(1),
  pu: z.literal('session'),
  p: slug,
  u: slug,
  lv: z.int().check(z.minimum(1)),
  x: z.int(),
  c: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
});

export async function startSession(
  signer: MacSigner,
  who: { plan: string; unit: string; version: number },
  now: number,
): Promise<{ session: UnitSession; cookie: string }> {
  const session: UnitSession = {
    ...who,
    expires: Math.floor(now / 1000) + SESSION_HOURS * 3600,
    csrf: randomBytes(16).toString('base64url'),
  };
  const cookie = await sealToken(signer, {
    v: 1,
    pu: 'session',
    p: session.plan,
    u: session.unit,
    lv: session.version,
    x: session.expires,
    c: session.csrf,
  });
  return { session, cookie };
}

/** The session a cookie holds, if it is genuine and not expired. */
export async function readSession(
  signer: MacSigner,
  cookie: string | undefined,
  now: number,
): Promise<UnitSession | undefined> {
  if (!cookie) return undefined;
  const parsed = sessionSchema.safeParse(await openToken(signer, cookie));
  if (!parsed.success) return undefined;
  const s = parsed.data;
  if (now >= s.x * 1000) return undefined;
  return { plan: s.p, unit: s.u, version: s.lv, expires: s.x, csrf: s.c };
}

/** Whether a form's `_csrf` is the session's, compared in constant time. */
export function csrfMatches(session: UnitSession, posted: unknown): boolean {
  if (typeof posted !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(posted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The cookie's name: `__Host-` (Secure, whole host, path /) where the portal is served over HTTPS. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-duban' : 'duban');
