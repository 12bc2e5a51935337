import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { checkUnitLink, type UnitLinkClaims } from '../../domain/links/unitLink.js';
import { LinkExpiredPage, LinkRefusedPage, SignedOutDonePage, TooManyPage } from '../../web/pages/messagePages.js';
import type { PortalDeps, PortalEnv } from './deps.js';
import { csrfMatches, readSession, SESSION_HOURS, sessionCookieName, startSession } from './session.js';

/**
 * Opening a unit's link: a GET that changes nothing on the server (mail scanners prefetch links). A genuine
 * link becomes a session cookie and a redirect to the unit's page, so the token leaves the address bar and
 * the history at once. Every refusal looks the same; an expired link says how to get a new one.
 */
export function registerLinkRoutes(app: Hono<PortalEnv>, deps: PortalDeps): void {
  const cookieName = sessionCookieName(deps.secureCookies);

  app.get('/u/:token', (c) =>
    openUnitLink(c, deps, c.req.param('token'), (claims) => `/plans/${claims.plan}/units/${claims.unit}`),
  );

  /** Ends the session here and now (a shared computer). The form carries the session's token like any other. */
  app.post('/logout', async (c) => {
    const session = await readSession(deps.sessionSigner, readCookie(c, deps), deps.clock.now());
    const body = await c.req.parseBody();
    if (session && !csrfMatches(session, body._csrf)) return c.html(<SignedOutDonePage />, 403);
    deleteCookie(c, cookieName, { path: '/', secure: deps.secureCookies });
    return c.html(<SignedOutDonePage />);
  });
}

/**
 * Opens a unit's link: a genuine one becomes the session cookie and a redirect to `destination` (the unit's
 * page, or a page of its own such as its 回执), without the token; every refusal looks the same.
 */
export async function openUnitLink(
  c: Context<PortalEnv>,
  deps: PortalDeps,
  token: string,
  destination: (claims: UnitLinkClaims) => string,
) {
  const now = deps.clock.now();
  const client = deps.clientIp(c) ?? 'unknown';
  if (deps.badLinks.blocked(client, now)) return c.html(<TooManyPage />, 429);
  const check = await checkUnitLink({ signer: deps.linkSigner, links: deps.links }, token, now);
  const plan = check.status === 'refused' ? undefined : await deps.calendar.loadPlan(check.claims.plan);
  const unit = check.status === 'refused' ? undefined : plan?.units.find((u) => u.id === check.claims.unit);
  if (check.status === 'refused' || !unit) {
    deps.badLinks.fail(client, now);
    deps.log.info('portal link refused', { route: c.req.routePath });
    return c.html(<LinkRefusedPage />, 403);
  }
  if (check.status === 'expired') return c.html(<LinkExpiredPage />, 410);
  const { cookie } = await startSession(deps.sessionSigner, check.claims, now);
  setCookie(c, sessionCookieName(deps.secureCookies), cookie, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: deps.secureCookies,
    path: '/',
    maxAge: SESSION_HOURS * 3600,
    ...(deps.secureCookies ? { prefix: 'host' as const } : {}),
  });
  deps.log.info('portal link opened', { plan: check.claims.plan, unit: check.claims.unit });
  return c.redirect(destination(check.claims), 303);
}

/** The session cookie as the browser sent it. */
export function readCookie(c: Parameters<typeof getCookie>[0], deps: Pick<PortalDeps, 'secureCookies'>) {
  return getCookie(c, sessionCookieName(deps.secureCookies));
}
