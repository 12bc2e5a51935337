import { auditRecord } from '../calendar/audit.js';
import { type ExitDeps, ExitImportError, ledgerContext, plannedDateProblem } from './context.js';
import { EXIT_FIELD_LABEL, sameFields } from './fields.js';
import { parseExitRows, type RowProblem } from './rows.js';
import type { SheetRow } from './sheets.js';
import type { ExitItem } from './types.js';

export interface ExitImportInput {
  readonly plan: string;
  readonly unit: string;
  readonly rows: readonly SheetRow[];
  /** The file as received: its name and SHA-256, for the audit trail. */
  readonly file: { readonly name: string; readonly sha256: string };
}

export interface ExitImportResult {
  readonly rows: number;
  /** Codes of the items the file added, and of those it changed; the rest it left as they were. */
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: number;
  readonly dryRun: boolean;
}

/** Codes an audit record lists at most (a record stays well under DynamoDB's 400 KB). */
const AUDITED_CODES = 1000;

/**
 * 导入退出台账: a unit's file of items, all or nothing. Every row is checked — its fields, the check character
 * of its 统一社会信用代码, a code twice in the file or already another unit's, a planned date the holiday data
 * cannot chase — and one problem anywhere refuses the whole file, naming each row as the spreadsheet shows it.
 * Items are keyed by their code: importing a file again changes nothing, and a row whose item exists updates its
 * fields and keeps its steps. The audit record is written before the items (no change without its record); a
 * write that fails part-way (throttling past every retry, a concurrent edit) leaves the file partly applied and
 * is completed by importing the same file again.
 */
export async function importExitRows(
  deps: ExitDeps,
  input: ExitImportInput,
  actor: string,
  options: { readonly dryRun?: boolean } = {},
): Promise<ExitImportResult> {
  const { plan, milestone, unit } = await ledgerContext(deps, input.plan, input.unit);
  const { parsed, problems } = parseExitRows(input.rows);
  // The unit's own items whole (a row may update one); every other unit's codes alone (a row may not take one).
  const [existing, codes] = await Promise.all([
    deps.exits.listUnitItems(plan.id, unit.id),
    deps.exits.listCodes(plan.id),
  ]);
  const byCode = new Map(existing.map((i) => [i.creditCode, i]));
  const elsewhere = new Map(codes.filter((c) => c.unit !== unit.id).map((c) => [c.creditCode, c.unit]));
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const dateProblems = new Map<string, string | undefined>();
  for (const { row, fields } of parsed) {
    const other = elsewhere.get(fields.creditCode);
    if (other) {
      problems.push({
        row,
        message: `${EXIT_FIELD_LABEL.creditCode} ${fields.creditCode} 已由${names.get(other) ?? other}登记`,
      });
    }
    if (!dateProblems.has(fields.plannedDate))
      dateProblems.set(fields.plannedDate, plannedDateProblem(plan, milestone, fields.plannedDate));
    const dateProblem = dateProblems.get(fields.plannedDate);
    if (dateProblem) problems.push({ row, message: dateProblem });
  }
  if (problems.length > 0) throw new ExitImportError(sortProblems(problems));

  const now = deps.clock.now();
  const writes: { item: ExitItem; expected: number | undefined }[] = [];
  const created: string[] = [];
  const updated: string[] = [];
  for (const { fields } of parsed) {
    const before = byCode.get(fields.creditCode);
    if (before && sameFields(before, fields)) continue;
    (before ? updated : created).push(fields.creditCode);
    const item: ExitItem = before
      ? { ...before, ...fields, version: before.version + 1, updatedAt: now, updatedBy: actor }
      : {
          ...fields,
          plan: plan.id,
          milestone: milestone.id,
          unit: unit.id,
          steps: {},
          version: 1,
          createdAt: now,
          updatedAt: now,
          updatedBy: actor,
        };
    writes.push({ item, expected: before?.version });
  }
  const result = {
    rows: parsed.length,
    created,
    updated,
    unchanged: parsed.length - writes.length,
    dryRun: Boolean(options.dryRun),
  };
  if (options.dryRun || writes.length === 0) return result;
  const mine = existing.length;
  const after = {
    file: input.file.name,
    sha256: input.file.sha256,
    rows: parsed.length,
    created: created.length,
    updated: updated.length,
    unchanged: result.unchanged,
    codes: [...created, ...updated].slice(0, AUDITED_CODES),
  };
  await deps.calendar.appendAudit(auditRecord(deps, plan.id, actor, 'ledger-import', unit.id, { items: mine }, after));
  await deps.exits.putItems(writes);
  return result;
}

const sortProblems = (problems: RowProblem[]) => [...problems].sort((a, b) => a.row - b.row);
