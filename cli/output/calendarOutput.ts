import type { DryRunRequest } from '../../shared/adapters/aws/scheduler/dryRunScheduleStore.js';
import type { EditResult } from '../../shared/domain/calendar/applyEdit.js';
import { auditActionLabel, auditChanges, describeChanges } from '../../shared/domain/calendar/auditText.js';
import type { FieldChange } from '../../shared/domain/calendar/changes.js';
import type { PlanDiff } from '../../shared/domain/calendar/importPlan.js';
import type { AuditRecord } from '../../shared/domain/ports.js';
import type { ReconcileResult } from '../../shared/domain/schedule/reconcile.js';
import { renderTable } from './table.js';

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

/** A value in one line: strings as they are, lists comma-separated, anything else as JSON. */
const show = (value: unknown): string =>
  value === undefined
    ? '—'
    : typeof value === 'string'
      ? value
      : Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? value.join(', ')
        : JSON.stringify(value);

const describeChange = (c: FieldChange) => `${c.field}: ${show(c.before)} → ${show(c.after)}`;

/**
 * An edit as an admin reads it: what changed field by field, which revisions moved, and what the
 * schedules did (or, in a dry run, would do).
 */
export function describeEdit(result: EditResult): string[] {
  const { edit } = result;
  const lines: string[] = [];
  if (edit.type === 'setContacts') {
    const changes = result.changes.map(describeChange);
    lines.push(`${edit.unit} contacts: ${changes.length > 0 ? changes.join('; ') : 'no change'}`);
    lines.push('  no revision moves: contacts are read when each notice is sent, so the schedules stay as they are');
    for (const unit of result.rotatedLinks ?? [])
      lines.push(`  the personal link of ${unit} was rotated: links sent to the old address are refused from now on`);
  } else {
    for (const c of result.changes) if (c.field !== '(whole)') lines.push(describeChange(c));
  }
  for (const b of result.bumped) {
    if (b.from === 0) lines.push(`${b.milestone}: added at revision ${b.to}`);
    else if (b.to < 0) lines.push(`${b.milestone}: revision ${b.from} → removed`);
    else lines.push(`${b.milestone}: revision ${b.from} → ${b.to}`);
  }
  lines.push(...describeReconcile(result.reconcile));
  return lines;
}

/** The requests a dry run recorded, one line each, in the order they would be sent. */
export function describeRequests(requests: readonly DryRunRequest[]): string[] {
  if (requests.length === 0) return ['no schedule requests (dry run: nothing sent)'];
  const rows = requests.map(({ op, request }) => {
    const payload = 'Target' in request ? parsePayload(request.Target?.Input) : undefined;
    const at = 'ScheduleExpression' in request ? (request.ScheduleExpression ?? '') : '';
    const zone = 'ScheduleExpressionTimezone' in request ? (request.ScheduleExpressionTimezone ?? '') : '';
    return [
      op,
      `${request.GroupName ?? ''}/${request.Name ?? ''}`,
      at,
      zone,
      payload?.stage ?? '',
      payload ? String(payload.revision) : '',
    ];
  });
  return [
    renderTable(['op', 'schedule', 'expression', 'zone', 'stage', 'rev'], rows),
    `${requests.length} request(s) (dry run: nothing sent)`,
  ];
}

function parsePayload(input: string | undefined): { stage?: string; revision?: number } | undefined {
  try {
    return input === undefined ? undefined : (JSON.parse(input) as { stage?: string; revision?: number });
  } catch {
    return undefined;
  }
}

/** One line of `calendar history`: when (with the zone), who, what, to what, and each field old → new. */
export function describeAudit(record: AuditRecord, format: (instant: number) => string): string {
  const changes = describeChanges(auditChanges(record));
  return `${format(record.at)}  ${record.actor}  ${auditActionLabel(record.action)}  ${record.target}${changes ? `  ${changes}` : ''}`;
}
