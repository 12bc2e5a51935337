import type { Context, Hono } from 'hono';
import { linkAuthor } from '../../domain/links/unitLink.js';
import type { Milestone } from '../../domain/plan/schema.js';
import { recordReceipt, summonsFor } from '../../domain/submissions/receipt.js';
import { NotFoundPage } from '../../web/pages/messagePages.js';
import { ReceiptCheckPage, ReceiptDonePage, ReceiptPage, receiptPath } from '../../web/pages/receiptPage.js';
import type { PortalDeps, PortalEnv } from './deps.js';
import { openUnitLink } from './linkRoutes.js';
import { parseReceiptForm } from './receiptForm.js';

/**
 * 约谈回执: the link in a 约谈通知 (`/r/<token>/<milestone>`) opens the unit's session and its 回执 form;
 * the form, a page to check it, the record, a confirmation. Under `/plans/<plan>/units/<unit>/…`, so the
 * unit's session guard (unitRoutes) stands before every page. A milestone the unit was not summoned for is
 * simply not found.
 */
export function registerReceiptRoutes(app: Hono<PortalEnv>, deps: PortalDeps): void {
  app.get('/r/:token/:milestone', (c) => {
    const milestone = c.req.param('milestone');
    return openUnitLink(c, deps, c.req.param('token'), (claims) =>
      /^[a-z0-9-]{1,40}$/.test(milestone)
        ? receiptPath(claims.plan, claims.unit, milestone)
        : `/plans/${claims.plan}/units/${claims.unit}`,
    );
  });

  const base = '/plans/:plan/units/:unit/receipts/:milestone';
  /** The unit's milestone in the path and its summons, if it was summoned for it. */
  const load = async (c: Context<PortalEnv>) => {
    const { plan, unit } = c.var.unit;
    const milestone: Milestone | undefined = plan.milestones.find(
      (m) => m.id === c.req.param('milestone') && m.responsible.includes(unit.id),
    );
    const summoned = milestone && (await summonsFor(deps, plan, milestone, unit.id));
    return milestone && summoned ? { ...c.var.unit, milestone, summoned, csrf: c.var.unit.session.csrf } : undefined;
  };

  app.get(base, async (c) => {
    const page = await load(c);
    if (!page) return c.html(<NotFoundPage />, 404);
    return c.html(<ReceiptPage {...page} values={page.summoned.receipt?.attendees ?? []} errors={[]} />);
  });

  app.post(base, async (c) => {
    const page = await load(c);
    if (!page) return c.html(<NotFoundPage />, 404);
    const body = await c.req.parseBody();
    const { values, attendees, errors } = parseReceiptForm(body);
    if (body.edit === 'yes' || errors.length > 0)
      return c.html(<ReceiptPage {...page} values={values} errors={errors} />, errors.length > 0 ? 400 : 200);
    if (body.confirm !== 'yes') return c.html(<ReceiptCheckPage {...page} attendees={attendees} />);
    await recordReceipt(
      deps,
      page.plan,
      { milestone: page.milestone.id, unit: page.unit.id },
      attendees,
      linkAuthor(page.session),
    );
    deps.log.info('portal receipt', { plan: page.plan.id, milestone: page.milestone.id, attendees: attendees.length });
    return c.redirect(`${receiptPath(page.plan.id, page.unit.id, page.milestone.id)}/done`, 303);
  });

  app.get(`${base}/done`, async (c) => {
    const page = await load(c);
    if (!page) return c.html(<NotFoundPage />, 404);
    if (!page.summoned.receipt) return c.redirect(receiptPath(page.plan.id, page.unit.id, page.milestone.id), 303);
    return c.html(<ReceiptDonePage {...page} receipt={page.summoned.receipt} />);
  });
}
