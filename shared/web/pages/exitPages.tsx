import type { LightStatus } from '../../domain/board/lights.js';
import { type ExitItemView, type ExitUnitSummary, exitCountsText, exitLightWord } from '../../domain/exits/board.js';
import { EXIT_FIELD_LABEL, EXIT_FIELDS, type RawFields } from '../../domain/exits/fields.js';
import { EXIT_STATUS_LABEL, type ExitStatus } from '../../domain/exits/status.js';
import { EXIT_METHODS, type ExitStepDefinition, STEP_DETAIL_LABEL } from '../../domain/exits/steps.js';
import type { ExitItemFields } from '../../domain/exits/types.js';
import type { Unit } from '../../domain/plan/schema.js';
import type { StoredPlan } from '../../domain/ports.js';
import { ActionButton, ErrorSummary, type FieldError, Light, TextField } from '../components.js';
import { Layout } from '../layout.js';

/** The address of a unit's ledger, and of one of its items (a credit code is 18 URL-safe characters). */
export const ledgerPath = (plan: string, unit: string) => `/plans/${plan}/units/${unit}/ledger`;
export const itemPath = (plan: string, unit: string, code: string) => `${ledgerPath(plan, unit)}/items/${code}`;

/** An exit's status as a light: overdue is red, done late yellow, done in time green, still in time grey. */
const ITEM_LIGHT: Record<ExitStatus, LightStatus> = {
  done: 'submitted',
  'done-late': 'late',
  overdue: 'missing',
  'in-progress': 'pending',
};

const ItemLight = (props: { status: ExitStatus }) => (
  <Light status={ITEM_LIGHT[props.status]} word={EXIT_STATUS_LABEL[props.status]} />
);

interface PageBase {
  readonly plan: StoredPlan;
  readonly unit: Unit;
  readonly csrf: string;
  readonly flash?: string;
}

function Flash(props: { text?: string | undefined }) {
  return props.text ? (
    <p class="flash" role="status">
      {props.text}
    </p>
  ) : null;
}

/** A refused file: every row's problem, as the spreadsheet numbers its rows. */
export interface ImportRefusal {
  readonly file: string;
  readonly lines: readonly string[];
}

/**
 * 退出台账 — a district's enterprises: 完成 / 总数 and 逾期 at the top, then each enterprise with its light, its
 * planned date and the required steps still missing; a file import and a link to add one enterprise.
 */
