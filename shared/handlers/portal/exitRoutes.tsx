import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { RuleRefusedError, UnknownReferenceError } from '../../domain/errors.js';
import { ExitImportError } from '../../domain/exits/context.js';
import { ExitFieldsError, markResisted, recordExitStep, saveExitItem } from '../../domain/exits/editItems.js';
import { EXIT_FIELDS, type RawFields } from '../../domain/exits/fields.js';
import { importExitRows } from '../../domain/exits/importItems.js';
import { formatRowProblem } from '../../domain/exits/rows.js';
import { SheetReadError, sheetFormatOf } from '../../domain/exits/sheets.js';
import { STEP_DETAILS } from '../../domain/exits/steps.js';
import { unitExitItem, unitLedger } from '../../domain/exits/unitLedger.js';
import { linkAuthor } from '../../domain/links/unitLink.js';
import { ConcurrentEditError } from '../../domain/ports.js';
import { followSchedules } from '../../domain/schedule/follow.js';
import { wallClockOf } from '../../domain/time/wallClock.js';
import type { FieldError } from '../../web/components.js';
import {
  ExitItemFormPage,
  ExitItemPage,
  type ImportRefusal,
  itemPath,
  LedgerPage,
  type StepFormState,
  stepFieldId,
} from '../../web/pages/exitPages.js';
import { NotFoundPage } from '../../web/pages/messagePages.js';
import type { PortalDeps, PortalEnv } from './deps.js';

/** A district's file: a ledger of a few thousand rows is well under this; API Gateway refuses above 10 MB. */
const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

/** Confirmations a redirect may ask a page to show: fixed words, never text from the address. */
const FLASH: Record<string, string> = {
  saved: '企业信息已保存。',
  step: '步骤已登记。',
  resisted: '已报告拒不退出，该企业将列入信用惩戒名单。',
  unresisted: '已撤销拒不退出报告。',
};

const CONCURRENT = '该企业的台账已被他人更新，请刷新页面后重新填写。';

/**
 * 退出台账 on the portal: a district (its session, from the unit routes' guard) sees its enterprises and their
 * progress, adds or corrects one, imports a file (all or nothing, row errors in Chinese), records each exit step
 * with its date, and reports an enterprise that resists. Changes to the items' dates move the ledger's schedules.
 */
