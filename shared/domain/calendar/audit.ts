import { randomUUID } from 'node:crypto';
import type { AuditRecord, CalendarStore, Clock } from '../ports.js';

/** What an audit record says: of which plan, who, did what, to what, and the state before and after. */
type AuditFacts = [plan: string, actor: string, action: string, target: string, before: unknown, after: unknown];

/** 日历变更留痕 — who changed what, when, with the state before and after. */
export function auditRecord(deps: { clock: Clock }, ...facts: AuditFacts): AuditRecord {
  const [plan, actor, action, target, before, after] = facts;
  return { plan, at: deps.clock.now(), id: randomUUID().slice(0, 8), actor, action, target, before, after };
}

/** Appends an audit record on its own (imports; an edit commits its record with it: `commitEdit`). */
export async function recordAudit(
  deps: { calendar: CalendarStore; clock: Clock },
  ...facts: AuditFacts
): Promise<void> {
  await deps.calendar.appendAudit(auditRecord(deps, ...facts));
}
