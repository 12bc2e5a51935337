import { renderTable } from '../cli/output/table.js';
import type { Goal } from './goals.js';

type Figures = Record<string, unknown>;

const format = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
  if (Array.isArray(value)) return value.map(format).join(', ');
  const text = String(value);
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
};

/** `{a: {b: 1}}` → `[['a.b', 1]]`: nested figures get a row each instead of a JSON cell. */
function flatten(figures: Figures, prefix = ''): [string, unknown][] {
  return Object.entries(figures).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? flatten(value as Figures, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

/** Which goal a figure answers to, so the table shows it beside the value. */
const GOAL_OF: Record<string, string> = {
  'dispatch.ddbRequestsPerNotice': 'ddbRequestsPerNotice',
  'pacing.ratio': 'pacingRatio',
  'pacing.throttled': 'pacingThrottled',
  'reconcile.rerunWrites': 'rerunWrites',
  'reconcile.editWrites': 'editWrites',
  'bundle.bytesRatio': 'bytesRatio',
  'bundle.initRatio': 'initRatio',
  'bundle.workerBytesRatio': 'workerBytesRatio',
  'bundle.workerInitRatio': 'workerInitRatio',
  'simulate.seedPlanMs': 'seedPlanMs',
  'fanout.ratio': 'fanoutRatio',
  'fanout.throttled': 'fanoutThrottled',
  'fanout.duplicates': 'fanoutDuplicates',
  'fanout.maxBatchMs': 'fanoutMaxBatchMs',
  'fanout.crashDuplicates': 'crashDuplicates',
  'limits.dispatchMs': 'limitsDispatchMs',
  'limits.reconcileWrites': 'limitsReconcileWrites',
  'ledger.importMs': 'ledgerImportMs',
  'ledger.boardMs': 'ledgerBoardMs',
  'ledger.ddbRequestsPerItem': 'ledgerDdbRequestsPerItem',
};

/** The report as text: every figure, with its goal beside it where it has one. */
export function renderReport(report: Record<string, unknown>, goals: Record<string, Goal>): string {
  const rows: string[][] = [];
  for (const section of [
    'dispatch',
    'pacing',
    'reconcile',
    'bundle',
    'simulate',
    'fanout',
    'national',
    'limits',
    'ledger',
  ] as const) {
    const figures = report[section] as Figures | undefined;
    if (!figures) continue;
    for (const [key, value] of flatten(figures)) {
      const g = goals[GOAL_OF[`${section}.${key}`] ?? ''];
      rows.push([section, key, format(value), g ? `${g.op} ${g.limit}` : '', g ? (g.met ? 'met' : 'NOT MET') : '']);
    }
  }
  const out = [renderTable(['section', 'figure', 'value', 'goal', ''], rows)];

  return out.join('\n');
}