export function LedgerPage(props: PageBase & { summary: ExitUnitSummary; refusal?: ImportRefusal }) {
  const { plan, unit, csrf, summary, refusal } = props;
  const base = ledgerPath(plan.id, unit.id);
  return (
    <Layout title={`${unit.name}退出台账`} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      {refusal ? (
        <div class="error-summary" role="alert" aria-labelledby="import-error-title" tabindex={-1}>
          <h2 id="import-error-title">
            {refusal.file}：导入被拒绝，未写入任何内容（{refusal.lines.length}处问题）
          </h2>
          <ul>
            {refusal.lines.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Flash text={props.flash} />
      <h1>{unit.name}退出台账</h1>
      <p class="lead">
        逐家登记须退出的落后产能企业，并在完成断电、断水、拆除动力装置、封存主体设备、验收、公告、归档等步骤后逐项登记日期。
        计划完成日期前后，系统按督办梯度提醒、催办；逾期未完成的企业将在通报、约谈中点名。
      </p>
      <p>
        <a href={`/plans/${plan.id}/units/${unit.id}`}>返回督办事项</a>
      </p>
      <section class="card" aria-labelledby="summary-title">
        <header>
          <h2 id="summary-title">进度</h2>
          <Light status={summary.light} word={exitLightWord(summary.light, summary)} />
        </header>
        <p>
          {exitCountsText(summary)}
          {summary.resisted > 0 ? `，拒不退出 ${summary.resisted}` : ''}
        </p>
      </section>
      <section class="card" aria-labelledby="items-title">
        <h2 id="items-title">企业（{summary.total}家）</h2>
        {summary.items.length === 0 ? <p>尚未登记企业。</p> : null}
        <ul class="items">
          {summary.items.map((item) => (
            <li>
              <a href={itemPath(plan.id, unit.id, item.creditCode)}>{item.name}</a> <ItemLight status={item.status} />
              <br />
              {item.exitMethod} · 计划 {item.plannedDate}
              {item.completedOn ? ` · 完成 ${item.completedOn}` : ''}
              {item.missing.length > 0 ? ` · 待完成：${item.missing.join('、')}` : ''}
              {item.resisted ? ' · 拒不退出' : ''}
            </li>
          ))}
        </ul>
        <p>
          <a class="button secondary" href={`${base}/new`}>
            新增企业
          </a>
        </p>
      </section>
      <section class="card" aria-labelledby="import-title">
        <h2 id="import-title">从表格导入</h2>
        <p class="hint" id="file-hint">
          Excel（.xlsx，第一个工作表）或 UTF-8 编码的 .csv 文件，第一行为表头，列名：
          {EXIT_FIELDS.map((f) => EXIT_FIELD_LABEL[f]).join('、')}
          （顺序不限）；计划完成日期写作
          2021-10-15。整个文件有任何一处错误则全部不导入；已登记的企业按统一社会信用代码更新，已登记的步骤保留。
        </p>
        <form method="post" action={`${base}/import`} enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value={csrf} />
          <div class="field">
            <label for="file">台账文件</label>
            <input id="file" name="file" type="file" accept=".xlsx,.csv" aria-describedby="file-hint" required />
          </div>
          <button type="submit" class="button">
            导入
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** A refused step form, shown again with what was typed. */
export interface StepFormState {
  readonly step: string;
  readonly values: Readonly<Record<string, string>>;
  readonly errors: readonly FieldError[];
}

/** The id of a step form's control: each step has its own form on the page. */
export const stepFieldId = (step: string, field: string) => `step-${step}-${field}`;

/**
 * 企业退出详情 — one enterprise: its fields, and each step of the plan with its date (and what it records), a form
 * to record or correct each one; the required ones marked. 拒不退出 can be reported here.
 */
export function ExitItemPage(
  props: PageBase & {
    view: ExitItemView;
    version: number;
    steps: readonly ExitStepDefinition[];
    today: string;
    stepForm?: StepFormState;
  },
) {
  const { plan, unit, csrf, view, version, stepForm } = props;
  const path = itemPath(plan.id, unit.id, view.creditCode);
  const errors = stepForm?.errors ?? [];
  return (
    <Layout title={view.name} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <ErrorSummary errors={errors} />
      <Flash text={props.flash} />
      <h1>{view.name}</h1>
      <p>
        <a href={ledgerPath(plan.id, unit.id)}>返回退出台账</a>
      </p>
      <section class="card" aria-labelledby="facts-title">
        <header>
          <h2 id="facts-title">企业信息</h2>
          <ItemLight status={view.status} />
        </header>
        <dl class="facts">
          {EXIT_FIELDS.filter((f) => f !== 'name').map((f) => (
            <>
              <dt>{EXIT_FIELD_LABEL[f]}</dt>
              <dd>{view[f]}</dd>
            </>
          ))}
          {view.missing.length > 0 ? (
            <>
              <dt>待完成步骤</dt>
              <dd>{view.missing.join('、')}</dd>
            </>
          ) : null}
        </dl>
        <p>
          <a href={`${path}/edit`}>修改企业信息</a>
        </p>
      </section>
      {view.steps.map((step) => {
        const definition = props.steps.find((s) => s.id === step.id);
        const refused = stepForm?.step === step.id ? stepForm : undefined;
        const value = (field: string) =>
          refused?.values[field] ?? (field === 'date' ? step.date : step.details?.[field as never]);
        return (
          <section class="card" aria-labelledby={`s-${step.id}`}>
            <header>
              <h2 id={`s-${step.id}`}>
                {step.name}
                {step.required ? '' : '（本退出方式不要求）'}
              </h2>
              {step.date ? <span class="done">已完成 {step.date}</span> : <span class="tag">未登记</span>}
            </header>
            {step.details && Object.keys(step.details).length > 0 ? (
              <p>
                {Object.entries(step.details)
                  .map(([k, v]) => `${STEP_DETAIL_LABEL[k as keyof typeof STEP_DETAIL_LABEL]}：${v}`)
                  .join('；')}
              </p>
            ) : null}
            <form method="post" action={`${path}/steps/${step.id}`} novalidate>
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="version" value={String(version)} />
              <TextField
                name="date"
                id={stepFieldId(step.id, 'date')}
                label={`${step.name}日期`}
                hint={`不晚于今天（${props.today}）`}
                type="date"
                value={value('date') ?? ''}
                errors={errors}
                required
                maxLength={10}
              />
              {(definition?.details ?? []).map((detail) => (
                <TextField
                  name={detail}
                  id={stepFieldId(step.id, detail)}
                  label={STEP_DETAIL_LABEL[detail]}
                  value={value(detail) ?? ''}
                  errors={errors}
                  required
                  maxLength={100}
                />
              ))}
              <button type="submit" class="button small">
                {step.date ? `更正${step.name}` : `登记${step.name}`}
              </button>
            </form>
          </section>
        );
      })}
      <section class="card" aria-labelledby="resist-title">
        <h2 id="resist-title">拒不退出</h2>
        {view.resisted ? (
          <>
            <p>已报告拒不退出：{view.resisted.note}</p>
            <ActionButton
              action={`${path}/resisted`}
              csrf={csrf}
              label="撤销拒不退出报告"
              variant="secondary"
              fields={{ version: String(version), clear: '1' }}
            />
          </>
        ) : (
          <form method="post" action={`${path}/resisted`} novalidate>
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="version" value={String(version)} />
            <TextField
              name="note"
              id="resist-note"
              label="情况说明"
              hint="企业拒不执行退出要求的情况。报告后该企业列入信用惩戒名单。"
              value={stepForm?.step === '' ? (stepForm.values.note ?? '') : ''}
              multiline
              errors={errors}
              required
              maxLength={500}
            />
            <button type="submit" class="button small warning">
              报告拒不退出
            </button>
          </form>
        )}
      </section>
    </Layout>
  );
}

/** 新增或修改企业: the eight fields, each refused one beside its control, what was typed kept. */
export function ExitItemFormPage(
  props: PageBase & {
    values: RawFields;
    errors: readonly FieldError[];
    existing?: { readonly creditCode: string; readonly version: number };
  },
) {
  const { plan, unit, csrf, values, errors, existing } = props;
  const title = existing ? `修改企业信息：${values.name ?? ''}` : '新增企业';
  const action = existing ? itemPath(plan.id, unit.id, existing.creditCode) : `${ledgerPath(plan.id, unit.id)}/items`;
  const field = (name: keyof ExitItemFields, extra: { hint?: string; maxLength: number; type?: 'date' }) => (
    <TextField
      name={name}
      label={EXIT_FIELD_LABEL[name]}
      value={values[name] ?? ''}
      errors={errors}
      required
      {...extra}
    />
  );
  const methodError = errors.find((e) => e.field === 'exitMethod');
  return (
    <Layout title={title} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      <p>
        <a href={ledgerPath(plan.id, unit.id)}>返回退出台账</a>
      </p>
      <form method="post" action={action} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        {existing ? <input type="hidden" name="version" value={String(existing.version)} /> : null}
        {field('name', { maxLength: 100 })}
        {existing ? (
          <p>
            {EXIT_FIELD_LABEL.creditCode}：{existing.creditCode}（不可修改）
          </p>
        ) : (
          field('creditCode', { hint: '18位，如 91440700MA5xxxxxxx；系统核对校验位', maxLength: 20 })
        )}
        {field('industry', { hint: '如：水泥、钢铁、陶瓷', maxLength: 40 })}
        {field('capacity', { hint: '落后产能或设备，如：Φ3.2×13m 水泥磨机', maxLength: 200 })}
        {field('quantity', { hint: '正数，如 12 或 0.5', maxLength: 20 })}
        {field('measure', { hint: '如：万吨/年、台、条', maxLength: 20 })}
        <div class={methodError ? 'field error' : 'field'}>
          <label for="exitMethod">{EXIT_FIELD_LABEL.exitMethod}</label>
          {methodError ? (
            <span class="error-message" id="exitMethod-error">
              {methodError.message}
            </span>
          ) : null}
          <select
            id="exitMethod"
            name="exitMethod"
            {...(methodError ? { 'aria-invalid': 'true', 'aria-describedby': 'exitMethod-error' } : {})}
          >
            {EXIT_METHODS.map((m) => (
              <option value={m} selected={values.exitMethod === m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        {field('plannedDate', { hint: '年-月-日，如 2021-10-15', maxLength: 10, type: 'date' })}
        <button type="submit" class="button">
          保存
        </button>
      </form>
    </Layout>
  );
}