export function registerExitRoutes(app: Hono<PortalEnv>, deps: PortalDeps): void {
  const base = '/plans/:plan/units/:unit/ledger';
  const now = () => deps.clock.now();
  const today = (zone: string) => wallClockOf(now(), zone).date;
  const flashOf = (c: Context<PortalEnv>) => FLASH[c.req.query('done') ?? ''];

  /** Not the unit's ledger (a plan without one, a unit not in it, another unit's code): not found. */
  const orNotFound = async (c: Context<PortalEnv>, run: () => Promise<Response>) => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof UnknownReferenceError) return c.html(<NotFoundPage />, 404);
      throw error;
    }
  };

  const renderLedger = async (c: Context<PortalEnv>, refusal?: ImportRefusal) => {
    const { plan, unit, session } = c.var.unit;
    const { summary } = await unitLedger(deps, plan.id, unit.id, now());
    const flash = refusal ? undefined : flashOf(c);
    return c.html(
      <LedgerPage
        plan={plan}
        unit={unit}
        csrf={session.csrf}
        summary={summary}
        {...(flash ? { flash } : {})}
        {...(refusal ? { refusal } : {})}
      />,
      refusal ? 422 : 200,
    );
  };

  const renderItem = async (c: Context<PortalEnv>, stepForm?: StepFormState) => {
    const { plan, unit, session } = c.var.unit;
    const { item, view, milestone } = await unitExitItem(deps, plan.id, unit.id, c.req.param('code') ?? '', now());
    const flash = stepForm ? undefined : flashOf(c);
    return c.html(
      <ExitItemPage
        plan={plan}
        unit={unit}
        csrf={session.csrf}
        view={view}
        version={item.version}
        steps={milestone.ledger.steps}
        today={today(plan.timezone)}
        {...(flash ? { flash } : {})}
        {...(stepForm ? { stepForm } : {})}
      />,
      stepForm ? 422 : 200,
    );
  };

  const renderForm = (
    c: Context<PortalEnv>,
    values: RawFields,
    errors: readonly FieldError[],
    existing?: { creditCode: string; version: number },
  ) => {
    const { plan, unit, session } = c.var.unit;
    return c.html(
      <ExitItemFormPage
        plan={plan}
        unit={unit}
        csrf={session.csrf}
        values={values}
        errors={errors}
        {...(existing ? { existing } : {})}
      />,
      errors.length > 0 ? 422 : 200,
    );
  };

  app.get(base, (c) => orNotFound(c, () => renderLedger(c)));

  app.get(`${base}/new`, (c) =>
    orNotFound(c, async () => {
      const { plan, unit } = c.var.unit;
      await unitLedger(deps, plan.id, unit.id, now());
      return renderForm(c, {}, []);
    }),
  );

  app.get(`${base}/items/:code`, (c) => orNotFound(c, () => renderItem(c)));

  app.get(`${base}/items/:code/edit`, (c) =>
    orNotFound(c, async () => {
      const { plan, unit } = c.var.unit;
      const { item } = await unitExitItem(deps, plan.id, unit.id, c.req.param('code'), now());
      const values = Object.fromEntries(EXIT_FIELDS.map((f) => [f, item[f]])) as RawFields;
      return renderForm(c, values, [], { creditCode: item.creditCode, version: item.version });
    }),
  );

  /** 新增 (no code in the path) or 修改 (the item's code and the version it was read at). */
  const save = (c: Context<PortalEnv>, code: string | undefined) =>
    orNotFound(c, async () => {
      const { plan, unit, session } = c.var.unit;
      const body = await c.req.parseBody();
      const values = Object.fromEntries(
        EXIT_FIELDS.map((f) => [f, typeof body[f] === 'string' ? (body[f] as string).slice(0, 300) : '']),
      ) as RawFields;
      const existing = code === undefined ? undefined : { creditCode: code, version: Number(body.version) };
      try {
        const item = await saveExitItem(
          deps,
          { plan: plan.id, unit: unit.id, raw: values, ...(existing ? { existing } : {}) },
          linkAuthor(session),
        );
        await followSchedules(deps, plan.id);
        return c.redirect(`${itemPath(plan.id, unit.id, item.creditCode)}?done=saved`, 303);
      } catch (error) {
        if (error instanceof ExitFieldsError) return renderForm(c, values, error.problems, existing);
        if (error instanceof RuleRefusedError || error instanceof ConcurrentEditError)
          return renderForm(c, values, [{ field: 'name', message: CONCURRENT }], existing);
        throw error;
      }
    });
  app.post(`${base}/items`, (c) => save(c, undefined));
  app.post(`${base}/items/:code`, (c) => save(c, c.req.param('code')));

  /** 登记一个步骤: its date and details; refused, the page comes back with what was typed beside the step. */
  app.post(`${base}/items/:code/steps/:step`, (c) =>
    orNotFound(c, async () => {
      const { plan, unit, session } = c.var.unit;
      const step = c.req.param('step');
      const body = await c.req.parseBody();
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 200) : '');
      const details = Object.fromEntries(STEP_DETAILS.map((d) => [d, text(d)]).filter(([, v]) => v !== ''));
      try {
        await recordExitStep(
          deps,
          {
            plan: plan.id,
            unit: unit.id,
            creditCode: c.req.param('code'),
            step,
            version: Number(body.version),
            date: text('date'),
            details,
          },
          linkAuthor(session),
        );
      } catch (error) {
        const refuse = (errors: FieldError[]) =>
          renderItem(c, { step, values: { date: text('date'), ...details }, errors });
        if (error instanceof ExitFieldsError)
          return refuse(error.problems.map((p) => ({ field: stepFieldId(step, p.field), message: p.message })));
        if (error instanceof RuleRefusedError || error instanceof ConcurrentEditError)
          return refuse([{ field: stepFieldId(step, 'date'), message: CONCURRENT }]);
        throw error;
      }
      return c.redirect(`${itemPath(plan.id, unit.id, c.req.param('code'))}?done=step#s-${step}`, 303);
    }),
  );

  /** 报告（或撤销）拒不退出. */
  app.post(`${base}/items/:code/resisted`, (c) =>
    orNotFound(c, async () => {
      const { plan, unit, session } = c.var.unit;
      const body = await c.req.parseBody();
      const clear = body.clear === '1';
      const note = typeof body.note === 'string' ? body.note.slice(0, 600) : '';
      try {
        await markResisted(
          deps,
          {
            plan: plan.id,
            unit: unit.id,
            creditCode: c.req.param('code'),
            version: Number(body.version),
            note: clear ? undefined : note,
          },
          linkAuthor(session),
        );
      } catch (error) {
        const refuse = (message: string) =>
          renderItem(c, { step: '', values: { note }, errors: [{ field: 'resist-note', message }] });
        if (error instanceof ExitFieldsError) return refuse(error.problems.map((p) => p.message).join('；'));
        if (error instanceof RuleRefusedError || error instanceof ConcurrentEditError) return refuse(CONCURRENT);
        throw error;
      }
      const done = clear ? 'unresisted' : 'resisted';
      return c.redirect(`${itemPath(plan.id, unit.id, c.req.param('code'))}?done=${done}`, 303);
    }),
  );

  /** 导入: a .xlsx or UTF-8 .csv, all or nothing; a refused file lists every row's problem. */
  app.post(`${base}/import`, (c) =>
    orNotFound(c, async () => {
      const { plan, unit, session } = c.var.unit;
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File) || file.size === 0)
        return renderLedger(c, { file: '台账文件', lines: ['请选择要导入的 .xlsx 或 .csv 文件'] });
      const name = file.name.slice(0, 100);
      const format = sheetFormatOf(file.name);
      if (!format) return renderLedger(c, { file: name, lines: ['文件应为 .xlsx 工作簿或 UTF-8 编码的 .csv 文件'] });
      if (file.size > MAX_IMPORT_BYTES)
        return renderLedger(c, { file: name, lines: [`文件不能超过${MAX_IMPORT_BYTES / 1024 / 1024}MB`] });
      const bytes = new Uint8Array(await file.arrayBuffer());
      try {
        const rows = await deps.sheets.read(bytes, format);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const result = await importExitRows(
          deps,
          { plan: plan.id, unit: unit.id, rows, file: { name, sha256 } },
          linkAuthor(session),
        );
        if (result.created.length + result.updated.length > 0) await followSchedules(deps, plan.id);
        deps.log.info('exit ledger imported', {
          plan: plan.id,
          rows: result.rows,
          created: result.created.length,
          updated: result.updated.length,
        });
        const flash = `已导入 ${result.rows} 行：新增 ${result.created.length} 家，更新 ${result.updated.length} 家，未变 ${result.unchanged} 家。`;
        const { summary } = await unitLedger(deps, plan.id, unit.id, now());
        return c.html(<LedgerPage plan={plan} unit={unit} csrf={session.csrf} summary={summary} flash={flash} />);
      } catch (error) {
        if (error instanceof SheetReadError) return renderLedger(c, { file: name, lines: [error.message] });
        if (error instanceof ExitImportError)
          return renderLedger(c, { file: name, lines: error.problems.map(formatRowProblem) });
        if (error instanceof ConcurrentEditError) return renderLedger(c, { file: name, lines: [CONCURRENT] });
        throw error;
      }
    }),
  );
}
