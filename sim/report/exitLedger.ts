import { LIGHT } from '../../shared/domain/board/lights.js';
import { type ExitBoard, type ExitItemView, exitCountsText, exitLightWord } from '../../shared/domain/exits/board.js';
import { EXIT_STATUS_LABEL, type ExitStatus } from '../../shared/domain/exits/status.js';
import { escapeHtml } from '../../shared/domain/notices/escape.js';

/** The light class of an item's status, for its row. */
const ITEM_LIGHT: Record<ExitStatus, keyof typeof LIGHT> = {
  done: 'submitted',
  'done-late': 'late',
  overdue: 'missing',
  'in-progress': 'pending',
};

/**
 * 退出台账 in the report: per unit its exits done out of the total and those overdue, then each unit's items with
 * every step's date (a required step not done shows as 未完成). Static HTML: `<details>` opens a unit's items.
 */
export function renderExitLedger(board: ExitBoard): string {
  const e = escapeHtml;
  const summary = board.units
    .map((u) => {
      const light = LIGHT[u.light];
      return `<tr><th scope="row">${e(u.name)}</th><td class="cell ${light.className}"><span class="light ${light.className}"><span class="lamp" aria-hidden="true"></span><b>${light.light}</b> ${e(exitLightWord(u.light, u))}</span></td><td>${e(exitCountsText(u))}</td><td>${u.doneLate}</td><td>${u.resisted}</td></tr>`;
    })
    .join('\n');
  const details = board.units
    .filter((u) => u.items.length > 0)
    .map(
      (u) =>
        `<details class="exit-unit"${u.overdue > 0 ? ' open' : ''}><summary>${e(u.name)}：${e(exitCountsText(u))}</summary>${itemsTable(u.items)}</details>`,
    )
    .join('\n');
  return `<p class="note">全市 ${board.total} 家企业，已完成 ${board.done} 家，逾期未完成 ${board.overdue} 家。红 = 有逾期未完成的企业，黄 = 全部完成但有逾期完成，绿 = 全部按期完成，灰 = 推进中或未登记。</p>
<div class="board-wrap"><table class="board"><caption>各市（区）退出进度</caption>
<thead><tr><th scope="col" class="corner">市（区）</th><th scope="col">状态</th><th scope="col">完成/总数</th><th scope="col">其中逾期完成</th><th scope="col">拒不退出</th></tr></thead>
<tbody>
${summary}
</tbody></table></div>
${details}`;
}

function itemsTable(items: readonly ExitItemView[]): string {
  const e = escapeHtml;
  const steps = items[0]?.steps.map((s) => s.name) ?? [];
  const rows = items
    .map((v) => {
      const light = LIGHT[ITEM_LIGHT[v.status]];
      const cells = v.steps
        .map(
          (s) => `<td>${s.date ? e(s.date.slice(5)) : s.required ? '<span class="missing">未完成</span>' : '—'}</td>`,
        )
        .join('');
      const resisted = v.resisted ? `<span class="cell-meta undelivered">拒不退出：${e(v.resisted.note)}</span>` : '';
      return `<tr><th scope="row">${e(v.name)}<span class="cell-meta">${e(v.creditCode)} · ${e(v.capacity)}${e(v.quantity)}${e(v.measure)}</span>${resisted}</th><td>${e(v.exitMethod)}</td><td>${e(v.plannedDate)}</td><td class="cell ${light.className}">${e(EXIT_STATUS_LABEL[v.status])}${v.completedOn ? `<span class="cell-meta">${e(v.completedOn)}</span>` : ''}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="board-wrap"><table class="board exit-items">
<thead><tr><th scope="col">企业</th><th scope="col">退出方式</th><th scope="col">计划完成</th><th scope="col">状态</th>${steps.map((s) => `<th scope="col">${e(s)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}
