import type { Context, Hono } from 'hono';
import { REVIEW_LABEL } from '../../domain/board/board.js';
import { DomainError, RuleRefusedError } from '../../domain/errors.js';
import { reviewQueue } from '../../domain/portal/reviewQueue.js';
import { approveExtension, rejectExtension } from '../../domain/review/extensions.js';
import { acceptSubmission, returnSubmission } from '../../domain/review/review.js';
import { TextField } from '../../web/components.js';
import { zhDateTime } from '../../web/format.js';
import { ConsolePage } from '../../web/pages/consolePages.js';
import type { OfficeDeps, OfficeEnv } from './deps.js';

type Frame = (c: Context<OfficeEnv>) => {
  plan: OfficeEnv['Variables']['person']['plan'];
  who: { name: string; csrf: string };
};

const DONE: Record<string, string> = {
  accept: '已办结，单位已收到通知。',
  return: '已退回，单位已收到退回通知和重新报送的期限。',
  approve: '已批准延期，单位的督办提醒已按新日期排期。',
  reject: '已不予延期，单位已收到通知。',
};

/**
 * 复核与延期申请 — the office's view of the review queue over every milestone (the same queue a recipient unit
 * sees on its review page, `reviewQueue`), with the same decisions: 办结 / 退回, 批准 / 不予批准.
 */
export function registerReviewQueueRoutes(
  app: Hono<OfficeEnv>,
  deps: OfficeDeps,
  frame: Frame,
  actor: (c: Context<OfficeEnv>) => string,
): void {
  const page = async (c: Context<OfficeEnv>, refused?: { key: string; message: string; reason: string }) => {
    const { plan } = c.var.person;
    const queue = await reviewQueue(deps, plan, undefined);
    const base = `/plans/${plan.id}/console/reviews`;
    const csrf = c.var.person.session.csrf;
    const pending = queue.flatMap((m) => m.items.filter((i) => i.review === 'pending').map((i) => ({ m, i })));
    const open = queue.flatMap((m) => m.openRequests.map((r) => ({ m, r })));
    const done = DONE[c.req.query('done') ?? ''];
    const hidden = (milestone: string, unit: string) => (
      <>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="milestone" value={milestone} />
        <input type="hidden" name="unit" value={unit} />
      </>
    );
    const reasonField = (key: string, label: string) => (
      <TextField
        name="reason"
        id={key}
        label={label}
        maxLength={500}
        required
        value={refused?.key === key ? refused.reason : ''}
        errors={refused ? [{ field: refused.key, message: refused.message }] : []}
      />
    );
    return c.html(
      <ConsolePage {...frame(c)} title="复核与延期申请">
        {done ? (
          <div class="flash" role="status">
            {done}
          </div>
        ) : null}
        <h2>待复核的报送（{pending.length}）</h2>
        {pending.length === 0 ? <p>没有待复核的报送。</p> : null}
        {pending.map(({ m, i }) => (
          <section class="card" aria-label={`${i.unit.name} · ${m.milestone.title}`}>
            <h3>
              {i.unit.name} · {m.milestone.title}
            </h3>
            <p>
              {REVIEW_LABEL[i.review]}；报送时间 {zhDateTime(i.submission.at, plan.timezone)}；文号{' '}
              {i.submission.ref ?? '—'}；附件 {i.submission.attachments?.length ?? 0} 个（接收单位在其审核页面下载）
            </p>
            <form method="post" action={`${base}/accept`} class="inline">
              {hidden(m.milestone.id, i.unit.id)}
              <button type="submit" class="button small">
                办结
              </button>
            </form>
            <form method="post" action={`${base}/return`}>
              {hidden(m.milestone.id, i.unit.id)}
              {reasonField(`ret-${m.milestone.id}-${i.unit.id}`, '退回理由')}
              <button type="submit" class="button small warning">
                退回
              </button>
            </form>
          </section>
        ))}
        <h2>待处理的延期申请（{open.length}）</h2>
        {open.length === 0 ? <p>没有待处理的延期申请。</p> : null}
        {open.map(({ m, r }) => (
          <section class="card" aria-label={`${r.unit.name} · ${m.milestone.title} 延期申请`}>
            <h3>
              {r.unit.name} · {m.milestone.title}
            </h3>
            <p>
              申请延至 {r.request.deadline}；理由：{r.request.reason}
            </p>
            <form method="post" action={`${base}/approve`} class="inline">
              {hidden(m.milestone.id, r.unit.id)}
              <button type="submit" class="button small">
                批准
              </button>
            </form>
            <form method="post" action={`${base}/reject`}>
              {hidden(m.milestone.id, r.unit.id)}
              {reasonField(`rej-${m.milestone.id}-${r.unit.id}`, '不予批准的理由')}
              <button type="submit" class="button small warning">
                不予批准
              </button>
            </form>
          </section>
        ))}
      </ConsolePage>,
      refused ? 422 : 200,
    );
  };

  app.get('/plans/:plan/console/reviews', (c) => page(c));

  app.post('/plans/:plan/console/reviews/:decision', async (c) => {
    const { plan } = c.var.person;
    const body = await c.req.parseBody();
    const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const ids = { plan: plan.id, milestone: str('milestone'), unit: str('unit') };
    const who = { by: actor(c) };
    const reason = str('reason');
    const decision = c.req.param('decision');
    const key = `${decision === 'reject' ? 'rej' : 'ret'}-${ids.milestone}-${ids.unit}`;
    try {
      if (decision === 'accept') await acceptSubmission(deps, ids, who);
      else if (decision === 'return') await returnSubmission(deps, ids, reason, who);
      else if (decision === 'approve') await approveExtension(deps, ids, who);
      else if (decision === 'reject') await rejectExtension(deps, ids, who, reason);
      else return c.notFound();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const message = error instanceof RuleRefusedError && error.zh ? error.zh : error.message;
      return page(c, { key, message, reason });
    }
    return c.redirect(`/plans/${plan.id}/console/reviews?done=${decision}`, 303);
  });
}
