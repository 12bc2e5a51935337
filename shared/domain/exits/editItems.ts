import { auditRecord } from '../calendar/audit.js';
import { DomainError, RuleRefusedError, UnknownReferenceError } from '../errors.js';
import type { Attachment } from '../ports.js';
import { isCalendarDate, wallClockOf } from '../time/wallClock.js';
import { type ExitDeps, type LedgerContext, ledgerContext, plannedDateProblem } from './context.js';
import { checkExitFields, EXIT_FIELD_LABEL, type RawFields } from './fields.js';
import { STEP_DETAIL_LABEL, type StepDetail } from './steps.js';
import type { ExitItem, ExitStepRecord } from './types.js';

/** A form refused: each problem beside its field, in Chinese. */
export class ExitFieldsError extends DomainError {
  constructor(readonly problems: readonly { readonly field: string; readonly message: string }[]) {
    super(problems.map((p) => p.message).join('；'), problems[0]?.field ?? '(request)');
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

type Ids = { readonly plan: string; readonly unit: string };
type ItemIds = Ids & { readonly creditCode: string };

/**
 * 新增或修改一项: the form's fields, checked as a file row is. A new item's code must not be in the ledger yet (a
 * unit's own says so; another unit's is refused); an existing item keeps its code and its steps. Audited, the
 * record first.
 */
export async function saveExitItem(
  deps: ExitDeps,
  input: Ids & { readonly raw: RawFields; readonly existing?: { creditCode: string; version: number } },
  actor: string,
): Promise<ExitItem> {
  const ctx = await ledgerContext(deps, input.plan, input.unit);
  const raw = input.existing ? { ...input.raw, creditCode: input.existing.creditCode } : input.raw;
  const { fields, problems } = checkExitFields(raw);
  const refused: { field: string; message: string }[] = [...problems];
  const dateProblem = fields && plannedDateProblem(ctx.plan, ctx.milestone, fields.plannedDate);
  if (dateProblem) refused.push({ field: 'plannedDate', message: dateProblem });
  if (!fields || refused.length > 0) throw new ExitFieldsError(refused);

  const now = deps.clock.now();
  if (input.existing) {
    const before = await mustGet(deps, { ...input, creditCode: input.existing.creditCode });
    const item: ExitItem = { ...before, ...fields, version: before.version + 1, updatedAt: now, updatedBy: actor };
    await commit(deps, ctx, actor, 'ledger-item-update', before, item, input.existing.version);
    return item;
  }
  const clash = (await deps.exits.listItems(ctx.plan.id)).find((i) => i.creditCode === fields.creditCode);
  if (clash) {
    const owner =
      clash.unit === ctx.unit.id ? '贵单位台账' : (ctx.plan.units.find((u) => u.id === clash.unit)?.name ?? clash.unit);
    throw new ExitFieldsError([
      {
        field: 'creditCode',
        message: `${EXIT_FIELD_LABEL.creditCode} ${fields.creditCode} 已在${owner}中登记（${clash.name}）`,
      },
    ]);
  }
  const item: ExitItem = {
    ...fields,
    plan: ctx.plan.id,
    milestone: ctx.milestone.id,
    unit: ctx.unit.id,
    steps: {},
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor,
  };
  await commit(deps, ctx, actor, 'ledger-item-add', undefined, item, undefined);
  return item;
}

/** What a step form records. */
export interface StepInput extends ItemIds {
  readonly step: string;
  readonly version: number;
  readonly date: string;
  readonly details: Partial<Record<StepDetail, string>>;
  readonly attachments?: readonly Attachment[];
}

/**
 * 登记一个退出步骤: its date (not after today in the plan's zone), what it must record (验收 by whom; 公告 where and
 * its 文号) and its files. Recording it again corrects it; the audit trail keeps both.
 */
export async function recordExitStep(deps: ExitDeps, input: StepInput, actor: string): Promise<ExitItem> {
  const ctx = await ledgerContext(deps, input.plan, input.unit);
  const definition = ctx.milestone.ledger.steps.find((s) => s.id === input.step);
  if (!definition) throw new UnknownReferenceError(`the ledger has no step "${input.step}"`, 'step');
  const now = deps.clock.now();
  const today = wallClockOf(now, ctx.plan.timezone).date;
  const problems: { field: string; message: string }[] = [];
  const date = input.date.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isCalendarDate(date))
    problems.push({ field: 'date', message: `${definition.name}日期 应为有效日期，格式 YYYY-MM-DD` });
  else if (date > today) problems.push({ field: 'date', message: `${definition.name}日期 不能晚于今天（${today}）` });
  const details: Partial<Record<StepDetail, string>> = {};
  for (const detail of definition.details) {
    const value = (input.details[detail] ?? '').trim();
    const label = STEP_DETAIL_LABEL[detail];
    if (value === '') problems.push({ field: detail, message: `请填写${label}` });
    else if ([...value].length > 100) problems.push({ field: detail, message: `${label}不能超过100个字` });
    else if (CONTROL.test(value)) problems.push({ field: detail, message: `${label}只能是一行文字，不能含控制字符` });
    else details[detail] = value;
  }
  if (problems.length > 0) throw new ExitFieldsError(problems);
  const before = await mustGet(deps, input);
  const record: ExitStepRecord = {
    date,
    ...(definition.details.length > 0 ? { details } : {}),
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    by: actor,
    at: now,
  };
  const item = { ...before, steps: { ...before.steps, [definition.id]: record }, ...bump(before, now, actor) };
  await commit(deps, ctx, actor, 'ledger-step', before, item, input.version);
  return item;
}

/** 撤销一个步骤 recorded by mistake (its files stay in storage; the audit trail keeps the record). */
export async function clearExitStep(
  deps: ExitDeps,
  input: ItemIds & { readonly step: string; readonly version: number },
  actor: string,
): Promise<ExitItem> {
  const ctx = await ledgerContext(deps, input.plan, input.unit);
  const before = await mustGet(deps, input);
  if (!before.steps[input.step]) throw new UnknownReferenceError(`step "${input.step}" is not recorded`, 'step');
  const { [input.step]: _gone, ...steps } = before.steps;
  const item = { ...before, steps, ...bump(before, now(deps), actor) };
  await commit(deps, ctx, actor, 'ledger-step-clear', before, item, input.version);
  return item;
}

/** 标记拒不退出 (with what happened), or clear the mark: a resisting enterprise goes on the 信用 list. */
export async function markResisted(
  deps: ExitDeps,
  input: ItemIds & { readonly version: number; readonly note: string | undefined },
  actor: string,
): Promise<ExitItem> {
  const ctx = await ledgerContext(deps, input.plan, input.unit);
  const note = input.note?.trim();
  if (note !== undefined) {
    if (note === '') throw new ExitFieldsError([{ field: 'note', message: '请说明企业拒不退出的情况' }]);
    if ([...note].length > 500) throw new ExitFieldsError([{ field: 'note', message: '情况说明不能超过500个字' }]);
    if (CONTROL.test(note.replace(/\r?\n/g, ' ')))
      throw new ExitFieldsError([{ field: 'note', message: '情况说明不能含控制字符' }]);
  }
  const before = await mustGet(deps, input);
  const { resisted: _old, ...rest } = before;
  const at = now(deps);
  const item: ExitItem = {
    ...rest,
    ...(note === undefined ? {} : { resisted: { note, by: actor, at } }),
    ...bump(before, at, actor),
  };
  await commit(
    deps,
    ctx,
    actor,
    note === undefined ? 'ledger-resisted-clear' : 'ledger-resisted',
    before,
    item,
    input.version,
  );
  return item;
}

/** 删除一项 entered by mistake: only while no step is recorded for it. */
export async function removeExitItem(
  deps: ExitDeps,
  input: ItemIds & { readonly version: number },
  actor: string,
): Promise<void> {
  const ctx = await ledgerContext(deps, input.plan, input.unit);
  const before = await mustGet(deps, input);
  if (Object.keys(before.steps).length > 0)
    throw new RuleRefusedError('已登记退出步骤的企业不能删除；如系误录，请先撤销各步骤');
  await deps.calendar.appendAudit(
    auditRecord(
      deps,
      ctx.plan.id,
      actor,
      'ledger-item-remove',
      `${ctx.unit.id}/${before.creditCode}`,
      before,
      undefined,
    ),
  );
  await deps.exits.deleteItem(ctx.plan.id, ctx.unit.id, before.creditCode, input.version);
}

const now = (deps: ExitDeps) => deps.clock.now();
const bump = (before: ExitItem, at: number, actor: string) => ({
  version: before.version + 1,
  updatedAt: at,
  updatedBy: actor,
});

async function mustGet(deps: ExitDeps, ids: ItemIds): Promise<ExitItem> {
  const item = await deps.exits.getItem(ids.plan, ids.unit, ids.creditCode);
  if (!item)
    throw new UnknownReferenceError(`no exit item ${ids.creditCode} in the ledger of ${ids.unit}`, 'creditCode');
  return item;
}

/** The audit record, then the item, written only if it is still at the version the change was made from. */
async function commit(
  deps: ExitDeps,
  ctx: LedgerContext,
  actor: string,
  action: string,
  before: ExitItem | undefined,
  after: ExitItem,
  expected: number | undefined,
): Promise<void> {
  if (before && expected !== before.version) {
    throw new RuleRefusedError('该企业的台账已被他人更新，请刷新页面后重新填写');
  }
  await deps.calendar.appendAudit(
    auditRecord(deps, ctx.plan.id, actor, action, `${ctx.unit.id}/${after.creditCode}`, before, after),
  );
  await deps.exits.putItems([{ item: after, expected }]);
}
