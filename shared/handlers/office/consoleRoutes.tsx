import type { Context, Hono } from 'hono';
import { applyEdit } from '../../domain/calendar/applyEdit.js';
import { auditActionLabel, auditChanges, describeChanges } from '../../domain/calendar/auditText.js';
import { type CalendarEdit, calendarEditSchema } from '../../domain/calendar/editSchema.js';
import { missingHolidayYear, OFFICE_AUDIT, setHolidayYear } from '../../domain/calendar/officeHolidays.js';
import { previewEdit } from '../../domain/calendar/previewEdit.js';
import { DomainError, RuleRefusedError } from '../../domain/errors.js';
import { resendUnitLink } from '../../domain/links/resend.js';
import { staffAuthor } from '../../domain/people/signIn.js';
import { calendarOf } from '../../domain/plan/ladder.js';
import { PlanValidationError, zodIssues } from '../../domain/plan/validate.js';
import { pendingCount, reviewQueue } from '../../domain/portal/reviewQueue.js';
import { ConcurrentEditError } from '../../domain/ports.js';
import type { FieldError } from '../../web/components.js';
import { zhDateTime } from '../../web/format.js';
import {
  ConsolePage,
  Field,
  MilestoneSelect,
  PreviewPage,
  ScheduleChanges,
  UnitSelect,
} from '../../web/pages/consolePages.js';
import type { OfficeDeps, OfficeEnv } from './deps.js';
import { registerImportRoutes } from './importRoutes.js';
import { registerReviewQueueRoutes } from './reviewQueueRoutes.js';

