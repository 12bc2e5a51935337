import { type BoardRow, rowNotes } from '../../shared/domain/board/board.js';
import { LIGHT, LIGHT_ORDER } from '../../shared/domain/board/lights.js';
import { ADDRESS_ROLE_LABEL } from '../../shared/domain/delivery/recipients.js';
import { exitCountsText, exitLightWord } from '../../shared/domain/exits/board.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { NOTICE_LABEL, STAGE_LABEL } from '../../shared/domain/plan/stages.js';
import type { SimulatedNotice } from '../../sim/result.js';
import { renderTable } from './table.js';

/** The run as people read it: one line per stage firing, whom it reached. */
export function renderTimeline(plan: Plan, notices: readonly SimulatedNotice[]): string {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const groups = new Map<string, SimulatedNotice[]>();
  for (const n of notices) {
    const key = `${n.at}|${n.milestone}|${n.stage}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const rows = [...groups.values()].map((group) => {
    const first = group[0] as SimulatedNotice;
    const order = (u: string) => plan.units.findIndex((x) => x.id === u);
    const units = [...new Set(group.flatMap((n) => n.units))]
      .sort((x, y) => order(x) - order(y))
      .map((u) => names.get(u) ?? u);
    return [
      first.at.replace('T', ' ').slice(0, 16),
      first.milestone,
      `${NOTICE_LABEL[first.stage]}`,
      String(group.length),
      units.length > 4 ? `${units.slice(0, 4).join('、')} 等${units.length}个单位` : units.join('、'),
    ];
  });
  return renderTable(['时间', '事项', '环节', '邮件', '涉及单位'], rows);
}

/** 红/黄/绿 per milestone and unit; coloured when the terminal can show it. */
export function renderBoard(plan: Plan, board: readonly BoardRow[], color: boolean): string {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const paint = (text: string, code: number) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const rows = board.map((r) => {
    const { light, word: label, ansi: code } = LIGHT[r.status];
    // 投递失败 beside the unit: its latest notice did not reach it (ADDRESS_ROLE_LABEL: whose address).
    const undelivered = r.deliveryFailure
      ? ` ${paint(`投递失败（${ADDRESS_ROLE_LABEL[r.deliveryFailure.role]}）`, LIGHT.missing.ansi)}`
      : '';
    // An exit ledger's row: its items done out of the total instead of a delivery time.
    const word = r.ledger ? exitLightWord(r.status, r.ledger) : label;
    const when = r.ledger
      ? exitCountsText(r.ledger)
      : r.submittedAt
        ? r.submittedAt.replace('T', ' ').slice(0, 16)
        : '—';
    return [
      r.milestone,
      `${names.get(r.unit) ?? r.unit}${undelivered}`,
      `${paint(`●${light}`, code)} ${word}`,
      when,
      r.lastStage ? STAGE_LABEL[r.lastStage] : '—',
      rowNotes(r).join('，') || '—',
    ];
  });
  const count = (s: BoardRow['status']) => board.filter((r) => r.status === s).length;
  // Every light is counted, 白 too: a board whose counts leave rows out cannot be checked against it.
  const undelivered = board.filter((r) => r.deliveryFailure).length;
  const summary = `${LIGHT_ORDER.map((s) => `${LIGHT[s].light} ${count(s)}`).join('  ')}${undelivered > 0 ? `  投递失败 ${undelivered}` : ''}`;
  const headers = ['事项', '责任单位', '状态', `报送时间（${plan.timezone}）/退出进度`, '最后督办环节', '复核/期限'];
  return `${renderTable(headers, rows)}\n\n${summary}`;
}
