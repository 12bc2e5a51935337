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
  'simulate.seedPlanMs': 'seedPlanMs',
};

const columns = (rows: Figures[], keys: string[]) => rows.map((row) => keys.map((k) => format(row[k])));

/** The report as text: the figures with their goals, then the scale model and the fan-out runs. */
export function renderReport(report: Record<string, unknown>, goals: Record<string, Goal>): string {
  const rows: string[][] = [];
  for (const section of ['dispatch', 'pacing', 'reconcile', 'bundle', 'simulate'] as const) {
    const figures = report[section] as Figures | undefined;
    if (!figures) continue;
    for (const [key, value] of flatten(figures)) {
      const g = goals[GOAL_OF[`${section}.${key}`] ?? ''];
      rows.push([section, key, format(value), g ? `${g.op} ${g.limit}` : '', g ? (g.met ? 'met' : 'NOT MET') : '']);
    }
  }
  const out = [renderTable(['section', 'figure', 'value', 'goal', ''], rows)];

  const scale = report.scale as
    | { error?: string; model?: { units: number; singleLambda: Figures[]; fanOut: Figures[] }; run?: Figures }
    | undefined;
  if (scale?.error) out.push(`\nscale: ${scale.error}`);
  if (scale?.model) {
    const { units, singleLambda, fanOut } = scale.model;
    out.push(`\nScale: ${units.toLocaleString('en-US')} units on one milestone — one dispatch invocation`);
    const single = ['rate', 'reminderSeconds', 'overdueSeconds', 'reminderFitsLambdaLimit', 'overdueFitsLambdaLimit'];
    out.push(renderTable(single, columns(singleLambda, single)));
    out.push('\nScale: fan-out through SQS to paced workers');
    const fan = ['rate', 'reservedConcurrency', 'workerShare', 'batches', 'perInvocationSeconds', 'reminderSeconds'];
    out.push(renderTable(fan, columns(fanOut, fan)));
  }
  if (scale?.run) {
    out.push('\nScale: the fan-out run in-process against the throttling SES');
    const keys = ['rate', 'workers', 'notices', 'batches', 'achievedRate', 'ratio', 'throttled', 'maxBatchMs'];
    out.push(renderTable(keys, columns([scale.run], keys)));
  }
  return out.join('\n');
}
