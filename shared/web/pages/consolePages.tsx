import type { Child } from 'hono/jsx';
import type { StageDate } from '../../domain/calendar/deadlineAdvice.js';
import { zhWall } from '../../domain/calendar/deadlineAdvice.js';
import type { EditPreview } from '../../domain/calendar/previewEdit.js';
import { STAGE_LABEL, type StageKind } from '../../domain/plan/stages.js';
import type { StoredPlan } from '../../domain/ports.js';
import type { ReconcileResult } from '../../domain/schedule/reconcile.js';
import { ErrorSummary, type FieldError, TextField, type TextFieldProps } from '../components.js';
import { Layout } from '../layout.js';

export interface ConsoleFrame {
  readonly plan: StoredPlan;
  readonly who: { readonly name: string; readonly csrf: string };
}

/** Every console page: the plan, the person, a way back to the console and the board. */
export function ConsolePage(props: ConsoleFrame & { title: string; children?: Child; errors?: readonly FieldError[] }) {
  return (
    <Layout title={props.title} planTitle={props.plan.title} staff who={props.who} styles={['/assets/office.css']}>
      <ErrorSummary errors={props.errors ?? []} />
      <p>
        <a href={`/plans/${props.plan.id}/console`}>督办办公室工作台</a> ·{' '}
        <a href={`/plans/${props.plan.id}`}>督办看板</a>
      </p>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}

/** A select of the plan's milestones by their Chinese titles. */
export function MilestoneSelect(props: { plan: StoredPlan; value?: string; errors: readonly FieldError[] }) {
  const error = props.errors.find((e) => e.field === 'milestone');
  return (
    <div class={error ? 'field error' : 'field'}>
      <label for="milestone">事项</label>
      {error ? <span class="error-message">{error.message}</span> : null}
      <select id="milestone" name="milestone" required>
        <option value="">请选择事项</option>
        {props.plan.milestones.map((m) => (
          <option value={m.id} selected={props.value === m.id}>
            {m.title}（截止 {m.deadline}）
          </option>
        ))}
      </select>
    </div>
  );
}

/** A select of the plan's units by their Chinese names; `optional` adds “全部单位”. */
export function UnitSelect(props: {
  plan: StoredPlan;
  value?: string;
  errors: readonly FieldError[];
  optional?: string;
  label?: string;
}) {
  const error = props.errors.find((e) => e.field === 'unit');
  return (
    <div class={error ? 'field error' : 'field'}>
      <label for="unit">{props.label ?? '单位'}</label>
      {error ? <span class="error-message">{error.message}</span> : null}
      <select id="unit" name="unit" required={props.optional === undefined}>
        <option value="">{props.optional ?? '请选择单位'}</option>
        {props.plan.units.map((u) => (
          <option value={u.id} selected={props.value === u.id}>
            {u.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A console field: the portal's labelled field (hint, error beside it), with a generous length for a form's text. */
export function Field(props: Omit<TextFieldProps, 'maxLength'> & { maxLength?: number }) {
  return <TextField {...props} maxLength={props.maxLength ?? (props.multiline ? 200_000 : 500)} />;
}

const stageRows = (stages: readonly StageDate[] | undefined) =>
  (stages ?? []).map((s) => (
    <li class={s.past ? 'past' : undefined}>
      {STAGE_LABEL[s.stage]} {zhWall(s.wall)}
      {s.past ? '（已过，不发送）' : ''}
    </li>
  ));

/** 预览: what the edit changes, the stage dates old → new, the schedules, who is next; applied only on confirm. */
export function PreviewPage(
  props: ConsoleFrame & {
    title: string;
    preview: EditPreview;
    changes: readonly string[];
    action: string;
    hidden: Record<string, string>;
  },
) {
  const { preview, plan } = props;
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const titles = new Map(plan.milestones.map((m) => [m.id, m.title]));
  return (
    <ConsolePage {...props} title={`预览：${props.title}`}>
      <p class="lead">以下为预览，尚未生效。确认后才会修改日历并调整发送计划。</p>
      <section class="card diff">
        <h2>变更内容</h2>
        <ul>
          {props.changes.map((c) => (
            <li>{c}</li>
          ))}
        </ul>
      </section>
      {preview.milestones.map((m) => (
        <section class="card">
          <h2>
            {titles.get(m.milestone) ?? m.milestone}
            {m.unit ? `（${names.get(m.unit) ?? m.unit}）` : ''}的督办环节
          </h2>
          {(m.after?.warnings ?? []).map((w) => (
            <p class="warning-text">{w}</p>
          ))}
          <div class="diff">
            <h3>原安排</h3>
            <ul>{stageRows(m.before?.stages)}</ul>
            <h3>新安排</h3>
            <ul>{stageRows(m.after?.stages)}</ul>
          </div>
          {m.next ? (
            <p>
              下一环节：{STAGE_LABEL[m.next.stage as StageKind]} {zhWall(m.next.wall)}，将通知：
              {m.next.units.length > 0
                ? m.next.units.map((u) => names.get(u) ?? u).join('、')
                : '（均已报送，无需通知）'}
            </p>
          ) : (
            <p>修改后没有尚待发送的环节。</p>
          )}
        </section>
      ))}
      <ScheduleChanges reconcile={preview.result.reconcile} />
      <form method="post" action={props.action}>
        <input type="hidden" name="_csrf" value={props.who.csrf} />
        {Object.entries(props.hidden).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" class="button">
          确认修改
        </button>{' '}
        <a href={`/plans/${plan.id}/console`}>取消</a>
      </form>
    </ConsolePage>
  );
}

/** The schedules an edit creates, moves and deletes, and the stages it moved into the past. */
export function ScheduleChanges(props: { reconcile: ReconcileResult }) {
  const r = props.reconcile;
  return (
    <section class="card">
      <h2>发送计划</h2>
      <p>
        新建 {r.created.length} 个，调整 {r.updated.length} 个，删除 {r.deleted.length} 个，不变 {r.unchanged} 个。
      </p>
      <ul>
        {r.created.map((n) => (
          <li>新建 {n}</li>
        ))}
        {r.updated.map((n) => (
          <li>调整 {n}</li>
        ))}
        {r.deleted.map((n) => (
          <li>删除 {n}</li>
        ))}
        {r.skippedPast.map((s) => (
          <li class="past">
            {s.milestone} {STAGE_LABEL[s.stage as StageKind] ?? s.stage} {zhWall(s.at)} 已过，不再发送
          </li>
        ))}
      </ul>
    </section>
  );
}
