import type { DeadLetter } from '../../shared/adapters/local/scheduleRunner.js';
import { escapeHtml } from '../../shared/domain/notices/escape.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import type { NoticeRecord, RecipientRole } from '../../shared/domain/ports.js';
import { instantOf } from '../../shared/domain/time/wallClock.js';
import { namesOf, wallMinute } from '../../shared/web/report/format.js';
import { stageKey } from '../../shared/web/report/timelineData.js';
import type { DeadNotice } from '../result.js';
import { stageBadge } from './notices.js';

/** A notice owed and not (known to be) sent: left `claimed` or `failed` in the ledger. */
export type UnsentNotice = Pick<
  NoticeRecord,
  'milestone' | 'stage' | 'fireAt' | 'unit' | 'role' | 'units' | 'to' | 'subject' | 'state' | 'attempts' | 'error'
>;

/** What a run owed and did not deliver (issue 7: never lost silently). Both empty on a good run. */
export interface ReportFailures {
  /** Firings that exhausted their retries. */
  readonly deadLetters: readonly DeadLetter[];
  /** Notices the work queue gave up on (its dead-letter queue). */
  readonly deadNotices?: readonly DeadNotice[];
  readonly unsent: readonly UnsentNotice[];
}

/** A stage occurrence's key, as the timeline keys its marks. */
export { stageKey };

/** Per stage occurrence: how many of its notices are owed but unsent, and whether it was dead-lettered. */
export interface StageFailure {
  unsent: number;
  deadLetter?: DeadLetter;
}

export function failuresByStage(failures: ReportFailures | undefined): Map<string, StageFailure> {
  const out = new Map<string, StageFailure>();
  if (!failures) return out;
  const get = (key: string) => {
    let f = out.get(key);
    if (!f) {
      f = { unsent: 0 };
      out.set(key, f);
    }
    return f;
  };
  for (const d of failures.deadLetters) {
    get(stageKey(d.payload.milestone, d.payload.stage, instantOf(d.at, d.timezone))).deadLetter = d;
  }
  for (const n of failures.unsent) {
    const instant = Date.parse(n.fireAt);
    if (!Number.isNaN(instant)) get(stageKey(n.milestone, n.stage, instant)).unsent += 1;
  }
  return out;
}

const ROLE: Record<RecipientRole, string> = {
  unit: '责任单位',
  supervisor: '分管领导',
  head: '主要负责人',
  all: '通报主送单位（全体）',
  partner: '会同单位',
};
const STATE: Record<UnsentNotice['state'], string> = { claimed: '已认领未确认', failed: '发送失败', sent: '已发送' };

/**
 * The red section at the top of a report whose run left something undelivered: each dead-lettered
 * stage and each owed-but-unsent notice, so nobody reads a calm board and misses them. Empty when
 * nothing failed.
 */
export function renderFailures(plan: Plan, failures: ReportFailures | undefined): string {
  const deadNotices = failures?.deadNotices ?? [];
  if (!failures || (failures.deadLetters.length === 0 && deadNotices.length === 0 && failures.unsent.length === 0))
    return '';
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const titles = new Map(plan.milestones.map((m) => [m.id, m.title]));
  const title = (id: string) => `${escapeHtml(titles.get(id) ?? id)} <code>${escapeHtml(id)}</code>`;
  const { deadLetters, unsent } = failures;

  const letters =
    deadLetters.length === 0
      ? ''
      : `<h3>死信：重试后仍失败的督办环节（${deadLetters.length}）</h3>
<table class="failures"><thead><tr><th scope="col">计划发送时间</th><th scope="col">时间节点</th><th scope="col">环节</th><th scope="col">尝试次数</th><th scope="col">最后错误</th></tr></thead><tbody>
${deadLetters
  .map(
    (d) =>
      `<tr class="dead-letter"><td><time datetime="${escapeHtml(d.at)}">${escapeHtml(wallMinute(d.at))}</time></td><td>${title(d.payload.milestone)}</td><td>${stageBadge(d.payload.stage)}</td><td>${d.attempts}</td><td><code>${escapeHtml(d.error)}</code></td></tr>`,
  )
  .join('\n')}
</tbody></table>`;

  const dead =
    deadNotices.length === 0
      ? ''
      : `<h3>死信：投递多次仍未发出的通知（${deadNotices.length}）</h3>
<table class="failures"><thead><tr><th scope="col">计划发送时间</th><th scope="col">时间节点</th><th scope="col">环节</th><th scope="col">涉及单位</th><th scope="col">收件对象</th><th scope="col">投递次数</th></tr></thead><tbody>
${deadNotices
  .map(
    (d) =>
      `<tr class="dead-letter"><td>${escapeHtml(wallMinute(d.occurrence))}</td><td>${title(d.milestone)}</td><td>${stageBadge(d.stage)}</td><td>${escapeHtml(names.get(d.unit) ?? d.unit)}</td><td>${escapeHtml(ROLE[d.role as RecipientRole] ?? d.role)}</td><td>${d.receives}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;

  const notices =
    unsent.length === 0
      ? ''
      : `<h3>应发未发的通知（${unsent.length}）</h3>
<table class="failures"><thead><tr><th scope="col">计划发送时间</th><th scope="col">时间节点</th><th scope="col">环节</th><th scope="col">涉及单位</th><th scope="col">收件对象</th><th scope="col">状态</th><th scope="col">错误</th></tr></thead><tbody>
${[...unsent]
  .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || a.unit.localeCompare(b.unit) || a.role.localeCompare(b.role))
  .map(
    (n) =>
      `<tr class="unsent"><td><time datetime="${escapeHtml(n.fireAt)}">${escapeHtml(wallMinute(n.fireAt))}</time></td><td>${title(n.milestone)}</td><td>${stageBadge(n.stage)}</td><td>${escapeHtml(namesOf(n.units, names).join('、'))}</td><td>${escapeHtml(ROLE[n.role] ?? n.role)}<br>${n.to.map((a) => `<code>${escapeHtml(a)}</code>`).join(' ')}</td><td>${escapeHtml(STATE[n.state] ?? n.state)}（${n.attempts} 次）</td><td>${n.error ? `<code>${escapeHtml(n.error)}</code>` : '—'}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;

  return `<section class="card alert" id="failures" role="alert">
<h2>未送达：${deadLetters.length} 个督办环节、${deadNotices.length} 封通知进入死信，${unsent.length} 封应发通知未发出</h2>
<p class="note">以下通知应当发出而没有发出（重试已用尽或发送结果未确认），需要人工处理：核实后重新投递死信（重放是安全的，已发出的通知不会重复发送）。时间轴上以红色叉号标出。</p>
${letters}
${dead}
${notices}
</section>`;
}
