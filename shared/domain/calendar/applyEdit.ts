import { PlanNotFoundError } from '../errors.js';
import type { ExitLedger } from '../exits/types.js';
import { requireCoverage } from '../plan/coverage.js';
import type { Plan, Unit } from '../plan/schema.js';
import { PlanValidationError, parsePlan } from '../plan/validate.js';
import type { CalendarStore, CalendarWrite, Clock, ScheduleStore, StoredMilestone, StoredPlan } from '../ports.js';
import { type ReconcileResult, reconcilePlan } from '../schedule/reconcile.js';
import { auditRecord } from './audit.js';
import { type FieldChange, fieldChanges } from './changes.js';
import type { CalendarEdit } from './editSchema.js';
import { setUnitDeadline } from './unitDeadline.js';

export interface CalendarDeps {
  readonly calendar: CalendarStore;
  readonly schedules: ScheduleStore;
  readonly clock: Clock;
  /** The exit ledger's items, so reconcile keeps the ledger's schedules too (ReconcileDeps.exits). */
  readonly exits?: Pick<ExitLedger, 'listItems'>;
}

export interface EditResult {
  readonly plan: string;
  readonly edit: CalendarEdit;
  /**
   * Milestones whose revision moved (their old schedules can no longer send): `from` 0 for an added
   * milestone, `to` -1 for a removed one. A milestone added again continues from the revision it had
   * when it was removed, so `to` may be above 1.
   */
  readonly bumped: { milestone: string; from: number; to: number }[];
  /** Units whose personal link was rotated (a new address): every link sent before is refused. */
  readonly rotatedLinks: string[];
  /** What the edit changed in the milestone or unit it names, field by field (as in the audit record). */
  readonly changes: FieldChange[];
  readonly reconcile: ReconcileResult;
}

/** The plan as its file would hold it (no revisions, no link versions), as `parsePlan` validates it. */
export const asPlan = ({ linkVersions: _l, officeHolidays: _o, ...stored }: StoredPlan): Plan => ({
  ...stored,
  milestones: stored.milestones.map(({ revision: _r, unitDeadlines: _u, ...m }) => m),
});

/**
 * Applies one edit: validated with the same rules and messages as `plan validate`, then each changed
 * milestone is written under a revision check (a concurrent edit loses loudly) together with its audit
 * record, all or nothing (`commitEdit`: one DynamoDB transaction), and the schedules follow. A refused
 * edit writes nothing, and no edit exists without its record.
 *
 * Contacts (`setContacts`) move no revision: dispatch reads a unit's addresses when a notice is sent, so
 * the schedules stay as they are; `changes` and the audit record say what changed.
 */
export async function applyEdit(
  deps: CalendarDeps,
  planId: string,
  edit: CalendarEdit,
  actor: string,
): Promise<EditResult> {
  if (edit.type === 'setUnitDeadline') {
    const { milestone, unit, deadline } = edit;
    const change = await setUnitDeadline(deps, { plan: planId, milestone, unit }, { deadline, kind: 'admin' }, actor);
    const changes = [{ field: `deadline[${unit}]`, before: change.from, after: change.to.deadline }];
    return { plan: planId, edit, bumped: [], rotatedLinks: [], changes, reconcile: await reconcilePlan(deps, planId) };
  }
  const stored = await deps.calendar.loadPlan(planId);
  if (!stored) throw new PlanNotFoundError(planId);
  const before = asPlan(stored);
  const edited = applyToPlan(before, edit);
  // A date whose ladder reaches a year without 放假安排 is refused saying which step and the latest date possible.
  const moved = movedMilestone(edit);
  const milestone = moved === undefined ? undefined : edited.milestones.find((m) => m.id === moved);
  if (milestone) requireCoverage({ ...edited, officeHolidays: stored.officeHolidays }, milestone, milestone.deadline);
  const after = parsePlan(edited, { officeHolidays: stored.officeHolidays });

  const revisions = new Map(stored.milestones.map((m) => [m.id, m.revision]));
  const changed = (id: string) =>
    JSON.stringify(before.milestones.find((m) => m.id === id)) !==
    JSON.stringify(after.milestones.find((m) => m.id === id));

  const writes: CalendarWrite[] = [];
  for (const m of after.milestones) {
    if (!changed(m.id)) continue;
    const from = revisions.get(m.id);
    const milestone = { ...m, revision: (from ?? 0) + 1 } satisfies StoredMilestone;
    writes.push({ kind: 'putMilestone', milestone, expectedRevision: from });
  }
  for (const m of before.milestones) {
    if (after.milestones.some((a) => a.id === m.id)) continue;
    writes.push({ kind: 'deleteMilestone', milestoneId: m.id, expectedRevision: revisions.get(m.id) ?? 0 });
  }
  if (edit.type === 'setContacts') {
    const unit = after.units.find((u) => u.id === edit.unit) as Unit;
    writes.push({ kind: 'putUnit', unit });
    // Links went to the old address: whoever reads that mailbox now must not keep the unit's access.
    if (before.units.find((u) => u.id === edit.unit)?.email !== unit.email) {
      writes.push({ kind: 'rotateLink', unitId: unit.id });
    }
  }
  const [was, is] = [editedThing(before, edit), editedThing(after, edit)];
  const audit = auditRecord(deps, planId, actor, edit.type, targetOf(edit), was, is);
  const written = await deps.calendar.commitEdit(planId, writes, audit);

  const bumped: EditResult['bumped'] = writes.flatMap((write, i) => {
    if (write.kind === 'putMilestone') {
      const from = write.expectedRevision ?? 0;
      return [{ milestone: write.milestone.id, from, to: written[i] ?? write.milestone.revision }];
    }
    if (write.kind === 'deleteMilestone')
      return [{ milestone: write.milestoneId, from: write.expectedRevision, to: -1 }];
    return [];
  });
  const rotatedLinks = writes.flatMap((w) => (w.kind === 'rotateLink' ? [w.unitId] : []));
  const reconcile = await reconcilePlan(deps, planId);
  return { plan: planId, edit, bumped, rotatedLinks, changes: fieldChanges(was, is), reconcile };
}

