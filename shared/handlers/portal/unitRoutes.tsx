import type { Context, Hono } from 'hono';
import { RuleRefusedError, UnknownReferenceError } from '../../domain/errors.js';
import { linkAuthor } from '../../domain/links/unitLink.js';
import { pendingCount, reviewQueue } from '../../domain/portal/reviewQueue.js';
import { unitOverview } from '../../domain/portal/unitOverview.js';
import { requestExtension } from '../../domain/review/extensions.js';
import { acknowledgeNotice } from '../../domain/submissions/acknowledge.js';
import type { FieldError } from '../../web/components.js';
import { ForbiddenPage, NotFoundPage, SignedOutPage } from '../../web/pages/messagePages.js';
import type { ExtensionFormState } from '../../web/pages/unitMilestoneParts.js';
import { UnitPage } from '../../web/pages/unitPage.js';
import type { PortalDeps, PortalEnv } from './deps.js';
import { readCookie } from './linkRoutes.js';
import { csrfMatches, readSession } from './session.js';

/** Confirmations a redirect may ask the page to show: fixed words, never text from the address. */
const FLASH: Record<string, string> = {
  ack: '已签收。',
  submitted: '已报送。',
  extension: '延期申请已提交，审批结果将以邮件告知。',
};

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

  const renderPage = async (c: Context<PortalEnv>, extensionForm?: ExtensionFormState) => {
    const { plan, unit, session } = c.var.unit;
    const views = await unitOverview(deps, plan, unit.id, deps.clock.now());
    const reviews = plan.milestones.some((m) => m.recipient === unit.id)
      ? pendingCount(await reviewQueue(deps, plan, unit.id))
      : undefined;
    const flash = extensionForm ? undefined : FLASH[c.req.query('done') ?? ''];
    return c.html(
      <UnitPage
        plan={plan}
        unit={unit}
        views={views}
        csrf={session.csrf}
        {...(flash ? { flash } : {})}
        {...(extensionForm ? { extensionForm } : {})}
        {...(reviews !== undefined ? { toReview: reviews } : {})}
      />,
      extensionForm ? 422 : 200,
    );
  };

  app.get('/plans/:plan/units/:unit', (c) => renderPage(c));

  /** 延期申请 for one of the unit's milestones: refused ones come back with what was typed and why. */
  app.post('/plans/:plan/units/:unit/milestones/:milestone/extension', async (c) => {
    const { plan, unit, session } = c.var.unit;
    const milestone = plan.milestones.find((m) => m.id === c.req.param('milestone') && m.responsible.includes(unit.id));
    if (!milestone) return c.html(<NotFoundPage />, 404);
    const body = await c.req.parseBody();
    const values = {
      deadline: typeof body.deadline === 'string' ? body.deadline.trim() : '',
      reason: typeof body.reason === 'string' ? body.reason.trim().slice(0, 500) : '',
    };
    const field = (name: string) => `ext-${milestone.id}-${name}`;
    const errors: FieldError[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.deadline)) {
      errors.push({ field: field('deadline'), message: '请选择申请延至的日期（年-月-日）。' });
    }
    if (!values.reason) errors.push({ field: field('reason'), message: '请填写申请延期的理由。' });
    const refuse = (list: FieldError[]) => renderPage(c, { milestone: milestone.id, values, errors: list });
    if (errors.length > 0) return refuse(errors);
    try {
      await requestExtension(
        deps,
        { plan: plan.id, milestone: milestone.id, unit: unit.id, deadline: values.deadline, reason: values.reason },
        linkAuthor(session),
      );
    } catch (error) {
      if (!(error instanceof RuleRefusedError)) throw error;
      return refuse([{ field: field('deadline'), message: error.zh ?? '延期申请未能提交，请联系督办办公室。' }]);
    }
    deps.log.info('extension requested', { plan: plan.id, milestone: milestone.id });
    return c.redirect(`${unitPath(plan.id, unit.id)}?done=extension#m-${milestone.id}`, 303);
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
