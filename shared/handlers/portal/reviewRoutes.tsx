import type { Context, Hono } from 'hono';
import { RuleRefusedError } from '../../domain/errors.js';
import { linkAuthor } from '../../domain/links/unitLink.js';
import type { Milestone } from '../../domain/plan/schema.js';
import { reviewQueue } from '../../domain/portal/reviewQueue.js';
import { approveExtension, rejectExtension } from '../../domain/review/extensions.js';
import { acceptSubmission, type Reviewer, returnSubmission } from '../../domain/review/review.js';
import type { FieldError } from '../../web/components.js';
import { NotFoundPage } from '../../web/pages/messagePages.js';
import { type ReviewFormState, ReviewPage } from '../../web/pages/reviewPage.js';
import type { PortalDeps, PortalEnv } from './deps.js';
import { unitPath } from './unitRoutes.js';

/** A download link to an attachment is good for this long: enough to open it, too short to pass around. */
const DOWNLOAD_SECONDS = 5 * 60;

const FLASH: Record<string, string> = {
  accepted: '已办结，已通知该单位。',
  returned: '已退回，已通知该单位重新报送的期限。',
  approved: '已批准延期，该单位的督办环节已随之调整，并已通知该单位。',
  rejected: '已不予延期，已通知该单位。',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 500) : '');

/**
 * 审核 — the recipient unit (报送对象) reviews from its own page: 办结 or 退回 each unit's submission, and
 * decides 延期申请. Only the unit a milestone names as its recipient may act on it; every action is signed by
 * the link it came in with, audited, and answered to the unit with its link.
 */
export function registerReviewRoutes(app: Hono<PortalEnv>, deps: PortalDeps): void {
  const base = '/plans/:plan/units/:unit/review';
  const reviewer = (c: Context<PortalEnv>): Reviewer => ({
    by: linkAuthor(c.var.unit.session),
    unit: c.var.unit.unit.id,
  });
  /** The milestone and subject unit in the path, if this unit reviews that milestone and the subject answers to it. */
  const target = (c: Context<PortalEnv>): { milestone: Milestone; subject: string } | undefined => {
    const { plan, unit } = c.var.unit;
    const milestone = plan.milestones.find((m) => m.id === c.req.param('milestone') && m.recipient === unit.id);
    const subject = c.req.param('subject');
    return milestone && subject && milestone.responsible.includes(subject) ? { milestone, subject } : undefined;
  };
  const pageOf = async (c: Context<PortalEnv>, refused?: ReviewFormState) => {
    const { plan, unit, session } = c.var.unit;
    const flash = refused ? undefined : FLASH[c.req.query('done') ?? ''];
    return c.html(
      <ReviewPage
        plan={plan}
        reviewer={unit}
        queue={await reviewQueue(deps, plan, unit.id)}
        csrf={session.csrf}
        base={`${unitPath(plan.id, unit.id)}/review`}
        {...(flash ? { flash } : {})}
        {...(refused ? { refused } : {})}
      />,
      refused ? 422 : 200,
    );
  };
  const done = (c: Context<PortalEnv>, what: string, milestone: string) => {
    const { plan, unit } = c.var.unit;
    return c.redirect(`${unitPath(plan.id, unit.id)}/review?done=${what}#r-${milestone}`, 303);
  };
  /** Runs one decision; a rule's refusal comes back on the page beside the form, with what was typed. */
  const act = async (
    c: Context<PortalEnv>,
    form: { action: string; field: string; values: ReviewFormState['values']; errors: FieldError[] },
    run: (ids: { plan: string; milestone: string; unit: string }) => Promise<unknown>,
    what: string,
  ) => {
    const t = target(c);
    if (!t) return c.html(<NotFoundPage />, 404);
    const key = `${t.milestone.id}/${t.subject}/${form.action}`;
    if (form.errors.length > 0) return pageOf(c, { form: key, values: form.values, errors: form.errors });
    try {
      await run({ plan: c.var.unit.plan.id, milestone: t.milestone.id, unit: t.subject });
    } catch (error) {
      if (!(error instanceof RuleRefusedError)) throw error;
      const message = error.zh ?? '未能办理，请联系督办办公室。';
      return pageOf(c, { form: key, values: form.values, errors: [{ field: form.field, message }] });
    }
    deps.log.info('portal review', { plan: c.var.unit.plan.id, milestone: t.milestone.id, action: form.action });
    return done(c, what, t.milestone.id);
  };

  app.get(base, async (c) => {
    const { plan, unit } = c.var.unit;
    if (!plan.milestones.some((m) => m.recipient === unit.id)) return c.html(<NotFoundPage />, 404);
    return pageOf(c);
  });

  /** An attachment of the subject's submission: a short-lived download link from the store. */
  app.get(`${base}/:milestone/:subject/attachments/:index`, async (c) => {
    const t = target(c);
    if (!t) return c.html(<NotFoundPage />, 404);
    const { plan } = c.var.unit;
    const subs = await deps.submissions.listForMilestone(plan.id, t.milestone.id);
    const latest = subs
      .filter((s) => s.unit === t.subject && s.voided === undefined)
      .sort((a, b) => a.seq - b.seq)
      .at(-1);
    const attachment = latest?.attachments?.[Number(c.req.param('index'))];
    if (!attachment) return c.html(<NotFoundPage />, 404);
    return c.redirect(await deps.attachments.downloadUrl(attachment.key, attachment.name, DOWNLOAD_SECONDS), 302);
  });

  app.post(`${base}/:milestone/:subject/accept`, (c) =>
    act(
      c,
      { action: 'accept', field: `r-${c.req.param('milestone')}`, values: {}, errors: [] },
      (ids) => acceptSubmission(deps, ids, reviewer(c)),
      'accepted',
    ),
  );

  app.post(`${base}/:milestone/:subject/return`, async (c) => {
    const reason = text((await c.req.parseBody()).reason);
    const field = `ret-${c.req.param('milestone')}-${c.req.param('subject')}`;
    const errors = reason ? [] : [{ field, message: '请填写退回理由：需要该单位补充或更正的内容。' }];
    return act(
      c,
      { action: 'return', field, values: { reason }, errors },
      (ids) => returnSubmission(deps, ids, reason, reviewer(c)),
      'returned',
    );
  });

  app.post(`${base}/:milestone/:subject/extension/approve`, async (c) => {
    const deadline = text((await c.req.parseBody()).deadline);
    const field = `ext-${c.req.param('milestone')}-${c.req.param('subject')}-deadline`;
    const errors = DATE.test(deadline) ? [] : [{ field, message: '请选择批准延至的日期（年-月-日）。' }];
    return act(
      c,
      { action: 'approve', field, values: { deadline }, errors },
      (ids) => approveExtension(deps, ids, reviewer(c), deadline),
      'approved',
    );
  });

  app.post(`${base}/:milestone/:subject/extension/reject`, async (c) => {
    const reason = text((await c.req.parseBody()).reason);
    const field = `ext-${c.req.param('milestone')}-${c.req.param('subject')}-reason`;
    const errors = reason ? [] : [{ field, message: '请填写不予延期的理由。' }];
    return act(
      c,
      { action: 'reject', field, values: { reason }, errors },
      (ids) => rejectExtension(deps, ids, reviewer(c), reason),
      'rejected',
    );
  });
}
