import type { Plan } from '../plan/schema.js';
import { ConcurrentEditError, type StoredMilestone, type StoredPlan } from '../ports.js';
import { type ReconcileResult, reconcilePlan } from '../schedule/reconcile.js';
import type { CalendarDeps } from './applyEdit.js';
import { recordAudit } from './audit.js';
import { editsUndone, ImportUndoesEditsError, type UndoneEdit } from './undoneEdits.js';

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
    const { revision: _r, unitDeadlines: _u, ...oldFields } = old;
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
 * Imports a validated plan: new milestones start at revision 1 (or carry on from the revision a removed
 * milestone of that id had), changed ones move up one (a ladder or holiday change moves them all, since
 * every fire time may move), unchanged ones keep theirs and are not written.
 *
 * Each milestone write is conditional on the revision this import read, so an edit made meanwhile makes
 * the import stop with a ConcurrentEditError instead of being overwritten. The audit record is written
 * before anything else (an import is too large for one transaction); the milestones already written
 * when it stops stay written, the error and a second record say so, and the schedules are reconciled to
 * them before it is thrown.
 */
export async function importPlan(
  deps: CalendarDeps,
  plan: Plan,
  actor: string,
  options: { dryRun?: boolean; force?: boolean } = {},
): Promise<{ diff: PlanDiff; reconcile?: ReconcileResult; undone: UndoneEdit[] }> {
  const before = await deps.calendar.loadPlan(plan.id);
  const diff = diffPlans(before, plan);
  // A file made before an admin's edits would silently revert them: they are listed, and need `force`.
  const undone = before ? editsUndone(before, await deps.calendar.listAudit(plan.id), plan) : [];
  if (undone.length > 0 && !options.force && !options.dryRun) throw new ImportUndoesEditsError(undone);
  const done = await importChecked(deps, plan, actor, options, before, diff);
  return { ...done, undone };
}

async function importChecked(
  deps: CalendarDeps,
  plan: Plan,
  actor: string,
  options: { dryRun?: boolean },
  before: StoredPlan | undefined,
  diff: PlanDiff,
): Promise<{ diff: PlanDiff; reconcile?: ReconcileResult }> {
  if (options.dryRun || diffIsEmpty(diff))
    return { diff, ...(options.dryRun ? {} : { reconcile: await reconcilePlan(deps, plan.id) }) };
  const changed = new Set(diff.changedMilestones.map((c) => c.id));
  const revisions = new Map((before?.milestones ?? []).map((m) => [m.id, m.revision]));
  const milestones: StoredMilestone[] = plan.milestones.map((m) => {
    const current = revisions.get(m.id);
    const bump = current === undefined || changed.has(m.id) || diff.metaChanged;
    return { ...m, revision: current === undefined ? 1 : current + (bump ? 1 : 0) };
  });
  const audit = (action: string, after: unknown) =>
    recordAudit(deps, plan.id, actor, action, `plan:${plan.id}`, summary(before), after);

  // The record goes first: an import spans more items than one transaction holds, so it is written
  // ahead and no imported milestone ever exists without it. An import that stops adds a second record
  // saying how far it got (the trail is append-only: nothing is taken back).
  await audit(diff.isNew ? 'import' : 'reimport', summary(plan));
  if (!before) {
    // A new plan: savePlan creates every milestone on condition that none exists (a concurrent first import loses).
    try {
      await deps.calendar.savePlan({ ...plan, milestones });
    } catch (error) {
      if (error instanceof ConcurrentEditError) await audit('import (refused by a concurrent import)', null);
      throw error;
    }
  } else {
    let done = 0;
    try {
      done = await writeMilestones(deps, before, milestones, diff);
      const unitsChanged = diff.addedUnits.length + diff.removedUnits.length + diff.changedUnits.length > 0;
      if (diff.metaChanged || unitsChanged || diff.addedMilestones.length > 0) {
        // Meta and units around the milestones as they now stand, in the file's order (an added milestone
        // takes its place in it). Their stored content is rewritten as it is, guarded by its revision.
        await deps.calendar.savePlan({ ...plan, milestones: await asStored(deps, plan) });
      }
    } catch (error) {
      if (!(error instanceof ConcurrentEditError)) throw error;
      const progress = error instanceof IncompleteImportError ? error.written : done;
      const now = summary(await deps.calendar.loadPlan(plan.id));
      await audit(
        progress > 0 ? 'reimport (stopped by a concurrent edit)' : 'reimport (refused: nothing written)',
        now,
      );
      if (progress > 0) await reconcilePlan(deps, plan.id);
      throw new ConcurrentEditError(
        progress === 0
          ? `import of ${plan.id} refused: ${rootMessage(error)}. Nothing was written.`
          : `import of ${plan.id} stopped: ${rootMessage(error)}. ${progress} milestone change(s) were written ` +
              '(their schedules follow); run the import again to see and apply the rest.',
        { cause: error },
      );
    }
  }
  return { diff, reconcile: await reconcilePlan(deps, plan.id) };
}

/** A guarded milestone write of a re-import failed after `written` others had succeeded. */
class IncompleteImportError extends ConcurrentEditError {
  constructor(
    cause: ConcurrentEditError,
    readonly written: number,
  ) {
    super(cause.message, { cause });
  }
}

const rootMessage = (error: ConcurrentEditError) => error.message.replace(/; reload and try again$/, '');

/** The milestones of `plan` as the calendar now holds them (content and revision), in the file's order. */
async function asStored(deps: CalendarDeps, plan: Plan): Promise<StoredMilestone[]> {
  const stored = new Map((await deps.calendar.loadPlan(plan.id))?.milestones.map((m) => [m.id, m]));
  return plan.milestones.map((m) => {
    const now = stored.get(m.id);
    if (!now) throw new ConcurrentEditError(`milestone "${m.id}" was removed by someone else; reload and try again`);
    return now;
  });
}

/** The milestone writes of a re-import, each guarded by the revision read; returns how many were made. */
async function writeMilestones(
  deps: CalendarDeps,
  before: StoredPlan,
  milestones: readonly StoredMilestone[],
  diff: PlanDiff,
): Promise<number> {
  const read = new Map(before.milestones.map((m) => [m.id, m.revision]));
  const writes = [
    ...milestones
      .filter((m) => read.get(m.id) !== m.revision)
      .map((m) => () => deps.calendar.putMilestone(before.id, m, read.get(m.id))),
    ...diff.removedMilestones.map((id) => () => deps.calendar.deleteMilestone(before.id, id, read.get(id) ?? 0)),
  ];
  for (const [done, write] of writes.entries()) {
    try {
      await write();
    } catch (error) {
      if (error instanceof ConcurrentEditError) throw new IncompleteImportError(error, done);
      throw error;
    }
  }
  return writes.length;
}

const summary = (p: Pick<Plan, 'title' | 'units' | 'milestones'> | undefined) =>
  p && { title: p.title, units: p.units.length, milestones: p.milestones.map((m) => `${m.id}@${m.deadline}`) };
