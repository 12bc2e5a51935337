import type { Plan } from '../plan/schema.js';
import type { StoredMilestone, StoredPlan } from '../ports.js';
import { type ReconcileResult, reconcilePlan } from '../schedule/reconcile.js';
import type { CalendarDeps } from './applyEdit.js';
import { recordAudit } from './audit.js';

/** What an import changes, shown before (dry run) or after it is applied. */
export interface PlanDiff {
  readonly isNew: boolean;
  readonly addedMilestones: string[];
  readonly removedMilestones: string[];
  readonly changedMilestones: { id: string; fields: string[] }[];
  readonly addedUnits: string[];
  readonly removedUnits: string[];
  readonly changedUnits: string[];
  readonly metaChanged: boolean;
}

export function diffPlans(before: StoredPlan | undefined, after: Plan): PlanDiff {
  const bm = new Map((before?.milestones ?? []).map((m) => [m.id, m]));
  const am = new Map(after.milestones.map((m) => [m.id, m]));
  const bu = new Map((before?.units ?? []).map((u) => [u.id, JSON.stringify(u)]));
  const au = new Map(after.units.map((u) => [u.id, JSON.stringify(u)]));
  const changedMilestones = after.milestones.flatMap((m) => {
    const old = bm.get(m.id);
    if (!old) return [];
    const { revision: _r, ...oldFields } = old;
    const keys = new Set([...Object.keys(oldFields), ...Object.keys(m)]) as Set<keyof typeof m>;
    const fields = [...keys].filter((k) => JSON.stringify(oldFields[k]) !== JSON.stringify(m[k]));
    return fields.length > 0 ? [{ id: m.id, fields }] : [];
  });
  const meta = (p: Pick<Plan, 'title' | 'timezone' | 'ladder' | 'holidays'> | undefined) =>
    JSON.stringify(p ? [p.title, p.timezone, p.ladder, p.holidays] : null);
  return {
    isNew: before === undefined,
    addedMilestones: [...am.keys()].filter((id) => !bm.has(id)),
    removedMilestones: [...bm.keys()].filter((id) => !am.has(id)),
    changedMilestones,
    addedUnits: [...au.keys()].filter((id) => !bu.has(id)),
    removedUnits: [...bu.keys()].filter((id) => !au.has(id)),
    changedUnits: [...au.keys()].filter((id) => bu.has(id) && bu.get(id) !== au.get(id)),
    metaChanged: before !== undefined && meta(before) !== meta(after),
  };
}

export const diffIsEmpty = (d: PlanDiff) =>
  !d.isNew &&
  !d.metaChanged &&
  [d.addedMilestones, d.removedMilestones, d.changedMilestones, d.addedUnits, d.removedUnits, d.changedUnits].every(
    (xs) => xs.length === 0,
  );

/**
 * Imports a validated plan: new milestones start at revision 1, changed ones move up one (a ladder or
 * holiday change moves them all, since every fire time may move), unchanged ones keep theirs.
 */
export async function importPlan(
  deps: CalendarDeps,
  plan: Plan,
  actor: string,
  options: { dryRun?: boolean } = {},
): Promise<{ diff: PlanDiff; reconcile?: ReconcileResult }> {
  const before = await deps.calendar.loadPlan(plan.id);
  const diff = diffPlans(before, plan);
  if (options.dryRun || diffIsEmpty(diff))
    return { diff, ...(options.dryRun ? {} : { reconcile: await reconcilePlan(deps, plan.id) }) };
  const changed = new Set(diff.changedMilestones.map((c) => c.id));
  const revisions = new Map((before?.milestones ?? []).map((m) => [m.id, m.revision]));
  const milestones: StoredMilestone[] = plan.milestones.map((m) => {
    const current = revisions.get(m.id);
    const bump = current === undefined || changed.has(m.id) || diff.metaChanged;
    return { ...m, revision: current === undefined ? 1 : current + (bump ? 1 : 0) };
  });
  await deps.calendar.savePlan({ ...plan, milestones });
  await recordAudit(
    deps,
    plan.id,
    actor,
    diff.isNew ? 'import' : 'reimport',
    `plan:${plan.id}`,
    summary(before),
    summary(plan),
  );
  return { diff, reconcile: await reconcilePlan(deps, plan.id) };
}

const summary = (p: Pick<Plan, 'title' | 'units' | 'milestones'> | undefined) =>
  p && { title: p.title, units: p.units.length, milestones: p.milestones.map((m) => `${m.id}@${m.deadline}`) };
