import { RuleRefusedError } from '../errors.js';
import type { Plan } from '../plan/schema.js';
import type { AuditRecord, StoredPlan } from '../ports.js';
import { asPlan } from './applyEdit.js';
import { auditActionLabel, showValue } from './auditText.js';
import { fieldChanges } from './changes.js';

/** An admin's change made since the plan was last imported, which the file about to be imported would undo. */
export interface UndoneEdit {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  /** `milestone:<id>` or `unit:<id>`. */
  readonly target: string;
  /** The field (`deadline`, `head.email`), or `(whole)` for a milestone added or removed. */
  readonly field: string;
  /** What the calendar holds now. */
  readonly now: unknown;
  /** What the file says. */
  readonly file: unknown;
}

/** `a.b` of an object, read without trusting its shape. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The edits made since the last import (from the audit trail) whose result the file does not keep: a moved
 * deadline the file moves back, a removed milestone it lists again, an added unit it drops. An import would
 * silently revert them; the caller asks for `--force` instead.
 */
export function editsUndone(stored: StoredPlan, audit: readonly AuditRecord[], file: Plan): UndoneEdit[] {
  const current = asPlan(stored);
  const sorted = [...audit].sort((a, b) => a.at - b.at);
  // The last import's opening record (written ahead): an import that stopped adds a closing record after
  // edits that raced it, and those edits are still the admins' to keep.
  const lastImport = sorted.findLastIndex(
    (r) => r.target.startsWith('plan:') && (r.action === 'import' || r.action === 'reimport'),
  );
  const undone = new Map<string, UndoneEdit>();
  for (const record of sorted.slice(lastImport + 1)) {
    const [kind, id, ...rest] = record.target.split(':');
    // One unit's own date lives beside the milestone: an import keeps it.
    if (rest.length > 0 || (kind !== 'milestone' && kind !== 'unit') || id === undefined) continue;
    const list = kind === 'milestone' ? 'milestones' : 'units';
    const inFile = (file[list] as readonly { id: string }[]).find((x) => x.id === id);
    const inCalendar = (current[list] as readonly { id: string }[]).find((x) => x.id === id);
    for (const change of fieldChanges(record.before, record.after)) {
      const field = change.field;
      const [now, fromFile] = field === '(whole)' ? [inCalendar, inFile] : [at(inCalendar, field), at(inFile, field)];
      const same = field === '(whole)' ? (now === undefined) === (fromFile === undefined) : sameValue(now, fromFile);
      if (same || (field !== '(whole)' && inFile === undefined)) continue;
      undone.set(`${record.target}|${field}`, {
        at: record.at,
        actor: record.actor,
        action: record.action,
        target: record.target,
        field,
        now: field === '(whole)' ? (now ? '存在' : '已删除') : now,
        file: field === '(whole)' ? (fromFile ? '存在' : '不存在') : fromFile,
      });
    }
  }
  return [...undone.values()];
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** One line per undone edit: who changed what when, and what the file would put back. */
export function describeUndone(edit: UndoneEdit, format: (instant: number) => string): string {
  return `${edit.target} ${edit.field}：${format(edit.at)} 由 ${edit.actor}（${auditActionLabel(edit.action)}）改为 ${showValue(edit.now)}，文件中为 ${showValue(edit.file)}`;
}

/** An import refused because it would undo admin edits; `--force` (or the console's checkbox) overrides. */
export class ImportUndoesEditsError extends RuleRefusedError {
  constructor(readonly undone: readonly UndoneEdit[]) {
    super(
      `导入将撤销 ${undone.length} 项导入后由管理员所做的修改 (the import would undo ${undone.length} admin edit(s) made since the last import); ` +
        '核对无误后加 --force 再导入 (add --force to import anyway)',
    );
  }
}
