import { EXIT_FIELD_LABEL, EXIT_FIELDS } from '../../shared/domain/exits/fields.js';
import type { SheetRow } from '../../shared/domain/exits/sheets.js';
import type { ExitItemFields } from '../../shared/domain/exits/types.js';

/** A fictional enterprise (示例) with a valid code, as a district's file row holds it. */
export const exitFields = (overrides: Partial<ExitItemFields> = {}): ExitItemFields => ({
  name: '鹤山市示例水泥有限公司（示例）',
  creditCode: '91440784MA5EX0001J',
  industry: '水泥',
  capacity: '直径3米以下水泥粉磨设备',
  quantity: '2',
  measure: '台',
  exitMethod: '拆除',
  plannedDate: '2021-08-31',
  ...overrides,
});

/** Fictional codes with valid check characters, for the districts of the seed plan (region codes of Jiangmen). */
export const DEMO_CODES = {
  heshan: ['91440784MA5EX0001J', '91440784MA5EX0002M', '91440784MA5EX0003Q'],
  jianghai: ['91440704MA5EX0001N'],
  pengjiang: ['91440703MA5EX00018', '91440703MA5EX0002B'],
} as const;

/** A file's rows: the header (row 1), then one row per item, as the sheet reader gives them. */
export function sheetRows(items: readonly ExitItemFields[]): SheetRow[] {
  const cells = (values: readonly string[]) => values.map((text) => ({ text, kind: 'text' as const }));
  return [
    { number: 1, cells: cells(EXIT_FIELDS.map((f) => EXIT_FIELD_LABEL[f])) },
    ...items.map((item, i) => ({ number: i + 2, cells: cells(EXIT_FIELDS.map((f) => item[f])) })),
  ];
}
