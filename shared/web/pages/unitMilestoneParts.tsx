import { chineseDate } from '../../domain/notices/chineseDate.js';
import type { UnitMilestoneView } from '../../domain/portal/unitOverview.js';
import type { StoredPlan } from '../../domain/ports.js';
import { ErrorSummary, type FieldError, TextField } from '../components.js';
import { zhDateTime } from '../format.js';

/** What the unit typed into its 延期申请, kept when the form is refused. */
export interface ExtensionFormState {
  readonly milestone: string;
  readonly values: { readonly deadline?: string; readonly reason?: string };
  readonly errors: readonly FieldError[];
}

/** 截止时间: the unit's own date, and why it has one (延期 or 退回), with the milestone's for reference. */
export function DeadlineFact({ view }: { view: UnitMilestoneView }) {
  const own = chineseDate(view.deadline);
  if (view.dateKind === 'return') return <dd>{own}（退回后重新报送的期限，当日24时前）</dd>;
  if (view.deadline !== view.milestone.deadline) {
    return (
      <dd>
        {own}（已延期，当日24时前；原截止时间{chineseDate(view.milestone.deadline)}）
      </dd>
    );
  }
  return <dd>{own}（当日24时前）</dd>;
}

/** Where the review of the unit's latest submission stands: 待审核, 已办结, or 退回 with its reason and date. */
export function ReviewBox({ view, zone }: { view: UnitMilestoneView; zone: string }) {
  const latest = view.latest;
  if (!latest) return null;
  const review = latest.submission.review;
  if (latest.review === 'returned' && review) {
    return (
      <div class="notice returned" role="note">
        <p>
          <strong>退回</strong>：{zhDateTime(review.at, zone)}，报送对象退回了贵单位于
          {zhDateTime(latest.submission.at, zone)}报送的材料。
        </p>
        <p>退回理由：{review.reason}</p>
        {review.deadline ? <p>请于{chineseDate(review.deadline)}24时前修改后重新报送。</p> : null}
      </div>
    );
  }
  if (latest.review === 'accepted' && review) {
    return <p class="done">已办结：{zhDateTime(review.at, zone)}，报送对象已审核通过。</p>;
  }
  return <p class="pending-review">待审核：报送对象审核后，系统将以邮件告知结果。</p>;
}

/** The unit's 延期申请: its latest request and the decision, or the form while it may still ask. */
export function ExtensionBox(props: {
  view: UnitMilestoneView;
  plan: StoredPlan;
  action: string;
  csrf: string;
  form?: ExtensionFormState;
}) {
  const { view, plan } = props;
  const request = view.extension;
  const id = (field: string) => `ext-${view.milestone.id}-${field}`;
  const form = props.form?.milestone === view.milestone.id ? props.form : undefined;
  const status = request ? (
    request.decision === undefined ? (
      <p class="pending-review">
        延期申请待审批：申请延至{chineseDate(request.deadline)}（{zhDateTime(request.at, plan.timezone)}提交）。理由：
        {request.reason}
      </p>
    ) : request.decision.state === 'approved' ? (
      <p class="done">延期申请已批准：截止时间延至{chineseDate(request.decision.deadline ?? request.deadline)}。</p>
    ) : (
      <p class="notice returned">
        延期申请未获批准（{zhDateTime(request.decision.at, plan.timezone)}）：{request.decision.reason}
      </p>
    )
  ) : null;
  if (!view.mayAskExtension) return status;
  const nextDay = (() => {
    const d = new Date(`${view.deadline}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  })();
  return (
    <>
      {status}
      <details class="extension" {...(form ? { open: true } : {})}>
        <summary>申请延期</summary>
        <form method="post" action={props.action} novalidate>
          <input type="hidden" name="_csrf" value={props.csrf} />
          {form ? <ErrorSummary errors={form.errors} /> : null}
          <p class="hint">须在截止时间前提出，经{'报送对象'}审批同意后，仅贵单位的截止时间和督办环节随之调整。</p>
          <TextField
            name="deadline"
            id={id('deadline')}
            label="申请延至"
            type="date"
            min={nextDay}
            value={form?.values.deadline ?? ''}
            errors={form?.errors ?? []}
            required
            maxLength={10}
            hint="格式：年-月-日，须晚于现截止时间"
          />
          <TextField
            name="reason"
            id={id('reason')}
            label="延期理由"
            multiline
            value={form?.values.reason ?? ''}
            errors={form?.errors ?? []}
            required
            maxLength={500}
          />
          <button type="submit" class="button secondary">
            提交延期申请
          </button>
        </form>
      </details>
    </>
  );
}
