import type { Context, Hono } from 'hono';
import { describeChanges } from '../../domain/calendar/auditText.js';
import { importPlan } from '../../domain/calendar/importPlan.js';
import { ImportUndoesEditsError } from '../../domain/calendar/undoneEdits.js';
import { DomainError } from '../../domain/errors.js';
import type { Plan } from '../../domain/plan/schema.js';
import { PlanValidationError, parsePlanText } from '../../domain/plan/validate.js';
import { ConcurrentEditError } from '../../domain/ports.js';
import { officeHolidaysOf } from '../../domain/time/workdays.js';
import type { FieldError } from '../../web/components.js';
import { TextField } from '../../web/components.js';
import { zhDateTime } from '../../web/format.js';
import { ConsolePage, ScheduleChanges } from '../../web/pages/consolePages.js';
import type { OfficeDeps, OfficeEnv } from './deps.js';

type Frame = (c: Context<OfficeEnv>) => {
  plan: OfficeEnv['Variables']['person']['plan'];
  who: { name: string; csrf: string };
};

/**
 * 导入计划文件 — the CLI's `calendar import` from the console: the file's text is validated as `plan validate`
 * does, its difference and the admin edits it would undo are shown first (a dry run), and it is applied only on
 * confirm; undoing admin edits needs the box ticked (the CLI's `--force`).
 */
export function registerImportRoutes(
  app: Hono<OfficeEnv>,
  deps: OfficeDeps,
  frame: Frame,
  actor: (c: Context<OfficeEnv>) => string,
): void {
  const base = (c: Context<OfficeEnv>) => `/plans/${c.var.person.plan.id}/console/import`;
  const form = (c: Context<OfficeEnv>, text: string, errors: FieldError[], status: 200 | 400 = 200) =>
    c.html(
      <ConsolePage {...frame(c)} title="导入计划文件" errors={errors}>
        <p class="lead">
          粘贴本计划的计划文件（JSON，与 <code>plan validate</code> 所用相同）。先显示将发生的变化，确认后才导入。
        </p>
        <form method="post" action={base(c)} novalidate>
          <input type="hidden" name="_csrf" value={c.var.person.session.csrf} />
          <TextField
            name="planJson"
            label="计划文件内容"
            value={text}
            errors={errors}
            maxLength={6_000_000}
            required
            multiline
          />
          <button type="submit" class="button">
            预览
          </button>
        </form>
      </ConsolePage>,
      status,
    );
  /** The file's text, validated for this plan (another plan's file is refused: the console is per plan). */
  const parse = async (c: Context<OfficeEnv>, text: string): Promise<Plan | FieldError[]> => {
    try {
      const officeHolidays = officeHolidaysOf(await deps.calendar.listHolidayYears());
      const plan = parsePlanText(text, { officeHolidays });
      if (plan.id !== c.var.person.plan.id)
        return [
          { field: 'planJson', message: `文件中的计划编号为“${plan.id}”，不是本计划（${c.var.person.plan.id}）。` },
        ];
      return plan;
    } catch (error) {
      if (error instanceof PlanValidationError)
        return error.issues.map((i) => ({ field: 'planJson', message: `${i.path}：${i.message}` }));
      throw error;
    }
  };
  const text = (body: Record<string, unknown>, name: string) => (typeof body[name] === 'string' ? body[name] : '');

  app.get('/plans/:plan/console/import', (c) => form(c, '', []));

  app.post('/plans/:plan/console/import', async (c) => {
    const body = await c.req.parseBody();
    const planText = text(body, 'planJson');
    if (planText.trim() === '') return form(c, planText, [{ field: 'planJson', message: '请粘贴计划文件内容。' }], 400);
    const plan = await parse(c, planText);
    if (Array.isArray(plan)) return form(c, planText, plan, 400);
    const { diff, undone } = await importPlan(deps, plan, actor(c), { dryRun: true });
    const tz = c.var.person.plan.timezone;
    const lines = [
      ...diff.addedMilestones.map((id) => `新增事项 ${id}`),
      ...diff.removedMilestones.map((id) => `删除事项 ${id}`),
      ...diff.changedMilestones.map((m) => `修改事项 ${m.id}：${m.fields.join('、')}`),
      ...diff.addedUnits.map((id) => `新增单位 ${id}`),
      ...diff.removedUnits.map((id) => `删除单位 ${id}`),
      ...diff.changedUnits.map((id) => `修改单位 ${id}`),
      ...(diff.metaChanged ? ['计划标题、时区、督办梯度或节假日有变化（全部事项重新排期）'] : []),
    ];
    return c.html(
      <ConsolePage {...frame(c)} title="预览：导入计划文件">
        <h2>将发生的变化</h2>
        {lines.length === 0 ? <p>文件与当前计划相同，导入不会改变任何内容。</p> : null}
        <ul>
          {lines.map((l) => (
            <li>{l}</li>
          ))}
        </ul>
        {undone.length > 0 ? (
          <div class="warning-panel" role="alert">
            <h2>导入将撤销以下 {undone.length} 项修改</h2>
            <ul>
              {undone.map((u) => (
                <li>
                  {zhDateTime(u.at, tz)} {u.actor} {u.target}：
                  {describeChanges([{ field: u.field, before: u.now, after: u.file }])}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <form method="post" action={`${base(c)}/confirm`}>
          <input type="hidden" name="_csrf" value={c.var.person.session.csrf} />
          <input type="hidden" name="planJson" value={planText} />
          {undone.length > 0 ? (
            <div class="field checks">
              <label>
                <input type="checkbox" name="force" value="1" /> 我已核对，导入并撤销上述修改
              </label>
            </div>
          ) : null}
          <button type="submit" class="button">
            确认导入
          </button>
        </form>
      </ConsolePage>,
    );
  });

  app.post('/plans/:plan/console/import/confirm', async (c) => {
    const body = await c.req.parseBody();
    const planText = text(body, 'planJson');
    const plan = await parse(c, planText);
    if (Array.isArray(plan)) return form(c, planText, plan, 400);
    try {
      const result = await importPlan(deps, plan, actor(c), { force: body.force === '1' });
      return c.html(
        <ConsolePage {...frame(c)} title="已导入">
          <div class="flash" role="status">
            计划文件已导入，并已记入修改记录（操作人 {actor(c)}）。
          </div>
          {result.reconcile ? <ScheduleChanges reconcile={result.reconcile} /> : null}
        </ConsolePage>,
      );
    } catch (error) {
      if (!(error instanceof DomainError) && !(error instanceof ConcurrentEditError)) throw error;
      const message =
        error instanceof ImportUndoesEditsError
          ? '导入将撤销管理员所做的修改：请勾选“我已核对”后再导入。'
          : error instanceof ConcurrentEditError
            ? '导入期间计划已被他人修改，请重新预览。'
            : error.message;
      return form(c, planText, [{ field: 'planJson', message }], 400);
    }
  });
}