type Body = Record<string, unknown>;
const text = (body: Body, name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');

/** The console's edit forms: what each asks for, and the edit its answers make (names chosen from lists). */
const EDITS: Record<string, { title: string; toEdit: (b: Body) => unknown }> = {
  deadline: {
    title: '修改截止日期',
    toEdit: (b) =>
      text(b, 'unit') === ''
        ? { type: 'setDeadline', milestone: text(b, 'milestone'), deadline: text(b, 'deadline') }
        : {
            type: 'setUnitDeadline',
            milestone: text(b, 'milestone'),
            unit: text(b, 'unit'),
            deadline: text(b, 'deadline'),
          },
  },
  pause: { title: '暂停事项', toEdit: (b) => ({ type: 'pause', milestone: text(b, 'milestone') }) },
  resume: { title: '恢复事项', toEdit: (b) => ({ type: 'resume', milestone: text(b, 'milestone') }) },
  'add-unit': {
    title: '增加责任单位',
    toEdit: (b) => ({ type: 'addResponsible', milestone: text(b, 'milestone'), unit: text(b, 'unit') }),
  },
  'remove-unit': {
    title: '移除责任单位',
    toEdit: (b) => ({ type: 'removeResponsible', milestone: text(b, 'milestone'), unit: text(b, 'unit') }),
  },
  'remove-milestone': {
    title: '删除事项',
    toEdit: (b) => ({ type: 'removeMilestone', milestone: text(b, 'milestone') }),
  },
  'add-milestone': {
    title: '新增事项',
    toEdit: (b) => {
      try {
        return { type: 'addMilestone', milestone: JSON.parse(text(b, 'milestoneJson') || 'null') };
      } catch {
        return { type: 'addMilestone', milestone: null };
      }
    },
  },
  contacts: {
    title: '修改联系方式',
    toEdit: (b) => {
      const contact = (name: string, email: string) =>
        text(b, email) === ''
          ? undefined
          : { ...(text(b, name) ? { name: text(b, name) } : {}), email: text(b, email) };
      const head = contact('headName', 'headEmail');
      const supervisor = contact('supervisorName', 'supervisorEmail');
      return {
        type: 'setContacts',
        unit: text(b, 'unit'),
        ...(text(b, 'email') ? { email: text(b, 'email') } : {}),
        ...(head ? { head } : {}),
        ...(supervisor ? { supervisor } : {}),
      };
    },
  },
};

/** A refusal as errors beside the fields (and the summary): located messages, or one for the whole form. */
export function errorsOf(error: unknown): FieldError[] | undefined {
  if (error instanceof PlanValidationError) {
    return error.issues.map((i) => ({ field: fieldOf(i.path), message: `${i.path}：${i.message}` }));
  }
  if (error instanceof RuleRefusedError && error.zh) return [{ field: fieldOf(error.path), message: error.zh }];
  if (error instanceof DomainError) return [{ field: fieldOf(error.path), message: error.message }];
  if (error instanceof ConcurrentEditError)
    return [{ field: 'milestone', message: '该事项刚被他人修改，请重新预览。' }];
  return undefined;
}
const fieldOf = (path: string) =>
  ['milestone', 'unit', 'deadline', 'email', 'year', 'off', 'workdays'].find((f) => path.startsWith(f)) ??
  (path.includes('deadline') ? 'deadline' : 'milestone');

/** 督办办公室工作台: every calendar edit with a preview first, 放假安排, links, the review queue, the history. */
export function registerConsoleRoutes(app: Hono<OfficeEnv>, deps: OfficeDeps): void {
  const frame = (c: Context<OfficeEnv>) => ({
    plan: c.var.person.plan,
    who: { name: c.var.person.session.email, csrf: c.var.person.session.csrf },
  });
  const actor = (c: Context<OfficeEnv>) => staffAuthor(c.var.person.session);

  app.get('/plans/:plan/console', async (c) => {
    const { plan } = c.var.person;
    const calendar = calendarOf(plan);
    const missing = missingHolidayYear((d) => calendar.covers(d), deps.clock.now(), plan.timezone);
    const pending = pendingCount(await reviewQueue(deps, plan, undefined));
    const base = `/plans/${plan.id}/console`;
    return c.html(
      <ConsolePage {...frame(c)} title="督办办公室工作台">
        {missing ? (
          <div class="warning-panel" role="alert">
            <h2>{missing} 年放假安排尚未录入</h2>
            <p>
              内置节假日数据只到 {missing - 1} 年。督办梯度延伸到 {missing} 年的截止日期目前无法排期，请尽快
              <a href={`${base}/holidays`}>录入 {missing} 年放假安排</a>（放假与调休上班日期，所有计划共用）。
            </p>
          </div>
        ) : null}
        <ul class="tasks">
          {Object.entries(EDITS).map(([type, e]) => (
            <li>
              <a href={`${base}/edit/${type}`}>{e.title}</a>
            </li>
          ))}
          <li>
            <a href={`${base}/reviews`}>复核与延期申请（待处理 {pending}）</a>
          </li>
          <li>
            <a href={`${base}/import`}>导入计划文件</a>
          </li>
          <li>
            <a href={`${base}/links`}>重发单位专用链接</a>
          </li>
          <li>
            <a href={`${base}/holidays`}>录入放假安排</a>
          </li>
          <li>
            <a href={`${base}/history`}>修改记录</a>
          </li>
        </ul>
      </ConsolePage>,
    );
  });

  const editForm = (
    c: Context<OfficeEnv>,
    type: string,
    values: Body,
    errors: FieldError[],
    status: 200 | 400 = 200,
  ) => {
    const { plan } = c.var.person;
    const v = (name: string) => text(values, name);
    const e = EDITS[type];
    if (!e) return c.notFound();
    const needsUnit = ['add-unit', 'remove-unit', 'contacts'].includes(type);
    return c.html(
      <ConsolePage {...frame(c)} title={e.title} errors={errors}>
        <form method="post" action={`/plans/${plan.id}/console/edit/${type}`} novalidate>
          <input type="hidden" name="_csrf" value={c.var.person.session.csrf} />
          {type !== 'contacts' && type !== 'add-milestone' ? (
            <MilestoneSelect plan={plan} value={v('milestone')} errors={errors} />
          ) : null}
          {needsUnit ? <UnitSelect plan={plan} value={v('unit')} errors={errors} /> : null}
          {type === 'deadline' ? (
            <>
              <UnitSelect
                plan={plan}
                value={v('unit')}
                errors={errors}
                optional="全部责任单位（修改事项截止日期）"
                label="适用单位"
              />
              <Field name="deadline" label="新截止日期" type="date" value={v('deadline')} errors={errors} required />
            </>
          ) : null}
          {type === 'contacts' ? (
            <>
              <Field
                name="email"
                label="单位邮箱"
                type="email"
                value={v('email')}
                errors={errors}
                hint="留空表示不修改"
              />
              <Field name="headName" label="负责人姓名" value={v('headName')} errors={errors} />
              <Field name="headEmail" label="负责人邮箱" type="email" value={v('headEmail')} errors={errors} />
              <Field name="supervisorName" label="分管领导姓名" value={v('supervisorName')} errors={errors} />
              <Field
                name="supervisorEmail"
                label="分管领导邮箱"
                type="email"
                value={v('supervisorEmail')}
                errors={errors}
              />
            </>
          ) : null}
          {type === 'add-milestone' ? (
            <Field
              name="milestoneJson"
              label="事项（JSON，与计划文件中的一个事项相同）"
              hint='{"id", "title", "phase", "deadline", "responsible", "recipient", "deliverable", "basis"}'
              value={v('milestoneJson')}
              errors={errors}
              required
              multiline
            />
          ) : null}
          <button type="submit" class="button">
            预览
          </button>
        </form>
      </ConsolePage>,
      status,
    );
  };

  app.get('/plans/:plan/console/edit/:type', (c) => editForm(c, c.req.param('type'), {}, []));

  app.post('/plans/:plan/console/edit/:type', async (c) => {
    const type = c.req.param('type');
    const body = await c.req.parseBody();
    const e = EDITS[type];
    if (!e) return c.notFound();
    const parsed = calendarEditSchema.safeParse(e.toEdit(body));
    if (!parsed.success) {
      return editForm(
        c,
        type,
        body,
        zodIssues(parsed.error).map((i) => ({ field: fieldOf(i.path), message: `请检查：${i.path} ${i.message}` })),
        400,
      );
    }
    try {
      const preview = await previewEdit(deps, c.var.person.plan.id, parsed.data, actor(c));
      return c.html(
        <PreviewPage
          {...frame(c)}
          title={e.title}
          preview={preview}
          changes={describeEdit(parsed.data, preview.result.changes)}
          action={`/plans/${c.var.person.plan.id}/console/edit/${type}/confirm`}
          hidden={{ edit: JSON.stringify(parsed.data), revisions: JSON.stringify(preview.revisions) }}
        />,
      );
    } catch (error) {
      const errors = errorsOf(error);
      if (!errors) throw error;
      return editForm(c, type, body, errors, 400);
    }
  });

  app.post('/plans/:plan/console/edit/:type/confirm', async (c) => {
    const { plan } = c.var.person;
    const body = await c.req.parseBody();
    const parsed = calendarEditSchema.safeParse(safeJson(text(body, 'edit')));
    if (!parsed.success)
      return editForm(c, c.req.param('type'), {}, [{ field: 'milestone', message: '表单已失效，请重新填写。' }], 400);
    const previewed = safeJson(text(body, 'revisions')) as Record<string, number> | undefined;
    const current = await deps.calendar.loadPlan(plan.id);
    const moved = (current?.milestones ?? []).some(
      (m) => previewed?.[m.id] !== undefined && previewed[m.id] !== m.revision,
    );
    if (moved)
      return editForm(
        c,
        c.req.param('type'),
        {},
        [{ field: 'milestone', message: '预览后计划已被他人修改，请重新预览。' }],
        400,
      );
    try {
      const result = await applyEdit(deps, plan.id, parsed.data, actor(c));
      return c.html(
        <ConsolePage {...frame(c)} title="已修改">
          <div class="flash" role="status">
            修改已生效，并已记入修改记录（操作人 {actor(c)}）。
          </div>
          <ul>
            {describeEdit(parsed.data, result.changes).map((line) => (
              <li>{line}</li>
            ))}
          </ul>
          <ScheduleChanges reconcile={result.reconcile} />
        </ConsolePage>,
      );
    } catch (error) {
      const errors = errorsOf(error);
      if (!errors) throw error;
      return editForm(c, c.req.param('type'), {}, errors, 400);
    }
  });

  const holidayForm = (c: Context<OfficeEnv>, values: Body, errors: FieldError[], status: 200 | 400 = 200) => {
    const v = (name: string) => text(values, name);
    const next = new Date(deps.clock.now()).getUTCFullYear() + 1;
    return c.html(
      <ConsolePage {...frame(c)} title="录入放假安排" errors={errors}>
        <p class="lead">
          所有计划共用。请按国务院办公厅发布的放假安排录入：放假日期（含周末）与调休上班日期，每行一个日期。
        </p>
        <form method="post" action={`/plans/${c.var.person.plan.id}/console/holidays`} novalidate>
          <input type="hidden" name="_csrf" value={c.var.person.session.csrf} />
          <Field name="year" label="年份" value={v('year') || String(next)} errors={errors} required />
          <Field
            name="off"
            label="放假日期"
            hint="每行一个，如 2027-01-01"
            value={v('off')}
            errors={errors}
            required
            multiline
          />
          <Field
            name="workdays"
            label="调休上班日期"
            hint="每行一个（周末上班的日期）"
            value={v('workdays')}
            errors={errors}
            multiline
          />
          <button type="submit" class="button">
            保存并重新排期
          </button>
        </form>
      </ConsolePage>,
      status,
    );
  };
  app.get('/plans/:plan/console/holidays', (c) => holidayForm(c, {}, []));
  app.post('/plans/:plan/console/holidays', async (c) => {
    const body = await c.req.parseBody();
    const lines = (name: string) =>
      text(body, name)
        .split(/[\s,，、]+/)
        .filter(Boolean);
    const year = Number(text(body, 'year'));
    try {
      const change = await setHolidayYear(deps, year, { off: lines('off'), workdays: lines('workdays') }, actor(c));
      return c.html(
        <ConsolePage {...frame(c)} title={`${year} 年放假安排已保存`}>
          <div class="flash" role="status">
            已录入：放假 {change.after.off.length} 天，调休上班 {change.after.workdays.length} 天；{change.plans.length}{' '}
            个计划已按新安排排期。
          </div>
          {change.plans.map((r) => (
            <ScheduleChanges reconcile={r} />
          ))}
        </ConsolePage>,
      );
    } catch (error) {
      const errors = errorsOf(error);
      if (!errors) throw error;
      return holidayForm(c, body, errors, 400);
    }
  });

  app.get('/plans/:plan/console/links', (c) =>
    c.html(
      <ConsolePage {...frame(c)} title="重发单位专用链接">
        <form method="post" action={`/plans/${c.var.person.plan.id}/console/links`}>
          <input type="hidden" name="_csrf" value={c.var.person.session.csrf} />
          <UnitSelect plan={c.var.person.plan} errors={[]} />
          <div class="field checks">
            <label>
              <input type="checkbox" name="rotate" value="1" /> 同时停用此前发送的全部链接（链接误发、外泄时选择）
            </label>
          </div>
          <button type="submit" class="button">
            发送
          </button>
        </form>
      </ConsolePage>,
    ),
  );
  app.post('/plans/:plan/console/links', async (c) => {
    const { plan } = c.var.person;
    const body = await c.req.parseBody();
    const unit = plan.units.find((u) => u.id === text(body, 'unit'));
    if (!unit) return c.redirect(`/plans/${plan.id}/console/links`, 303);
    await resendUnitLink({ ...deps }, { plan: plan.id, unit: unit.id }, { rotate: body.rotate === '1' }, actor(c));
    return c.html(
      <ConsolePage {...frame(c)} title="链接已发送">
        <div class="flash" role="status">
          已向{unit.name}（{unit.email}）发送专用链接{body.rotate === '1' ? '，此前的链接已停用' : ''}。
        </div>
      </ConsolePage>,
    );
  });

  registerReviewQueueRoutes(app, deps, frame, actor);
  registerImportRoutes(app, deps, frame, actor);

  app.get('/plans/:plan/console/history', async (c) => {
    const { plan } = c.var.person;
    const office = (await deps.calendar.listAudit(OFFICE_AUDIT)).filter((r) => r.plan === OFFICE_AUDIT);
    const records = [...(await deps.calendar.listAudit(plan.id)), ...office].sort((a, b) => b.at - a.at);
    return c.html(
      <ConsolePage {...frame(c)} title="修改记录">
        <section class="board-wrap" tabindex={0} aria-label="修改记录表（可左右滚动）">
          <table>
            <thead>
              <tr>
                <th scope="col">时间</th>
                <th scope="col">操作人</th>
                <th scope="col">操作</th>
                <th scope="col">对象</th>
                <th scope="col">原 → 新</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr>
                  <td class="when">{zhDateTime(r.at, plan.timezone)}</td>
                  <td>{r.actor}</td>
                  <td>{auditActionLabel(r.action)}</td>
                  <td>{r.target}</td>
                  <td>{describeChanges(auditChanges(r)) || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </ConsolePage>,
    );
  });
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** An edit in a sentence or two, for the preview and the result. */
function describeEdit(
  edit: CalendarEdit,
  changes: readonly { field: string; before?: unknown; after?: unknown }[],
): string[] {
  const lines = changes
    .filter((ch) => ch.field !== '(whole)')
    .map((ch) => `${ch.field}：${JSON.stringify(ch.before ?? '—')} → ${JSON.stringify(ch.after ?? '—')}`);
  return lines.length > 0 ? lines : [`${edit.type}`];
}
