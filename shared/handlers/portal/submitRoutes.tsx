import type { Context, Hono } from 'hono';
import { type AttachmentProblem, inspectUploads, pendingUploads } from '../../domain/attachments/collect.js';
import {
  attachmentType,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  unitUploadPrefix,
} from '../../domain/attachments/types.js';
import { linkAuthor } from '../../domain/links/unitLink.js';
import type { Milestone } from '../../domain/plan/schema.js';
import { counts } from '../../domain/ports.js';
import { submitFromPortal } from '../../domain/submissions/submit.js';
import type { FieldError } from '../../web/components.js';
import { fileSize } from '../../web/format.js';
import { NotFoundPage } from '../../web/pages/messagePages.js';
import { CheckPage, DonePage, SubmitPage, type SubmitValues, UploadPage } from '../../web/pages/submitPages.js';
import type { PortalDeps, PortalEnv, UnitContext } from './deps.js';
import { parseSubmitForm } from './forms.js';
import { unitPath } from './unitRoutes.js';

/** An upload form may be used for this long: enough to choose a large file on a slow line. */
const UPLOAD_FORM_SECONDS = 30 * 60;

const problemText = (p: AttachmentProblem): string => {
  switch (p.kind) {
    case 'too-many':
      return `附件最多${MAX_ATTACHMENTS}个，现有${p.count}个，请移除多余的附件`;
    case 'too-large':
      return `附件“${p.name}”为${fileSize(p.size)}，超过${MAX_ATTACHMENT_BYTES / 1024 / 1024}MB`;
    case 'not-allowed':
      return `附件“${p.name}”的文件类型不在允许范围内，请移除`;
    case 'content-mismatch':
      return `附件“${p.name}”的内容不是${p.expected}，请移除后重新上传`;
  }
};

