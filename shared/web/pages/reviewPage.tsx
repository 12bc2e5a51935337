import { REVIEW_LABEL } from '../../domain/board/board.js';
import { chineseDate } from '../../domain/notices/chineseDate.js';
import { ladderDeadline } from '../../domain/plan/ladder.js';
import type { Unit } from '../../domain/plan/schema.js';
import type { ReviewItem, ReviewMilestone } from '../../domain/portal/reviewQueue.js';
import type { ExtensionRequest, StoredPlan } from '../../domain/ports.js';
import { ActionButton, ErrorSummary, type FieldError, TextField } from '../components.js';
import { fileSize, zhDateTime } from '../format.js';
import { Layout } from '../layout.js';

/** A refused 退回 or decision, shown again with what the reviewer typed, next to the unit it was about. */
export interface ReviewFormState {
  /** `<milestone>/<unit>/<action>`: which form on the page it belongs to. */
  readonly form: string;
  readonly values: { readonly reason?: string; readonly deadline?: string };
  readonly errors: readonly FieldError[];
}

export interface ReviewPageProps {
  readonly plan: StoredPlan;
  readonly reviewer: Unit;
  readonly queue: readonly ReviewMilestone[];
  readonly csrf: string;
  /** Where this page lives: `/plans/<plan>/units/<unit>/review`. */
  readonly base: string;
  readonly flash?: string;
  readonly refused?: ReviewFormState;
}

