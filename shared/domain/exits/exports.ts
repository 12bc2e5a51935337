import type { ExitBoard, ExitItemView } from './board.js';
import type { OutSheet } from './sheets.js';
import { EXIT_STATUS_LABEL, type LedgerMilestone } from './status.js';
import { STEP_DETAIL_LABEL, type StepDetail } from './steps.js';

/** Which list: the 15 December list of completed exits, or the 信用 list of exits not completed in time or resisted. */
export type ExitListKind = 'completed' | 'credit';

export const EXIT_LIST_TITLE: Record<ExitListKind, string> = {
  completed: '依法关闭退出的落后产能企业清单',
  credit: '未按期完成落后产能退出企业名单（拟纳入信用信息共享平台）',
};

const ITEM_COLUMNS = [
  '序号',
  '市（区）',
  '企业名称',
  '统一社会信用代码',
  '行业',
  '落后产能',
  '数量',
  '计量单位',
  '退出方式',
  '计划完成日期',
];

/** 情形 on the 信用 list: why the enterprise is on it. */
function creditReason(v: ExitItemView): string | undefined {
  const reasons: string[] = [];
  if (v.status === 'overdue') reasons.push('逾期未完成');
  if (v.status === 'done-late') reasons.push(`逾期完成（${v.completedOn}）`);
  if (v.resisted) reasons.push('拒不退出');
  return reasons.length > 0 ? reasons.join('；') : undefined;
}

/**
 * The sheets of a list, generated from the ledger: the list itself (city-wide, or one unit's when the board holds
 * one), then a summary per unit. The completed list carries every step's date and what 验收 and 公告 recorded; the
 * 信用 list says why each enterprise is on it and what it still lacks.
 */
export function exitListSheets(board: ExitBoard, milestone: LedgerMilestone, kind: ExitListKind): OutSheet[] {
  const steps = milestone.ledger.steps;
  const details = [
    ...new Set(steps.flatMap((s) => s.details.map((d) => [s.id, d] as const)).map(([s, d]) => `${s}:${d}`)),
  ].map((key) => key.split(':') as [string, StepDetail]);
  const views = board.units.flatMap((u) => u.items.map((v) => ({ unit: u.name, v })));
  const base = (unit: string, v: ExitItemView, i: number) => [
    i + 1,
    unit,
    v.name,
    v.creditCode,
    v.industry,
    v.capacity,
    Number(v.quantity),
    v.measure,
    v.exitMethod,
    v.plannedDate,
  ];
  let list: OutSheet;
  if (kind === 'completed') {
    const done = views.filter(({ v }) => v.status === 'done' || v.status === 'done-late');
    list = {
      name: '退出企业清单',
      header: [
        ...ITEM_COLUMNS,
        '完成日期',
        '完成情况',
        ...steps.map((s) => `${s.name}日期`),
        ...details.map(([id, d]) => `${steps.find((s) => s.id === id)?.name ?? id}${STEP_DETAIL_LABEL[d]}`),
      ],
      rows: done.map(({ unit, v }, i) => [
        ...base(unit, v, i),
        v.completedOn ?? '',
        EXIT_STATUS_LABEL[v.status],
        ...steps.map((s) => v.steps.find((x) => x.id === s.id)?.date ?? ''),
        ...details.map(([id, d]) => v.steps.find((x) => x.id === id)?.details?.[d] ?? ''),
      ]),
    };
  } else {
    const listed = views.flatMap(({ unit, v }) => {
      const reason = creditReason(v);
      return reason ? [{ unit, v, reason }] : [];
    });
    list = {
      name: '信用名单',
      header: [...ITEM_COLUMNS, '情形', '完成日期', '尚缺步骤', '情况说明'],
      rows: listed.map(({ unit, v, reason }, i) => [
        ...base(unit, v, i),
        reason,
        v.completedOn ?? '',
        v.missing.join('、'),
        v.resisted?.note ?? '',
      ]),
    };
  }
  const summary: OutSheet = {
    name: '分单位汇总',
    header: ['市（区）', '台账企业数', '已完成', '其中逾期完成', '逾期未完成', '推进中', '拒不退出'],
    rows: board.units.map((u) => [u.name, u.total, u.done, u.doneLate, u.overdue, u.inProgress, u.resisted]),
  };
  return [list, summary];
}
