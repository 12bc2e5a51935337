import { CREDIT_CODE_LENGTH } from './creditCode.js';
import { checkExitFields, EXIT_FIELD_LABEL, EXIT_FIELDS, type RawFields } from './fields.js';
import type { SheetRow } from './sheets.js';
import type { ExitItemFields } from './types.js';

/** A problem with a file, named as the spreadsheet shows it: `第3行 统一社会信用代码 校验位应为 X`. */
export interface RowProblem {
  /** The row as the spreadsheet numbers it (the header is row 1); 0 for the file as a whole. */
  readonly row: number;
  readonly message: string;
}

export const formatRowProblem = (p: RowProblem) => (p.row === 0 ? p.message : `第${p.row}行 ${p.message}`);

/** At most this many items a file (a district's year; a province's in one file is 10,000 in the bench). */
export const MAX_ROWS = 50_000;

/** A file's rows that passed every check of their own, each with its row number. */
export interface ParsedRow {
  readonly row: number;
  readonly fields: ExitItemFields;
}

/**
 * Reads a ledger file's rows: row 1 names the columns `企业名称, 统一社会信用代码, 行业, 落后产能, 数量, 计量单位, 退出方式,
 * 计划完成日期` in any order (other columns are left alone); each row after it is an item. Every problem of every row
 * is reported; a row is parsed only when it has none.
 */
export function parseExitRows(rows: readonly SheetRow[]): { parsed: ParsedRow[]; problems: RowProblem[] } {
  const [header, ...body] = rows;
  if (header?.number !== 1) {
    return {
      parsed: [],
      problems: [{ row: 1, message: `应为表头，列出：${Object.values(EXIT_FIELD_LABEL).join('、')}` }],
    };
  }
  const columns = new Map<keyof ExitItemFields, number>();
  const problems: RowProblem[] = [];
  header.cells.forEach((cell, col) => {
    const text = (cell?.text ?? '').replace(/[\s\u3000*＊]/g, '');
    const field = EXIT_FIELDS.find((f) => EXIT_FIELD_LABEL[f] === text);
    if (!field) return;
    if (columns.has(field)) problems.push({ row: 1, message: `“${text}”列出现了两次` });
    else columns.set(field, col);
  });
  const missing = EXIT_FIELDS.filter((f) => !columns.has(f)).map((f) => EXIT_FIELD_LABEL[f]);
  if (missing.length > 0) problems.push({ row: 1, message: `缺少列：${missing.join('、')}` });
  if (problems.length > 0) return { parsed: [], problems };
  if (body.length === 0) return { parsed: [], problems: [{ row: 0, message: '文件中没有数据行' }] };
  if (body.length > MAX_ROWS)
    return { parsed: [], problems: [{ row: 0, message: `一个文件最多${MAX_ROWS}行，现有${body.length}行` }] };

  const parsed: ParsedRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const row of body) {
    const raw: RawFields = {};
    for (const [field, col] of columns) raw[field] = row.cells[col]?.text ?? '';
    const codeCell = row.cells[columns.get('creditCode') as number];
    const checked = checkExitFields(raw);
    const own: RowProblem[] = checked.problems.map((p) => ({ row: row.number, message: p.message }));
    // A code typed into a number cell has lost its last digits: say so rather than report a wrong check digit.
    if (
      codeCell?.kind === 'number' &&
      !checked.fields &&
      own.some((p) => p.message.startsWith(EXIT_FIELD_LABEL.creditCode))
    ) {
      const at = own.findIndex((p) => p.message.startsWith(EXIT_FIELD_LABEL.creditCode));
      own[at] = {
        row: row.number,
        message: `${EXIT_FIELD_LABEL.creditCode} 被存成了数字，${CREDIT_CODE_LENGTH}位代码已失真：请将该列设为文本格式后重新填写`,
      };
    }
    if (checked.fields) {
      const first = firstRowOf.get(checked.fields.creditCode);
      if (first !== undefined)
        own.push({ row: row.number, message: `${EXIT_FIELD_LABEL.creditCode} 与第${first}行重复` });
      else firstRowOf.set(checked.fields.creditCode, row.number);
    }
    problems.push(...own);
    if (checked.fields && own.length === 0) parsed.push({ row: row.number, fields: checked.fields });
  }
  return { parsed, problems };
}
