import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Plan } from '../shared/domain/plan/schema.js';
import {
  type PlanIssue,
  PlanValidationError,
  parsePlan,
  parsePlanJson,
  type ValidationContext,
} from '../shared/domain/plan/validate.js';
import { loadPlanFile, readUserBytes, readUserFile } from './io.js';

/**
 * The columns a units workbook (or CSV) may have, each under its English key or the office's Chinese
 * heading, in any order. Heads and supervisors: a name column and an address column each.
 */
const HEADINGS: Record<string, readonly string[]> = {
  id: ['id', '单位代码', '代码'],
  name: ['name', '单位名称', '名称'],
  kind: ['kind', '单位类型', '类型'],
  email: ['email', '单位邮箱', '邮箱'],
  headName: ['head', 'head name', '负责人', '主要负责人'],
  headEmail: ['head email', '负责人邮箱', '主要负责人邮箱'],
  supervisorName: ['supervisor', 'supervisor name', '分管领导'],
  supervisorEmail: ['supervisor email', '分管领导邮箱'],
};
const REQUIRED = ['id', 'name', 'kind', 'email', 'headEmail', 'supervisorEmail'] as const;

/** 单位类型 as an office writes it, for the schema's kinds. */
const KINDS: Record<string, string> = {
  部门: 'department',
  市直部门: 'department',
  区县: 'district',
  '市（区）': 'district',
  县区: 'district',
  政府: 'government',
  省: 'province',
  省级: 'province',
};

/** The units a workbook lists, as a plan file would list them, and the sheet row each came from. */
export interface UnitsFromFile {
  readonly units: Record<string, unknown>[];
  readonly rows: number[];
}

/**
 * Reads the units of a plan from a workbook (`.xlsx`, its first sheet) or a CSV (UTF-8, a BOM is fine),
 * with exceljs: the first row names the columns, each row after it is a unit. Empty rows are skipped.
 * A missing column is refused before anything else, naming what to add.
 */
export async function readUnitsFile(file: string): Promise<UnitsFromFile> {
  const workbook = new ExcelJS.Workbook();
  const type = extname(file).toLowerCase();
  try {
    if (type === '.xlsx') {
      await workbook.xlsx.load(readUserBytes(file) as unknown as ArrayBuffer);
    } else if (type === '.csv') {
      // Every cell kept as written: an id like 0101 is not a number, a date stays the string it was.
      await workbook.csv.read(Readable.from([readUserFile(file)]), { map: (value: unknown) => value });
    } else {
      throw issue(file, 'must be a .xlsx workbook or a .csv file');
    }
  } catch (error) {
    if (error instanceof PlanValidationError) throw error;
    throw issue(file, `cannot be read as ${type.slice(1)}: ${(error as Error).message}`, error);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw issue(file, 'has no sheet');
  const header = sheet.getRow(1);
  const columns = new Map<string, number>();
  header.eachCell((cell, col) => {
    const text = cell.text.trim().toLowerCase().replace(/[_-]/g, ' ');
    for (const [key, names] of Object.entries(HEADINGS)) if (names.includes(text)) columns.set(key, col);
  });
  const missing = REQUIRED.filter((key) => !columns.has(key));
  if (missing.length > 0) {
    throw issue(
      file,
      `row 1 must name the columns ${missing.map((k) => `"${HEADINGS[k]?.[0]}" (${HEADINGS[k]?.[1]})`).join(', ')}`,
    );
  }
  const units: Record<string, unknown>[] = [];
  const rows: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    const cell = (key: string) => {
      const col = columns.get(key);
      const text = col === undefined ? '' : row.getCell(col).text.trim();
      return text === '' ? undefined : text;
    };
    if (Object.keys(HEADINGS).every((key) => cell(key) === undefined)) return;
    const contact = (name: string | undefined, email: string | undefined) => ({
      ...(name === undefined ? {} : { name }),
      email,
    });
    const kind = cell('kind');
    units.push({
      id: cell('id'),
      name: cell('name'),
      kind: kind === undefined ? undefined : (KINDS[kind] ?? kind),
      email: cell('email'),
      head: contact(cell('headName'), cell('headEmail')),
      supervisor: contact(cell('supervisorName'), cell('supervisorEmail')),
    });
    rows.push(number);
  });
  return { units, rows };
}

/**
 * A plan file's units joined by a workbook's: the plan is validated as one, and a problem in a
 * workbook row is named by its file and row (`units.xlsx row 12: email: "x" is not a valid email
 * address`) rather than by its place in the joined list.
 */
export function withUnitsFrom(
  plan: unknown,
  file: string,
  fromFile: UnitsFromFile,
  parse: (input: unknown) => unknown,
): unknown {
  const own = Array.isArray((plan as { units?: unknown }).units) ? (plan as { units: unknown[] }).units : [];
  const joined = { ...(plan as object), units: [...own, ...fromFile.units] };
  try {
    return parse(joined);
  } catch (error) {
    if (!(error instanceof PlanValidationError)) throw error;
    throw new PlanValidationError(
      error.issues.map((i) => {
        const m = /^units\[(\d+)\](.*)$/.exec(i.path);
        const k = m ? Number(m[1]) - own.length : -1;
        if (!m || k < 0) return i;
        const rest = (m[2] ?? '').replace(/^\./, '');
        return { path: `${basename(file)} row ${fromFile.rows[k]}${rest ? ` ${rest}` : ''}`, message: i.message };
      }),
      { cause: error },
    );
  }
}

const issue = (file: string, message: string, cause?: unknown) =>
  new PlanValidationError([{ path: basename(file), message } satisfies PlanIssue], { cause });

/**
 * A plan file, its units joined by those of a workbook or CSV when `unitsFile` is given (`--units`):
 * a national plan's thousands of units come from the office's spreadsheet, its milestones from the file.
 */
export async function loadPlanWithUnits(
  file: string,
  unitsFile: string | undefined,
  context: ValidationContext = {},
): Promise<Plan> {
  if (unitsFile === undefined) return loadPlanFile(file, context);
  const json = parsePlanJson(readUserFile(file));
  return withUnitsFrom(json, unitsFile, await readUnitsFile(unitsFile), (input) => parsePlan(input, context)) as Plan;
}
