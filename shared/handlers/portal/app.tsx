import { type Env, Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { loggableError } from '../../domain/redact.js';
import { PORTAL_CSS } from '../../web/assets/portalCss.js';
import { UPLOAD_JS } from '../../web/assets/uploadJs.js';
import { ErrorPage, ForbiddenPage, HomePage, NotFoundPage } from '../../web/pages/messagePages.js';
import type { OfficeDeps } from '../office/deps.js';
import { registerOfficeRoutes } from '../office/officeRoutes.js';
import type { PortalDeps, PortalEnv } from './deps.js';
import { registerExitRoutes } from './exitRoutes.js';
import { registerLinkRoutes } from './linkRoutes.js';
import { registerReceiptRoutes } from './receiptRoutes.js';
import { registerReviewRoutes } from './reviewRoutes.js';
import { registerSubmitRoutes } from './submitRoutes.js';
import { registerUnitRoutes } from './unitRoutes.js';

/**
 * 督办门户 — the web app units reach from the link in their email: one Hono app, behind API Gateway on AWS
 * and a local HTTP server in `npm run local`. Server-rendered HTML that works without a script; every
 * response carries a strict CSP (only 'self', and the upload store for forms), no referrer, no framing; no
 * page is cached on the way; every POST carries the session's `_csrf` and comes from the portal's origin.
 */
export function makePortalApp(deps: PortalDeps, office?: OfficeDeps): Hono<PortalEnv> {
  return makeWebShell<PortalEnv>(deps, (app) => {
    // Locally one server serves the office's pages too (first: its /logout ends either session); on AWS they
    // are a function of their own (functions/office.ts) with its own rights.
    if (office) registerOfficeRoutes(app, office);
    registerLinkRoutes(app, deps);
    registerUnitRoutes(app, deps);
    registerSubmitRoutes(app, deps);
    registerReviewRoutes(app, deps);
    registerReceiptRoutes(app, deps);
    registerExitRoutes(app, deps);
  });
}

/** What every page of the web app shares: headers, the origin check, assets, the home page, error pages. */
export type WebDeps = Pick<PortalDeps, 'publicUrl' | 'uploadOrigin' | 'secureCookies' | 'log'>;

/** The web app around `register`'s routes: the same shell for the units' portal and the office's pages. */
export function makeWebShell<E extends Env>(deps: WebDeps, register: (app: Hono<E>) => void): Hono<E> {
  const app = new Hono<E>();
  const origin = new URL(deps.publicUrl).origin;
  const upload = new URL(deps.uploadOrigin).origin;

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", upload],
        connectSrc: ["'self'", upload],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      strictTransportSecurity: deps.secureCookies ? 'max-age=31536000; includeSubDomains' : false,
    }),
  );
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });
  // A cross-site POST is refused before any route: Origin (or Sec-Fetch-Site) must be the portal's own.
  app.use(csrf({ origin }));

  app.get('/assets/portal.css', (c) =>
    c.body(PORTAL_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );
  app.get('/assets/upload.js', (c) =>
    c.body(UPLOAD_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );
  app.get('/', (c) => c.html(<HomePage />));

  register(app);

  app.notFound((c) => c.html(<NotFoundPage />, 404));
  app.onError((error, c) => {
    // A refusal a middleware raised (a cross-site form, a body it cannot read): the page that says so.
    if (error instanceof HTTPException) return c.html(<ForbiddenPage />, error.status === 403 ? 403 : 400);
    const requestId = c.req.header('x-amzn-requestid') ?? crypto.randomUUID().slice(0, 8);
    // The route pattern, never the path: a link's token is in the path of /u/….
    deps.log.error('portal request failed', { route: c.req.routePath, requestId, error: loggableError(error) });
    return c.html(<ErrorPage requestId={requestId} />, 500);
  });
  return app;
}
