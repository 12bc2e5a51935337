import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { StoreAdapters } from '../../shared/adapters/aws/wiring.js';
import { exceljsSheets } from '../../shared/adapters/sheets/exceljsSheets.js';
import { type ExitItemView, exitBoard } from '../../shared/domain/exits/board.js';
import { ExitImportError, ledgerContext } from '../../shared/domain/exits/context.js';
import { EXIT_LIST_TITLE, type ExitListKind, exitListSheets } from '../../shared/domain/exits/exports.js';
import { importExitRows } from '../../shared/domain/exits/importItems.js';
import { formatRowProblem } from '../../shared/domain/exits/rows.js';
import { type SheetFormat, sheetFormatOf } from '../../shared/domain/exits/sheets.js';
import { EXIT_STATUS_LABEL, ledgerOf } from '../../shared/domain/exits/status.js';
import type { StoredPlan } from '../../shared/domain/ports.js';
import { reconcilePlan } from '../../shared/domain/schedule/reconcile.js';
import { RefusedError, UsageError } from '../errors.js';
import { readUserBytes } from '../io.js';
import { describeReconcile } from '../output/calendarOutput.js';
import { renderTable } from '../output/table.js';
import { changeClock, loadStored, readClock, type TargetFlags, targetOptions, withTarget } from './calendarRun.js';
import { cliAuthor } from './submit.js';

/** A district's file: larger than a provincial ledger's 50,000 rows would ever need. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export function registerLedgerCommands(program: Command): void {
  const ledger = program
    .command('ledger')
    .description('退出台账: the enterprise exit items of a plan that keeps a ledger (import, list, export)');
  targetOptions(
    ledger
      .command('import <plan> <unit> <file>')
      .description(
        "import a unit's items from a .xlsx (first sheet) or UTF-8 .csv: all or nothing, idempotent by 统一社会信用代码",
      ),
  )
    .option('--dry-run', 'check the file and say what it would add and change; write nothing')
    .action(importLedger);
  targetOptions(ledger.command('list <plan>').description('the items, their status and steps'))
    .option('--unit <unit>', "one unit's items")
    .option('--json', 'print a JSON array of items')
    .action(listLedger);
  targetOptions(
    ledger
      .command('export <plan>')
      .description('the 15 December list of completed exits (or, with --credit, the 信用 list) as a spreadsheet'),
  )
    .option('--unit <unit>', "one unit's list (default: every unit)")
    .option('--credit', 'the 信用 list: not completed by the planned date, or resisting (拒不退出)')
    .option('--xlsx <file>', 'write a workbook')
    .option('--csv <file>', 'write a UTF-8 CSV (the list alone)')
    .action(exportLedger);
}

interface ImportFlags extends TargetFlags {
  dryRun?: boolean;
}

/** `ledger import`: checks every row, writes all or nothing, then reconciles the ledger's schedules. */
export async function importLedger(planId: string, unit: string, file: string, flags: ImportFlags): Promise<void> {
  const format = formatOf(file);
  const clock = changeClock({ ...flags, dryRun: flags.dryRun ?? false }, 'ledger import');
  const bytes = readUserBytes(file, MAX_FILE_BYTES);
  await withTarget(flags, async (target) => {
    const rows = await readSheet(bytes, format, file);
    const deps = { calendar: target.stores.calendar, exits: target.stores.exits, clock };
    let result: Awaited<ReturnType<typeof importExitRows>>;
    try {
      result = await importExitRows(
        deps,
        {
          plan: planId,
          unit,
          rows,
          file: { name: basename(file), sha256: createHash('sha256').update(bytes).digest('hex') },
        },
        await cliAuthor(target, flags),
        { dryRun: flags.dryRun ?? false },
      );
    } catch (error) {
      if (!(error instanceof ExitImportError)) throw error;
      const lines = error.problems.map(formatRowProblem);
      throw new RefusedError(
        `${basename(file)}：导入被拒绝，未写入任何内容（${lines.length}处问题）\n${lines.join('\n')}`,
        {
          cause: error,
        },
      );
    }
    const { unit: u } = await ledgerContext(deps, planId, unit);
    const verb = result.dryRun ? '将' : '已';
    console.log(
      `${u.name} 退出台账${result.dryRun ? '（预检，未写入）' : ''}：${result.rows}行，${verb}新增 ${result.created.length} 项，${verb}更新 ${result.updated.length} 项，未变 ${result.unchanged} 项`,
    );
    if (result.dryRun || result.created.length + result.updated.length === 0) return;
    const reconcile = await reconcilePlan({ ...deps, schedules: target.schedules }, planId);
    for (const line of describeReconcile(reconcile)) console.log(line);
  });
}

