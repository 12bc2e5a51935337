import type { Context, Hono } from 'hono';
import { UnknownReferenceError } from '../../domain/errors.js';
import { linkAuthor } from '../../domain/links/unitLink.js';
import { unitOverview } from '../../domain/portal/unitOverview.js';
import { acknowledgeNotice } from '../../domain/submissions/acknowledge.js';
import { ForbiddenPage, NotFoundPage, SignedOutPage } from '../../web/pages/messagePages.js';
import { UnitPage } from '../../web/pages/unitPage.js';
import type { PortalDeps, PortalEnv } from './deps.js';
import { readCookie } from './linkRoutes.js';
import { csrfMatches, readSession } from './session.js';

/** Confirmations a redirect may ask the page to show: fixed words, never text from the address. */
const FLASH: Record<string, string> = { ack: '已签收。', submitted: '已报送。' };

export const unitPath = (plan: string, unit: string) => `/plans/${plan}/units/${unit}`;

/**
 * Everything under `/plans/<plan>/units/<unit>` needs that unit's session: none (or a lapsed one, or one
 * from before the link was rotated) is asked to use the link again; another unit's is refused.
 */
export function registerUnitRoutes(app: Hono<PortalEnv>, deps: PortalDeps): void {
  const guard = async (c: Context<PortalEnv>, next: () => Promise<void>) => {
    const session = await readSession(deps.sessionSigner, readCookie(c, deps), deps.clock.now());
    if (!session) return c.html(<SignedOutPage />, 401);
    if (session.plan !== c.req.param('plan') || session.unit !== c.req.param('unit')) {
      return c.html(<ForbiddenPage />, 403);
    }
    const plan = await deps.calendar.loadPlan(session.plan);
    const unit = plan?.units.find((u) => u.id === session.unit);
    if (!plan || !unit || (plan.linkVersions?.[unit.id] ?? 1) !== session.version) {
      return c.html(<SignedOutPage />, 401);
    }
    if (c.req.method === 'POST' && !csrfMatches(session, (await c.req.parseBody())._csrf)) {
      return c.html(<ForbiddenPage />, 403);
    }
    c.set('unit', { session, plan, unit });
    await next();
  };
  app.use('/plans/:plan/units/:unit', guard);
  app.use('/plans/:plan/units/:unit/*', guard);

  app.get('/plans/:plan/units/:unit', async (c) => {
    const { plan, unit, session } = c.var.unit;
    const views = await unitOverview(deps, plan, unit.id, deps.clock.now());
    const flash = FLASH[c.req.query('done') ?? ''];
    return c.html(<UnitPage plan={plan} unit={unit} views={views} csrf={session.csrf} {...(flash ? { flash } : {})} />);
  });

  /** 签收 one notice of one of the unit's milestones. */
  app.post('/plans/:plan/units/:unit/acknowledge', async (c) => {
    const { plan, unit, session } = c.var.unit;
    const body = await c.req.parseBody();
    const milestone = plan.milestones.find((m) => m.id === body.milestone && m.responsible.includes(unit.id));
    if (!milestone || typeof body.notice !== 'string') return c.html(<NotFoundPage />, 404);
    try {
      await acknowledgeNotice(
        deps,
        { plan: plan.id, milestone: milestone.id, unit: unit.id, notice: body.notice },
        linkAuthor(session),
      );
    } catch (error) {
      if (error instanceof UnknownReferenceError) return c.html(<NotFoundPage />, 404);
      throw error;
    }
    return c.redirect(`${unitPath(plan.id, unit.id)}?done=ack#m-${milestone.id}`, 303);
  });
}
