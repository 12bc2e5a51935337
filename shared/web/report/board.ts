import { type BoardRow, rowNotes } from '../../domain/board/board.js';
import { countStatuses, LIGHT, type LightStatus } from '../../domain/board/lights.js';
import { DELIVERY_LABEL } from '../../domain/delivery/officeNotice.js';
import { ADDRESS_ROLE_LABEL } from '../../domain/delivery/recipients.js';
import { exitCountsText, exitLightWord } from '../../domain/exits/board.js';
import { escapeHtml } from '../../domain/notices/escape.js';
import { phrased } from '../../domain/notices/wording.js';
import type { Plan } from '../../domain/plan/schema.js';
import { STAGE_LABEL } from '../../domain/plan/stages.js';
import { shortMinute } from './format.js';
import { statusLight } from './lights.js';

/** A board row as rendered; `pending` only occurs on a live board before the deadline. */
export type BoardCell = Omit<BoardRow, 'status'> & { readonly status: LightStatus };

/**
 * Units × milestones: one row per unit (the people being chased), one column per milestone. A unit
 * not responsible for a milestone gets an empty cell, so a unit's whole year reads across one line.
 */
export function renderBoard(plan: Plan, board: readonly BoardCell[]): string {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const cells = new Map(board.map((r) => [`${r.unit}|${r.milestone}`, r]));
  const milestones = plan.milestones;
  // Units on the board but not in the plan still show: a report must not hide a row it was given.
  const unitIds = [...plan.units.map((u) => u.id), ...board.map((r) => r.unit)].filter(
    (id, i, all) => all.indexOf(id) === i && board.some((r) => r.unit === id),
  );

  const head = milestones
    .map((m) => {
      const counts = countStatuses(board.filter((r) => r.milestone === m.id).map((r) => r.status));
      const tally = (['submitted', 'late', 'missing', 'pending'] as const)
        .filter((s) => counts[s] > 0 || s !== 'pending')
        .map((s) => `<span class="tally ${LIGHT[s].className}">${LIGHT[s].light} ${counts[s]}</span>`)
        .join('');
      const to = names.get(m.recipient) ?? m.recipient;
      return `<th scope="col" title="${escapeHtml(`报送材料：${phrased(m.deliverable)}`)}"><span class="m-title">${escapeHtml(m.title)}</span><span class="m-meta">截止 ${escapeHtml(m.deadline)} · 报送${escapeHtml(to)}</span><span class="m-tally">${tally}</span></th>`;
    })
    .join('');

  const body = unitIds
    .map((unit) => {
      const own = board.filter((r) => r.unit === unit);
      const red = own.filter((r) => r.status === 'missing').length;
      const undelivered = own.some((r) => r.deliveryFailure);
      const tds = milestones
        .map((m) => {
          const row = cells.get(`${unit}|${m.id}`);
          return row
            ? `<td class="cell ${LIGHT[row.status].className}">${cellContent(row)}</td>`
            : '<td class="cell none">—</td>';
        })
        .join('');
      const flag = `${red > 0 ? `<span class="unit-red">${red} 项未报送</span>` : ''}${undelivered ? '<span class="unit-red">投递失败</span>' : ''}`;
      return `<tr><th scope="row"><span class="unit-name">${escapeHtml(names.get(unit) ?? unit)}</span>${flag}</th>${tds}</tr>`;
    })
    .join('\n');

  return `<div class="board-wrap" tabindex="0" role="region" aria-label="报送情况表（可左右滚动）"><table class="board">
<caption>报送情况看板：绿 = 按时报送，黄 = 逾期报送，红 = 未报送；“—” 表示该单位不是该节点的责任单位。</caption>
<thead><tr><th scope="col" class="corner">责任单位</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}

function cellContent(row: BoardCell): string {
  const lines = [statusLight(row.status, row.ledger ? exitLightWord(row.status, row.ledger) : undefined)];
  if (row.ledger) lines.push(`<span class="cell-meta">${escapeHtml(exitCountsText(row.ledger))}</span>`);
  if (row.submittedAt)
    lines.push(
      `<span class="cell-meta">报送 <time datetime="${escapeHtml(row.submittedAt)}">${escapeHtml(shortMinute(row.submittedAt))}</time></span>`,
    );
  if (row.lastStage)
    lines.push(`<span class="cell-meta">最后督办：${escapeHtml(STAGE_LABEL[row.lastStage] ?? row.lastStage)}</span>`);
  for (const note of rowNotes(row)) lines.push(`<span class="cell-meta note">${escapeHtml(note)}</span>`);
  if (row.deliveryFailure)
    lines.push(
      `<span class="cell-meta undelivered">投递失败：${escapeHtml(ADDRESS_ROLE_LABEL[row.deliveryFailure.role])}地址${escapeHtml(DELIVERY_LABEL[row.deliveryFailure.delivery])}</span>`,
    );
  return lines.join('');
}