/** `ledger list`: a table, or `--json` (an array of items with unit, name, creditCode, exitMethod, plannedDate, status, steps). */
export async function listLedger(
  planId: string,
  flags: TargetFlags & { unit?: string; json?: boolean },
): Promise<void> {
  await withTarget(flags, async (target) => {
    const { plan, views } = await ledgerViews(target.stores, planId, flags.unit, readClock(flags).now());
    if (flags.json) return console.log(JSON.stringify(views, null, 2));
    const names = new Map(plan.units.map((u) => [u.id, u.name]));
    const rows = views.map((v) => [
      names.get(v.unit) ?? v.unit,
      v.name,
      v.creditCode,
      v.exitMethod,
      v.plannedDate,
      `${EXIT_STATUS_LABEL[v.status]}${v.resisted ? '（拒不退出）' : ''}`,
      stepsText(v),
    ]);
    console.log(
      renderTable(
        ['单位', '企业名称', '统一社会信用代码', '退出方式', '计划完成', '状态', '步骤（已完成/应完成）'],
        rows,
      ),
    );
    console.log(
      `\n共 ${views.length} 项：${Object.entries(countBy(views))
        .map(([s, n]) => `${s} ${n}`)
        .join('  ')}`,
    );
  });
}

/** `ledger export`: the list generated from the ledger as it stands (or `--now`), city-wide or one unit's. */
export async function exportLedger(
  planId: string,
  flags: TargetFlags & { unit?: string; credit?: boolean; xlsx?: string; csv?: string },
): Promise<void> {
  if (Boolean(flags.xlsx) === Boolean(flags.csv))
    throw new UsageError('ledger export: give one of --xlsx FILE or --csv FILE');
  const format: SheetFormat = flags.xlsx ? 'xlsx' : 'csv';
  const file = (flags.xlsx ?? flags.csv) as string;
  const kind: ExitListKind = flags.credit ? 'credit' : 'completed';
  await withTarget(flags, async (target) => {
    const now = readClock(flags).now();
    const plan = await loadStored(target.stores.calendar, planId);
    const milestone = ledgerOrRefuse(plan);
    if (flags.unit) await ledgerContext(target.stores, planId, flags.unit);
    const items = await target.stores.exits.listItems(planId);
    const board = exitBoard(
      plan,
      { ...milestone, responsible: flags.unit ? [flags.unit] : milestone.responsible },
      items,
      now,
    );
    const sheets = exitListSheets(board, milestone, kind);
    writeFileSync(file, await exceljsSheets.write(sheets, format));
    const listed = sheets[0]?.rows.length ?? 0;
    console.log(`${EXIT_LIST_TITLE[kind]}：${listed} 家企业 → ${file}`);
  });
}

/** Every item (or one unit's) as the board shows it, in the ledger's order of units. */
async function ledgerViews(
  stores: Pick<StoreAdapters, 'calendar' | 'exits'>,
  planId: string,
  unit: string | undefined,
  now: number,
): Promise<{ plan: StoredPlan; views: ExitItemView[] }> {
  const plan = await loadStored(stores.calendar, planId);
  const milestone = ledgerOrRefuse(plan);
  if (unit) await ledgerContext(stores, planId, unit);
  const board = exitBoard(plan, milestone, await stores.exits.listItems(planId), now);
  return { plan, views: board.units.filter((u) => !unit || u.unit === unit).flatMap((u) => [...u.items]) };
}

function ledgerOrRefuse(plan: StoredPlan) {
  const milestone = ledgerOf(plan);
  if (!milestone)
    throw new RefusedError(`plan "${plan.id}" keeps no exit ledger (no milestone has a "ledger" section)`);
  return milestone;
}

function formatOf(file: string): SheetFormat {
  const format = sheetFormatOf(file);
  if (!format) throw new RefusedError(`${file}: must be a .xlsx workbook or a .csv file (UTF-8)`);
  return format;
}

async function readSheet(bytes: Uint8Array, format: SheetFormat, file: string) {
  try {
    return await exceljsSheets.read(bytes, format);
  } catch (error) {
    throw new RefusedError(`${basename(file)}：${(error as Error).message}`, { cause: error });
  }
}

/** `断电 6/1、断水 6/2 (2/5)`: the steps done, with their day, and how many of the required. */
function stepsText(v: ExitItemView): string {
  const done = v.steps
    .filter((s) => s.date)
    .map((s) => `${s.name} ${Number(s.date?.slice(5, 7))}/${Number(s.date?.slice(8, 10))}`);
  const required = v.steps.filter((s) => s.required);
  const requiredDone = required.filter((s) => s.date).length;
  return `${done.join('、') || '—'}（${requiredDone}/${required.length}）`;
}

function countBy(views: readonly ExitItemView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of views) counts[EXIT_STATUS_LABEL[v.status]] = (counts[EXIT_STATUS_LABEL[v.status]] ?? 0) + 1;
  return counts;
}