/** The milestone whose ladder an edit re-plans (a new date, a new unit kind, a resumption), if it names one. */
function movedMilestone(edit: Exclude<CalendarEdit, { type: 'setUnitDeadline' }>): string | undefined {
  if (edit.type === 'addMilestone') return edit.milestone.id;
  if (edit.type === 'setDeadline' || edit.type === 'addResponsible' || edit.type === 'resume') return edit.milestone;
  return undefined;
}

export const targetOf = (edit: Exclude<CalendarEdit, { type: 'setUnitDeadline' }>) =>
  edit.type === 'setContacts'
    ? `unit:${edit.unit}`
    : `milestone:${typeof edit.milestone === 'string' ? edit.milestone : edit.milestone.id}`;

/** What the audit keeps of the edited thing, before and after: the milestone or the unit it names. */
function editedThing(plan: Plan, edit: Exclude<CalendarEdit, { type: 'setUnitDeadline' }>): unknown {
  if (edit.type === 'setContacts') return plan.units.find((u) => u.id === edit.unit);
  const id = typeof edit.milestone === 'string' ? edit.milestone : edit.milestone.id;
  return plan.milestones.find((m) => m.id === id);
}

/** The pure part: the plan as it would be after the edit (validated by the caller). */
export function applyToPlan(plan: Plan, edit: Exclude<CalendarEdit, { type: 'setUnitDeadline' }>): Plan {
  const milestone = (id: string) => {
    const found = plan.milestones.find((m) => m.id === id);
    if (!found) throw new PlanValidationError([{ path: 'milestone', message: `unknown milestone "${id}"` }]);
    return found;
  };
  const replace = (id: string, change: (m: Plan['milestones'][number]) => Plan['milestones'][number]) => ({
    ...plan,
    milestones: plan.milestones.map((m) => (m.id === id ? change(m) : m)),
  });
  switch (edit.type) {
    case 'setDeadline':
      milestone(edit.milestone);
      return replace(edit.milestone, (m) => ({ ...m, deadline: edit.deadline }));
    case 'addMilestone':
      return { ...plan, milestones: [...plan.milestones, edit.milestone] };
    case 'removeMilestone':
      milestone(edit.milestone);
      return { ...plan, milestones: plan.milestones.filter((m) => m.id !== edit.milestone) };
    case 'addResponsible':
      if (milestone(edit.milestone).responsible.includes(edit.unit)) {
        throw new PlanValidationError([
          { path: 'unit', message: `"${edit.unit}" is already responsible for "${edit.milestone}"` },
        ]);
      }
      return replace(edit.milestone, (m) => ({ ...m, responsible: [...m.responsible, edit.unit] }));
    case 'removeResponsible':
      if (!milestone(edit.milestone).responsible.includes(edit.unit)) {
        throw new PlanValidationError([
          { path: 'unit', message: `"${edit.unit}" is not responsible for "${edit.milestone}"` },
        ]);
      }
      return replace(edit.milestone, (m) => ({ ...m, responsible: m.responsible.filter((u) => u !== edit.unit) }));
    case 'setContacts': {
      if (!plan.units.some((u) => u.id === edit.unit)) {
        throw new PlanValidationError([{ path: 'unit', message: `unknown unit "${edit.unit}"` }]);
      }
      const { type: _t, unit: id, ...contacts } = edit;
      return { ...plan, units: plan.units.map((u) => (u.id === id ? { ...u, ...contacts } : u)) };
    }
    case 'pause':
      milestone(edit.milestone);
      return replace(edit.milestone, (m) => ({ ...m, paused: true }));
    case 'resume':
      milestone(edit.milestone);
      return replace(edit.milestone, ({ paused: _p, ...m }) => m);
  }
}
