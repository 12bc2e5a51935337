import { type Context, type Env, Hono, type Next } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { describeRoles, hasAnyRole, rolesOf } from '../../domain/people/roles.js';
import {
  confirmSignIn,
  isEmail,
  readSignInLink,
  readStaffSession,
  requestSignIn,
  STAFF_SESSION_HOURS,
  type StaffSession,
  staffCsrfMatches,
} from '../../domain/people/signIn.js';
import { OFFICE_CSS } from '../../web/assets/officeCss.js';
import {
  ConfirmLoginPage,
  LoginPage,
  LoginRefusedPage,
  LoginSentPage,
  PlansPage,
  TooManySignInsPage,
} from '../../web/pages/loginPages.js';
import { ForbiddenPage, NotFoundPage, SignedOutDonePage } from '../../web/pages/messagePages.js';
import { sessionCookieName } from '../portal/session.js';
import { registerBoardRoutes } from './boardRoutes.js';
import { registerConsoleRoutes } from './consoleRoutes.js';
import { type OfficeDeps, type OfficeEnv, staffCookieName } from './deps.js';

/**
 * The office's pages — sign-in, the board (督办看板) and the console (督办办公室工作台) — as routes of their own app,
 * mounted on the web shell: locally beside the units' portal, on AWS in the office function.
 */
export function registerOfficeRoutes<E extends Env>(app: Hono<E>, deps: OfficeDeps): void {
  app.route('/', officeRoutes(deps));
}

export function officeRoutes(deps: OfficeDeps): Hono<OfficeEnv> {
  const app = new Hono<OfficeEnv>();
  const cookie = staffCookieName(deps.secureCookies);
  const session = (c: Context) =>
    readStaffSession({ signIns: deps.signIns, signer: deps.staffSigner }, getCookie(c, cookie), deps.clock.now());

  app.get('/assets/office.css', (c) =>
    c.body(OFFICE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );

  app.get('/login', (c) => c.html(<LoginPage />));

  app.post('/login', async (c) => {
    const now = deps.clock.now();
    const client = deps.clientIp(c) ?? 'unknown';
    if (deps.signInLimiter.blocked(client, now)) return c.html(<TooManySignInsPage />, 429);
    deps.signInLimiter.fail(client, now);
    const body = await c.req.parseBody();
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    if (!isEmail(email)) {
      const message = email === '' ? '请填写电子邮箱' : '请填写有效的电子邮箱，如 name@example.gov.cn';
      return c.html(<LoginPage email={email} errors={[{ field: 'email', message }]} />, 400);
    }
    // The same page whatever happened: an address is neither confirmed nor denied.
    await requestSignIn(
      {
        calendar: deps.calendar,
        signIns: deps.signIns,
        mailer: deps.mailer,
        clock: deps.clock,
        signer: deps.staffSigner,
        baseUrl: deps.publicUrl,
        log: deps.log,
      },
      email,
    );
    return c.html(<LoginSentPage />);
  });

  /** Opening the emailed link changes nothing (mail scanners prefetch): it asks for the click that signs in. */
  app.get('/login/:token', async (c) => {
    const id = await readSignInLink(deps.staffSigner, c.req.param('token'), deps.clock.now());
    const used = id === undefined ? undefined : await deps.signIns.getSignIn(id);
    if (!used || used.usedAt !== undefined) return c.html(<LoginRefusedPage />, 403);
    return c.html(<ConfirmLoginPage token={c.req.param('token')} />);
  });

  app.post('/login/confirm', async (c) => {
    const body = await c.req.parseBody();
    const out =
      typeof body.token === 'string' && body.token.length <= 700
        ? await confirmSignIn({ ...deps, signer: deps.staffSigner }, body.token)
        : undefined;
    if (!out) return c.html(<LoginRefusedPage />, 403);
    setCookie(c, cookie, out.cookie, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.secureCookies,
      path: '/',
      maxAge: STAFF_SESSION_HOURS * 3600,
      ...(deps.secureCookies ? { prefix: 'host' as const } : {}),
    });
    return c.redirect('/plans', 303);
  });

  /**
   * 退出: ends a person's session for good (the sign-in is marked ended: the cookie no longer opens anything,
   * wherever it was copied) and clears a unit's session cookie too. The Origin check guards every POST.
   */
  app.post('/logout', async (c) => {
    const staff = await session(c);
    const body = await c.req.parseBody();
    if (staff && !staffCsrfMatches(staff, body._csrf)) return c.html(<ForbiddenPage />, 403);
    if (staff) await deps.signIns.endSignIn(staff.id, deps.clock.now());
    deleteCookie(c, cookie, { path: '/', secure: deps.secureCookies });
    deleteCookie(c, sessionCookieName(deps.secureCookies), { path: '/', secure: deps.secureCookies });
    return c.html(<SignedOutDonePage />);
  });

  app.get('/plans', async (c) => {
    const staff = await session(c);
    if (!staff) return c.redirect('/login', 303);
    const plans = [];
    for (const id of await deps.calendar.listPlans()) {
      const plan = await deps.calendar.loadPlan(id);
      const roles = plan && rolesOf(plan, staff.email);
      if (plan && roles && hasAnyRole(roles)) plans.push({ id, title: plan.title, roles: describeRoles(roles) });
    }
    if (plans.length === 1) return c.redirect(`/plans/${plans[0]?.id}`, 303);
    return c.html(<PlansPage email={staff.email} csrf={staff.csrf} plans={plans} />);
  });

  /** A plan's office pages need a person of that plan; the console, one of its admins. */
  const guard = (adminOnly: boolean) => async (c: Context<OfficeEnv>, next: Next) => {
    const staff: StaffSession | undefined = await session(c);
    if (!staff) return c.redirect('/login', 303);
    const plan = await deps.calendar.loadPlan(c.req.param('plan') ?? '');
    if (!plan) return c.html(<NotFoundPage />, 404);
    const roles = rolesOf(plan, staff.email);
    if (!hasAnyRole(roles) || (adminOnly && !roles.admin)) return c.html(<ForbiddenPage />, 403);
    if (c.req.method === 'POST' && !staffCsrfMatches(staff, (await c.req.parseBody())._csrf)) {
      return c.html(<ForbiddenPage />, 403);
    }
    c.set('person', { session: staff, plan, roles });
    await next();
  };
  app.use('/plans/:plan', guard(false));
  app.use('/plans/:plan/export.xlsx', guard(false));
  app.use('/plans/:plan/export.csv', guard(false));
  app.use('/plans/:plan/console', guard(true));
  app.use('/plans/:plan/console/*', guard(true));

  registerBoardRoutes(app, deps);
  registerConsoleRoutes(app, deps);
  return app;
}
