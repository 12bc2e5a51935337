import { Readable } from 'node:stream';
import type { Cell, Workbook } from 'exceljs';
import {
  type OutSheet,
  type SheetCell,
  type SheetCodec,
  type SheetFormat,
  SheetReadError,
  type SheetRow,
} from '../../domain/exits/sheets.js';

/** exceljs is large (about 1 MB): loaded on the first file, so the portal's cold start does not pay for it. */
type ExcelJS = typeof import('exceljs');
let excel: Promise<ExcelJS> | undefined;
const exceljs = async (): Promise<ExcelJS> => {
  // Under native ESM the CommonJS module is the default export; bundled, it may be the namespace itself.
  excel ??= import('exceljs').then((m) => (m as unknown as { default?: ExcelJS }).default ?? m);
  return excel;
};

/**
 * Workbooks and CSV files through exceljs (well kept, reads and writes XLSX; the registry's `xlsx` is an old
 * unmaintained build). A CSV must be UTF-8 (a BOM is fine); one in GBK is refused as such, not read as mojibake.
 */
export const exceljsSheets: SheetCodec = {
  async read(bytes: Uint8Array, format: SheetFormat): Promise<SheetRow[]> {
    const ExcelJS = await exceljs();
    const workbook = new ExcelJS.Workbook();
    try {
      if (format === 'xlsx') await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      else await workbook.csv.read(Readable.from([utf8(bytes)]), { map: (value: unknown) => value });
    } catch (error) {
      if (error instanceof SheetReadError) throw error;
      throw new SheetReadError(
        format === 'xlsx'
          ? '文件无法作为 Excel 工作簿（.xlsx）读取，请检查文件是否损坏'
          : 'CSV 文件无法读取，请检查格式',
        { cause: error },
      );
    }
    return rowsOf(workbook);
  },

  async write(sheets: readonly OutSheet[], format: SheetFormat): Promise<Uint8Array> {
    const ExcelJS = await exceljs();
    const workbook = new ExcelJS.Workbook();
    for (const sheet of format === 'csv' ? sheets.slice(0, 1) : sheets) {
      const ws = workbook.addWorksheet(sheet.name);
      ws.addRow([...sheet.header]).font = { bold: true };
      for (const row of sheet.rows) ws.addRow(format === 'csv' ? row.map(inertForCsv) : [...row]);
      ws.columns.forEach((column: { width?: number }, i: number) => {
        const widest = Math.max(...[sheet.header[i] ?? '', ...sheet.rows.map((r) => String(r[i] ?? ''))].map(width));
        column.width = Math.min(60, Math.max(8, widest + 2));
      });
      ws.views = [{ state: 'frozen', ySplit: 1 }];
    }
    if (format === 'xlsx') return new Uint8Array(await workbook.xlsx.writeBuffer());
    // A BOM, so Excel opens the UTF-8 as UTF-8.
    const csv = Buffer.from(await workbook.csv.writeBuffer());
    return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]));
  },
};

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (cause) {
    throw new SheetReadError('CSV 文件须为 UTF-8 编码（在 Excel 中另存为“CSV UTF-8（逗号分隔）”即可）', { cause });
  }
}

/** The first sheet's non-empty rows, numbered as the spreadsheet shows them. */
function rowsOf(workbook: Workbook): SheetRow[] {
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: (SheetCell | undefined)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = cellOf(cell);
    });
    if (cells.some((c) => c !== undefined && c.text.trim() !== '')) rows.push({ number, cells });
  });
  return rows;
}

/** A cell's text as a person reads it: a date as YYYY-MM-DD, a number as it is, a formula by its result. */
function cellOf(cell: Cell): SheetCell | undefined {
  let value: unknown = cell.value;
  if (value && typeof value === 'object' && 'result' in value) value = (value as { result: unknown }).result;
  if (value === null || value === undefined) return undefined;
  // Excel keeps a date as a day count; exceljs gives it as that day's UTC midnight.
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), kind: 'date' };
  if (typeof value === 'number') return { text: String(value), kind: 'number' };
  if (typeof value === 'string') return { text: value, kind: 'text' };
  return { text: cell.text, kind: 'text' };
}

/** A CSV cell that Excel would run as a formula (=, +, -, @ first) is kept as text: CSV injection. */
const inertForCsv = (value: string | number) =>
  typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;

/** Roughly how wide a text shows: a CJK character takes two columns. */
const width = (text: string) => [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
