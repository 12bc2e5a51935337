/**
 * Spreadsheets in and out (the districts' files, the office's lists): a port, so the domain reads rows and the
 * adapter (exceljs) reads and writes workbooks.
 */
export type SheetFormat = 'xlsx' | 'csv';

/** A cell as the domain reads it: its text, and what the spreadsheet held (a number loses an 18-digit code). */
export interface SheetCell {
  readonly text: string;
  readonly kind: 'text' | 'number' | 'date';
}

/** A row that is not empty, numbered as the spreadsheet shows it (the header is row 1); cells by column, from 0. */
export interface SheetRow {
  readonly number: number;
  readonly cells: readonly (SheetCell | undefined)[];
}

/** A sheet to write: a header row, then the rows. */
export interface OutSheet {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface SheetCodec {
  /** The first sheet's non-empty rows. Throws SheetReadError for a file that is not what its format says. */
  read(bytes: Uint8Array, format: SheetFormat): Promise<SheetRow[]>;
  /** A workbook of these sheets; a CSV (UTF-8 with a BOM, so Excel reads it as such) holds the first only. */
  write(sheets: readonly OutSheet[], format: SheetFormat): Promise<Uint8Array>;
}

/** The file could not be read as a workbook or a UTF-8 CSV; the message says why, in Chinese. */
export class SheetReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SheetReadError';
  }
}

/** The format a file name says (`.xlsx`, `.csv`), or undefined. */
export function sheetFormatOf(fileName: string): SheetFormat | undefined {
  const ext = fileName.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  return ext === 'xlsx' || ext === 'csv' ? ext : undefined;
}

export const SHEET_CONTENT_TYPE: Record<SheetFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};