/** 审核: for each milestone this unit receives, the units' submissions (办结 / 退回) and 延期申请 (批准 / 不予延期). */
export function ReviewPage({ plan, reviewer, queue, csrf, base, flash, refused }: ReviewPageProps) {
  const unitPage = base.replace(/\/review$/, '');
  return (
    <Layout title="审核报送材料" planTitle={plan.title} who={{ name: reviewer.name, csrf }}>
      <p>
        <a href={unitPage}>← 返回本单位督办事项</a>
      </p>
      {flash ? (
        <p class="flash" role="status">
          {flash}
        </p>
      ) : null}
      <h1>审核报送材料</h1>
      {refused?.form.endsWith('/accept') ? <ErrorSummary errors={refused.errors} /> : null}
      <p class="lead">
        以下事项由{reviewer.name}
        接收。请逐件审核：审核通过即“办结”；需要补充或更正的，填写理由后“退回”，该单位将收到退回通知和重新报送的期限。
      </p>
      {queue.length === 0 ? <p>本计划中没有报送给贵单位的事项。</p> : null}
      {queue.map((m) => (
        <section class="card" aria-labelledby={`r-${m.milestone.id}`}>
          <h2 id={`r-${m.milestone.id}`}>{m.milestone.title}</h2>
          <p class="meta">
            截止时间{chineseDate(m.milestone.deadline)}；已报送{m.items.filter((i) => i.review !== 'returned').length}/
            {m.milestone.responsible.length}个单位
          </p>
          {m.items.length === 0 ? <p>暂无单位报送。</p> : null}
          {m.items.map((item) => (
            <SubmissionCard
              item={item}
              milestone={m.milestone.id}
              plan={plan}
              csrf={csrf}
              base={base}
              {...(refused ? { refused } : {})}
            />
          ))}
          {m.openRequests.length > 0 ? <h3>待审批的延期申请</h3> : null}
          {m.openRequests.map(({ unit, request }) => (
            <ExtensionCard
              unit={unit}
              request={request}
              current={ladderDeadline(m.milestone, unit.id)}
              plan={plan}
              csrf={csrf}
              base={base}
              {...(refused ? { refused } : {})}
            />
          ))}
          {m.waiting.length > 0 ? (
            <p class="meta">尚未报送（或退回待重报）：{m.waiting.map((u) => u.name).join('、')}</p>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}

function SubmissionCard(props: {
  item: ReviewItem;
  milestone: string;
  plan: StoredPlan;
  csrf: string;
  base: string;
  refused?: ReviewFormState;
}) {
  const { item, plan, csrf, base } = props;
  const s = item.submission;
  const path = `${base}/${props.milestone}/${item.unit.id}`;
  const formKey = `${props.milestone}/${item.unit.id}/return`;
  const refused = props.refused?.form === formKey ? props.refused : undefined;
  const reasonId = `ret-${props.milestone}-${item.unit.id}`;
  return (
    <article class="review-item" aria-labelledby={`${reasonId}-title`}>
      <h3 id={`${reasonId}-title`}>
        {item.unit.name} <span class={`review ${item.review}`}>{REVIEW_LABEL[item.review]}</span>
      </h3>
      <dl class="facts">
        <dt>报送时间</dt>
        <dd>{zhDateTime(s.at, plan.timezone)}</dd>
        <dt>文号</dt>
        <dd>{s.ref ?? '—'}</dd>
        {s.contact ? (
          <>
            <dt>联系人</dt>
            <dd>
              {s.contact} {s.phone ?? ''}
            </dd>
          </>
        ) : null}
        {s.note ? (
          <>
            <dt>说明</dt>
            <dd>{s.note}</dd>
          </>
        ) : null}
        <dt>附件</dt>
        <dd>
          {s.attachments?.length
            ? s.attachments.map((a, i) => (
                <span>
                  <a href={`${path}/attachments/${i}`}>{a.name}</a>（{fileSize(a.size)}）
                  <br />
                </span>
              ))
            : '无'}
        </dd>
        {s.review ? (
          <>
            <dt>审核</dt>
            <dd>
              {REVIEW_LABEL[s.review.state]} {zhDateTime(s.review.at, plan.timezone)}
              {s.review.reason ? `：${s.review.reason}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {item.review === 'pending' ? (
        <div class="actions">
          <ActionButton action={`${path}/accept`} csrf={csrf} label="办结（审核通过）" />
          <ReasonForm
            action={`${path}/return`}
            csrf={csrf}
            id={reasonId}
            label="退回理由"
            hint="写明需要补充或更正的内容；该单位将在退回通知中看到"
            button="退回"
            {...(refused ? { refused } : {})}
          />
        </div>
      ) : null}
    </article>
  );
}

function ExtensionCard(props: {
  unit: Unit;
  request: ExtensionRequest;
  current: string;
  plan: StoredPlan;
  csrf: string;
  base: string;
  refused?: ReviewFormState;
}) {
  const { unit, request, plan, csrf, base } = props;
  const path = `${base}/${request.milestone}/${unit.id}/extension`;
  const refusedOf = (action: string) =>
    props.refused?.form === `${request.milestone}/${unit.id}/${action}` ? props.refused : undefined;
  const approve = refusedOf('approve');
  const reject = refusedOf('reject');
  const id = (field: string) => `ext-${request.milestone}-${unit.id}-${field}`;
  return (
    <article class="review-item">
      <h4>{unit.name}</h4>
      <dl class="facts">
        <dt>现截止时间</dt>
        <dd>{chineseDate(props.current)}</dd>
        <dt>申请延至</dt>
        <dd>{chineseDate(request.deadline)}</dd>
        <dt>理由</dt>
        <dd>{request.reason}</dd>
        <dt>提交时间</dt>
        <dd>{zhDateTime(request.at, plan.timezone)}</dd>
      </dl>
      <div class="actions">
        <form method="post" action={`${path}/approve`} novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          {approve ? <ErrorSummary errors={approve.errors} /> : null}
          <TextField
            name="deadline"
            id={id('deadline')}
            label="批准延至"
            type="date"
            hint="默认为申请的日期，可改为其他日期"
            required
            maxLength={10}
            value={approve?.values.deadline ?? request.deadline}
            errors={approve?.errors ?? []}
          />
          <button type="submit" class="button">
            批准延期
          </button>
        </form>
        <ReasonForm
          action={`${path}/reject`}
          csrf={csrf}
          id={id('reason')}
          label="不予延期的理由"
          button="不予延期"
          {...(reject ? { refused: reject } : {})}
        />
      </div>
    </article>
  );
}

/** A refusal behind its own disclosure (退回, 不予延期): the reason is required, and kept when the form is refused. */
function ReasonForm(props: {
  action: string;
  csrf: string;
  id: string;
  label: string;
  hint?: string;
  button: string;
  refused?: ReviewFormState;
}) {
  const { refused } = props;
  return (
    <details {...(refused ? { open: true } : {})}>
      <summary>{props.button}</summary>
      <form method="post" action={props.action} novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        {refused ? <ErrorSummary errors={refused.errors} /> : null}
        <TextField
          name="reason"
          id={props.id}
          label={props.label}
          {...(props.hint ? { hint: props.hint } : {})}
          multiline
          required
          maxLength={500}
          value={refused?.values.reason ?? ''}
          errors={refused?.errors ?? []}
        />
        <button type="submit" class="button warning">
          {props.button}
        </button>
      </form>
    </details>
  );
}
