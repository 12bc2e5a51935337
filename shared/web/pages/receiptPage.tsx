import { chineseDateTime } from '../../domain/notices/chineseDate.js';
import { monthDay, phrased } from '../../domain/notices/wording.js';
import type { Milestone, Unit } from '../../domain/plan/schema.js';
import type { Receipt, ReceiptAttendee, StoredPlan } from '../../domain/ports.js';
import { MAX_ATTENDEES, type Summoned } from '../../domain/submissions/receipt.js';
import { ConfirmOrEdit, ErrorSummary, type FieldError, TextField } from '../components.js';
import { zhDateTime } from '../format.js';
import { Layout } from '../layout.js';

/** The rows of the form as typed (the handler's parse keeps them). */
type Rows = readonly Partial<ReceiptAttendee>[];

interface Common {
  readonly plan: StoredPlan;
  readonly unit: Unit;
  readonly milestone: Milestone;
  readonly csrf: string;
  readonly summoned: Summoned;
}

export const receiptPath = (plan: string, unit: string, milestone: string) =>
  `/plans/${plan}/units/${unit}/receipts/${milestone}`;
const pathOf = (c: Common) => receiptPath(c.plan.id, c.unit.id, c.milestone.id);
const field = (name: keyof ReceiptAttendee, i: number) => `${name}${i + 1}`;

/** What the 约谈通知 said: when, where, who holds it, who attends, and by when the 回执 is due. */
function InterviewFacts(props: Common) {
  const { interview } = props.summoned;
  return (
    <section class="card" aria-labelledby="interview-title">
      <h2 id="interview-title">约谈安排</h2>
      <dl>
        <dt>约谈时间</dt>
        <dd>{chineseDateTime(interview.wall)}</dd>
        <dt>约谈地点</dt>
        <dd>{interview.place}</dd>
        <dt>主持人</dt>
        <dd>{interview.host}</dd>
        <dt>参加人员</dt>
        <dd>{phrased(interview.attendees ?? '{本级}主要负责同志', props.unit)}</dd>
        <dt>回执截止</dt>
        <dd>{monthDay(interview.explainBy)}24时前</dd>
      </dl>
    </section>
  );
}

/** 约谈回执: who attends (姓名、职务、联系电话), one fieldset per person; the first is required. */
export function ReceiptPage(props: Common & { values: Rows; errors: readonly FieldError[]; flash?: string }) {
  const { plan, unit, milestone, csrf, values, errors, summoned } = props;
  const title = `约谈回执：${milestone.title}`;
  return (
    <Layout title={title} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <ErrorSummary errors={errors} />
      {props.flash ? (
        <p class="flash" role="status">
          {props.flash}
        </p>
      ) : null}
      <h1>{title}</h1>
      <p class="lead">
        请填写参加约谈人员的姓名、职务和联系电话。
        {summoned.receipt
          ? `已于${zhDateTime(summoned.receipt.at, plan.timezone)}提交回执；再次提交将更正原回执。`
          : ''}
      </p>
      <InterviewFacts {...props} />
      <form method="post" action={pathOf(props)} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        {Array.from({ length: MAX_ATTENDEES }, (_, i) => (
          <fieldset class="card">
            <legend>
              第{i + 1}位参加人员{i === 0 ? '' : '（选填）'}
            </legend>
            <TextField
              name={field('name', i)}
              label="姓名"
              value={values[i]?.name}
              errors={errors}
              required={i === 0}
              maxLength={40}
              {...(i === 0 ? { autocomplete: 'name' } : {})}
            />
            <TextField
              name={field('post', i)}
              label="职务"
              hint="如：市长、副市长、工业和信息化局局长"
              value={values[i]?.post}
              errors={errors}
              required={i === 0}
              maxLength={60}
            />
            <TextField
              name={field('phone', i)}
              label="联系电话"
              hint="如：0750-3500000 或 13800000000"
              type="tel"
              value={values[i]?.phone}
              errors={errors}
              required={i === 0}
              maxLength={30}
            />
          </fieldset>
        ))}
        <button type="submit" class="button">
          下一步：核对回执
        </button>
      </form>
      <p>
        <a href={`/plans/${plan.id}/units/${unit.id}`}>返回督办事项</a>
      </p>
    </Layout>
  );
}

function Attendees(props: { attendees: readonly Partial<ReceiptAttendee>[] }) {
  return (
    <dl>
      {props.attendees.map((a, i) => (
        <>
          <dt>第{i + 1}位参加人员</dt>
          <dd>
            {a.name}，{a.post}，{a.phone}
          </dd>
        </>
      ))}
    </dl>
  );
}

/** 核对: the 回执 as it will be recorded, before anything is recorded. */
export function ReceiptCheckPage(props: Common & { attendees: readonly ReceiptAttendee[] }) {
  const { plan, unit, milestone, csrf, attendees } = props;
  const values = attendees.flatMap((a, i) =>
    (['name', 'post', 'phone'] as const).map((name) => [field(name, i), a[name]] as const),
  );
  return (
    <Layout title={`核对约谈回执：${milestone.title}`} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <h1>核对约谈回执</h1>
      <p class="lead">请核对参加约谈人员。确认后即提交回执。</p>
      <section class="card check">
        <Attendees attendees={attendees} />
      </section>
      <ConfirmOrEdit action={pathOf(props)} csrf={csrf} values={values} confirmLabel="确认提交回执" />
    </Layout>
  );
}

/** 回执已提交: what was recorded, and when (the server's time). */
export function ReceiptDonePage(props: Common & { receipt: Receipt }) {
  const { plan, unit, milestone, csrf, receipt } = props;
  return (
    <Layout title={`已提交约谈回执：${milestone.title}`} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      <div class="notice-panel" role="status">
        <h1>回执已提交</h1>
        <p>提交时间：{zhDateTime(receipt.at, plan.timezone)}</p>
      </div>
      <InterviewFacts {...props} />
      <section class="card">
        <h2>参加约谈人员</h2>
        <Attendees attendees={receipt.attendees} />
      </section>
      <p>
        <a href={pathOf(props)}>更正回执</a>
      </p>
      <p>
        <a href={`/plans/${plan.id}/units/${unit.id}`}>返回督办事项</a>
      </p>
    </Layout>
  );
}
