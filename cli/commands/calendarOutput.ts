import type { PlanDiff } from '../../shared/calendar/importPlan.js';
import type { AuditRecord } from '../../shared/ports.js';
import type { ReconcileResult } from '../../shared/schedule/reconcile.js';

/** What an import changes, as an admin reads it before and after applying. */
export function describeDiff(diff: PlanDiff): string[] {
  if (diff.isNew) return ['new plan'];
  const lines: string[] = [];
  const list = (label: string, ids: readonly string[]) => {
    if (ids.length > 0) lines.push(`${label}: ${ids.join(', ')}`);
  };
  list('milestones added', diff.addedMilestones);
  list('milestones removed', diff.removedMilestones);
  for (const c of diff.changedMilestones) lines.push(`milestone ${c.id} changed: ${c.fields.join(', ')}`);
  list('units added', diff.addedUnits);
  list('units removed', diff.removedUnits);
  list('units changed', diff.changedUnits);
  if (diff.metaChanged) lines.push('title, time zone, ladder or holidays changed (every milestone is re-planned)');
  return lines.length > 0 ? lines : ['no change'];
}

/** The schedules' answer to an edit, including what it moved into the past (never sent late, always shown). */
export function describeReconcile(r: ReconcileResult): string[] {
  const lines = [
    `schedules: ${r.created.length} created, ${r.updated.length} updated, ${r.deleted.length} deleted, ${r.unchanged} unchanged`,
  ];
  for (const s of r.skippedPast) {
    lines.push(
      `  skipped: ${s.milestone} ${s.stage} at ${s.at.replace('T', ' ')} is now in the past and will not be sent`,
    );
  }
  return lines;
}

export function describeAudit(record: AuditRecord, format: (instant: number) => string): string {
  return `${format(record.at)}  ${record.actor}  ${record.action}  ${record.target}`;
}
