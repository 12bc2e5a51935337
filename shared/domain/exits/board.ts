import type { LightStatus } from '../board/lights.js';
import type { Plan } from '../plan/schema.js';
import type { Attachment } from '../ports.js';
import { type ExitStatus, exitProgress, type LedgerMilestone, requiredSteps } from './status.js';
import type { StepDetail } from './steps.js';
import type { ExitItem, ExitItemFields } from './types.js';

/** One step of an item as a board shows it: whether the exit needs it, and when it was done. */
export interface ExitStepView {
  readonly id: string;
  readonly name: string;
  readonly required: boolean;
  readonly date?: string;
  readonly details?: Partial<Record<StepDetail, string>>;
  readonly attachments: readonly Pick<Attachment, 'key' | 'name' | 'size'>[];
}

/** One item as every board shows it (the terminal, `ledger list --json`, the report, the portal). */
export interface ExitItemView extends ExitItemFields {
  readonly unit: string;
  readonly status: ExitStatus;
  readonly completedOn?: string;
  /** Required steps not done yet, by name. */
  readonly missing: readonly string[];
  readonly resisted?: { readonly note: string; readonly at: number };
  readonly steps: readonly ExitStepView[];
}

/** A unit's ledger at a glance: 完成 / 总数, 逾期, and its light. */
export interface ExitUnitSummary {
  readonly unit: string;
  readonly name: string;
  readonly total: number;
  /** Done (on time or late). */
  readonly done: number;
  readonly doneLate: number;
  readonly overdue: number;
  readonly inProgress: number;
  readonly resisted: number;
  /** 红: an item overdue; 黄: all done, some late; 绿: all done in time; 灰: in progress, or nothing entered. */
  readonly light: LightStatus;
  readonly items: readonly ExitItemView[];
}

export interface ExitBoard {
  readonly milestone: string;
  readonly title: string;
  readonly units: readonly ExitUnitSummary[];
  readonly total: number;
  readonly done: number;
  readonly overdue: number;
}

/** An item's view as of `now`: its status and every step of the plan, required or not. */
export function exitItemView(
  plan: Pick<Plan, 'timezone'>,
  milestone: LedgerMilestone,
  item: ExitItem,
  now: number,
): ExitItemView {
  const progress = exitProgress(milestone.ledger, item, plan.timezone, now);
  const required = new Set(requiredSteps(milestone.ledger, item).map((s) => s.id));
  return {
    unit: item.unit,
    name: item.name,
    creditCode: item.creditCode,
    industry: item.industry,
    capacity: item.capacity,
    quantity: item.quantity,
    measure: item.measure,
    exitMethod: item.exitMethod,
    plannedDate: item.plannedDate,
    status: progress.status,
    ...(progress.completedOn ? { completedOn: progress.completedOn } : {}),
    missing: progress.missing,
    ...(item.resisted && item.resisted.at <= now
      ? { resisted: { note: item.resisted.note, at: item.resisted.at } }
      : {}),
    steps: milestone.ledger.steps.map((s) => {
      const record = item.steps[s.id];
      const done = record !== undefined && record.at <= now ? record : undefined;
      return {
        id: s.id,
        name: s.name,
        required: required.has(s.id),
        ...(done ? { date: done.date } : {}),
        ...(done?.details ? { details: done.details } : {}),
        attachments: (done?.attachments ?? []).map((a) => ({ key: a.key, name: a.name, size: a.size })),
      };
    }),
  };
}

/**
 * 退出台账看板: per responsible unit (in the plan's order) its items done out of the total, those overdue, and each
 * item with its steps, as of `now` (a step recorded later does not count yet). One pass over the items.
 */
export function exitBoard(
  plan: Pick<Plan, 'timezone' | 'units'>,
  milestone: LedgerMilestone,
  items: readonly ExitItem[],
  now: number,
): ExitBoard {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const byUnit = new Map<string, ExitItemView[]>();
  for (const item of items) {
    if (item.createdAt > now) continue; // entered after the moment the board is for
    const views = byUnit.get(item.unit) ?? [];
    views.push(exitItemView(plan, milestone, item, now));
    byUnit.set(item.unit, views);
  }
  const units = milestone.responsible.map((unit): ExitUnitSummary => {
    const views = (byUnit.get(unit) ?? []).sort(
      (a, b) => a.plannedDate.localeCompare(b.plannedDate) || a.creditCode.localeCompare(b.creditCode),
    );
    const count = (...s: ExitStatus[]) => views.filter((v) => s.includes(v.status)).length;
    const summary = {
      total: views.length,
      done: count('done', 'done-late'),
      doneLate: count('done-late'),
      overdue: count('overdue'),
      inProgress: count('in-progress'),
      resisted: views.filter((v) => v.resisted).length,
    };
    return { unit, name: names.get(unit) ?? unit, ...summary, light: lightOf(summary), items: views };
  });
  const sum = (k: 'total' | 'done' | 'overdue') => units.reduce((n, u) => n + u[k], 0);
  return {
    milestone: milestone.id,
    title: milestone.title,
    units,
    total: sum('total'),
    done: sum('done'),
    overdue: sum('overdue'),
  };
}

function lightOf(s: { total: number; done: number; doneLate: number; overdue: number }): LightStatus {
  if (s.overdue > 0) return 'missing';
  if (s.total === 0 || s.done < s.total) return 'pending';
  return s.doneLate > 0 ? 'late' : 'submitted';
}

/** The light's words for a ledger (the milestone board's are about 报送). */
export const EXIT_LIGHT_WORD: Record<LightStatus, string> = {
  submitted: '按期完成',
  late: '逾期完成',
  missing: '逾期未完成',
  pending: '推进中',
};

/** The word beside a ledger row's light; a unit that entered nothing says so rather than 推进中. */
export const exitLightWord = (status: LightStatus, counts: { readonly total: number }) =>
  counts.total === 0 ? '未登记' : EXIT_LIGHT_WORD[status];

/** `完成 2/3，逾期 1`: a ledger row's counts, as every board prints them. */
export const exitCountsText = (c: { readonly total: number; readonly done: number; readonly overdue: number }) =>
  `完成 ${c.done}/${c.total}${c.overdue > 0 ? `，逾期 ${c.overdue}` : ''}`;