/** 报送: the form, the attachments (straight to storage), the check, the record, the confirmation. */
export function registerSubmitRoutes(app: Hono<PortalEnv>, deps: PortalDeps): void {
  const base = '/plans/:plan/units/:unit/milestones/:milestone';
  /** The milestone in the path, if this unit is responsible for it: a forged one is simply not found. */
  const milestoneOf = (c: Context<PortalEnv>): Milestone | undefined => {
    const { plan, unit } = c.var.unit;
    return plan.milestones.find((m) => m.id === c.req.param('milestone') && m.responsible.includes(unit.id));
  };
  const state = async (ctx: UnitContext, milestone: Milestone) => {
    const ids = { plan: ctx.plan.id, milestone: milestone.id, unit: ctx.unit.id };
    const own = (await deps.submissions.listForMilestone(ctx.plan.id, milestone.id)).filter(
      (s) => s.unit === ctx.unit.id,
    );
    return { ids, own, existing: own.find(counts), uploads: await pendingUploads(deps.attachments, ids, own) };
  };
  const pathOf = (ctx: UnitContext, milestone: Milestone) =>
    `${unitPath(ctx.plan.id, ctx.unit.id)}/milestones/${milestone.id}`;
  const renderForm = async (
    c: Context<PortalEnv>,
    milestone: Milestone,
    values: SubmitValues,
    errors: FieldError[],
    flash?: string,
  ) => {
    const ctx = c.var.unit;
    const { existing, uploads } = await state(ctx, milestone);
    return c.html(
      <SubmitPage
        plan={ctx.plan}
        unit={ctx.unit}
        milestone={milestone}
        csrf={ctx.session.csrf}
        values={values}
        errors={errors}
        uploads={uploads}
        {...(existing ? { existing } : {})}
        {...(flash ? { flash } : {})}
      />,
      errors.length > 0 ? 400 : 200,
    );
  };

  app.get(`${base}/submit`, async (c) => {
    const milestone = milestoneOf(c);
    if (!milestone) return c.html(<NotFoundPage />, 404);
    // Storage sends the browser back here after a plain-HTML upload, adding bucket, key and etag.
    const uploaded = c.req.query('key') !== undefined || c.req.query('uploaded') !== undefined;
    return renderForm(c, milestone, {}, [], uploaded ? '附件已上传。' : undefined);
  });

  /** An upload form for one file of the chosen type: a page without a script, JSON for upload.js. */
  const uploadForm = async (c: Context<PortalEnv>, withRedirect: boolean) => {
    const milestone = milestoneOf(c);
    const type = attachmentType(c.req.query('type') ?? '');
    if (!milestone || !type) return { ok: false as const, error: 'not-found' as const };
    const ctx = c.var.unit;
    const { existing, uploads, ids } = await state(ctx, milestone);
    if (existing) return { ok: false as const, error: 'submitted' as const };
    if (uploads.length >= MAX_ATTACHMENTS) return { ok: false as const, error: 'full' as const };
    const form = await deps.attachments.uploadForm({
      prefix: unitUploadPrefix(ids.plan, ids.milestone, ids.unit),
      contentType: type.contentType,
      maxBytes: MAX_ATTACHMENT_BYTES,
      expiresIn: UPLOAD_FORM_SECONDS,
      ...(withRedirect ? { redirect: `${deps.publicUrl.replace(/\/+$/, '')}${pathOf(ctx, milestone)}/submit` } : {}),
    });
    return { ok: true as const, form, milestone, type };
  };
  const UPLOAD_REFUSED = {
    'not-found': '无此文件类型或事项',
    submitted: '本事项已报送',
    full: `附件最多${MAX_ATTACHMENTS}个`,
  };

  app.get(`${base}/upload`, async (c) => {
    const out = await uploadForm(c, true);
    if (!out.ok) {
      const milestone = milestoneOf(c);
      if (!milestone) return c.html(<NotFoundPage />, 404);
      return renderForm(c, milestone, {}, [{ field: 'type', message: UPLOAD_REFUSED[out.error] }]);
    }
    const ctx = c.var.unit;
    return c.html(
      <UploadPage
        plan={ctx.plan}
        unit={ctx.unit}
        milestone={out.milestone}
        csrf={ctx.session.csrf}
        form={out.form}
        typeLabel={out.type.label}
      />,
    );
  });

  app.get(`${base}/upload-form`, async (c) => {
    const out = await uploadForm(c, false);
    if (!out.ok) return c.json({ error: UPLOAD_REFUSED[out.error] }, out.error === 'not-found' ? 404 : 409);
    return c.json(out.form);
  });

  /** 移除 an uploaded file not yet submitted: only one under this unit's own prefix. */
  app.post(`${base}/remove`, async (c) => {
    const milestone = milestoneOf(c);
    if (!milestone) return c.html(<NotFoundPage />, 404);
    const ctx = c.var.unit;
    const key = (await c.req.parseBody()).key;
    const { uploads } = await state(ctx, milestone);
    if (typeof key !== 'string' || !uploads.some((u) => u.key === key)) return c.html(<NotFoundPage />, 404);
    await deps.attachments.remove(key);
    return c.redirect(`${pathOf(ctx, milestone)}/submit`, 303);
  });

  /** The form posts here three ways: to be checked, to be edited again, and (confirmed) to be recorded. */
  app.post(`${base}/submit`, async (c) => {
    const milestone = milestoneOf(c);
    if (!milestone) return c.html(<NotFoundPage />, 404);
    const ctx = c.var.unit;
    const body = await c.req.parseBody();
    const { values, errors } = parseSubmitForm(body);
    if (body.edit === 'yes' || errors.length > 0) return renderForm(c, milestone, values, errors);
    const { existing, uploads, ids } = await state(ctx, milestone);
    if (existing) return c.redirect(`${pathOf(ctx, milestone)}/submit`, 303);
    if (body.confirm !== 'yes') {
      return c.html(
        <CheckPage
          plan={ctx.plan}
          unit={ctx.unit}
          milestone={milestone}
          csrf={ctx.session.csrf}
          values={values}
          uploads={uploads}
        />,
      );
    }
    const { attachments, problems } = await inspectUploads(deps.attachments, uploads);
    if (problems.length > 0) {
      return renderForm(
        c,
        milestone,
        values,
        problems.map((p) => ({ field: 'attachments', message: problemText(p) })),
      );
    }
    const outcome = await submitFromPortal(
      deps,
      {
        ...ids,
        ref: values.ref as string,
        contact: values.contact,
        phone: values.phone,
        note: values.note,
        attachments,
      },
      {
        by: linkAuthor(ctx.session),
        client: { ip: deps.clientIp(c), userAgent: c.req.header('user-agent')?.slice(0, 300) },
      },
    );
    deps.log.info('portal submission', { plan: ids.plan, milestone: ids.milestone, recorded: outcome.recorded });
    return c.redirect(`${pathOf(ctx, milestone)}/${outcome.recorded ? 'done' : 'submit'}`, 303);
  });

  app.get(`${base}/done`, async (c) => {
    const milestone = milestoneOf(c);
    if (!milestone) return c.html(<NotFoundPage />, 404);
    const ctx = c.var.unit;
    const { existing } = await state(ctx, milestone);
    if (!existing) return c.redirect(`${pathOf(ctx, milestone)}/submit`, 303);
    return c.html(
      <DonePage plan={ctx.plan} unit={ctx.unit} milestone={milestone} csrf={ctx.session.csrf} submission={existing} />,
    );
  });
}
