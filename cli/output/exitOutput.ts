import { LIGHT } from '../../shared/domain/board/lights.js';
import { type ExitBoard, exitCountsText, exitLightWord } from '../../shared/domain/exits/board.js';
import { EXIT_STATUS_LABEL } from '../../shared/domain/exits/status.js';
import { renderTable } from './table.js';

/**
 * 退出台账 in the terminal: per unit its light, exits done out of the total and those overdue, and the enterprises
 * not done (by name, with the steps they lack), the part of the ledger an office acts on.
 */
export function renderExitBoard(board: ExitBoard, color: boolean): string {
  const paint = (text: string, code: number) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const rows = board.units.map((u) => {
    const light = LIGHT[u.light];
    const open = u.items
      .filter((v) => v.status === 'overdue' || v.status === 'in-progress')
      .map(
        (v) =>
          `${v.name}（${EXIT_STATUS_LABEL[v.status]}${v.resisted ? '，拒不退出' : ''}；缺${v.missing.join('、')}）`,
      );
    return [
      u.name,
      `${paint(`●${light.light}`, light.ansi)} ${exitLightWord(u.light, u)}`,
      exitCountsText(u),
      open.join('；') || '—',
    ];
  });
  const table = renderTable(['市（区）', '状态', '退出进度', '未完成的企业'], rows);
  return `${table}\n\n全部 ${board.total} 家，已完成 ${board.done} 家，逾期未完成 ${board.overdue} 家`;
}
