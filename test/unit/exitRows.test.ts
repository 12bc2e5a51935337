import { describe, expect, it } from 'vitest';
import { formatRowProblem, parseExitRows } from '../../shared/domain/exits/rows.js';
import type { SheetCell, SheetRow } from '../../shared/domain/exits/sheets.js';

const HEADER = ['企业名称', '统一社会信用代码', '行业', '落后产能', '数量', '计量单位', '退出方式', '计划完成日期'];
const text = (t: string): SheetCell => ({ text: t, kind: 'text' });
const row = (number: number, cells: readonly (string | SheetCell)[]): SheetRow => ({
  number,
  cells: cells.map((c) => (typeof c === 'string' ? text(c) : c)),
});
const good = [
  '鹤山市示例水泥有限公司（示例）',
  '91440784MA5EX0001J',
  '水泥',
  '水泥粉磨设备',
  '2',
  '台',
  '拆除',
  '2021-08-31',
];

describe('a ledger file, read row by row', () => {
  it("reads the columns in any order, and keeps each row's number as the spreadsheet shows it", () => {
    // Prepare: the columns reversed, an empty row 3 (the reader leaves it out), an extra column.
    const order = [...HEADER.keys()].reverse();
    const rows = [
      row(1, [...order.map((i) => HEADER[i] as string), '备注']),
      row(2, [...order.map((i) => good[i] as string), '无']),
      row(
        4,
        order.map((i) =>
          i === 1 ? '91440784MA5EX0002M' : i === 0 ? '鹤山市示例钢铁铸件有限公司（示例）' : (good[i] as string),
        ),
      ),
    ];

    // Act
    const { parsed, problems } = parseExitRows(rows);

    // Assess
    expect(problems).toEqual([]);
    expect(parsed.map((p) => [p.row, p.fields.creditCode, p.fields.exitMethod, p.fields.plannedDate])).toEqual([
      [2, '91440784MA5EX0001J', '拆除', '2021-08-31'],
      [4, '91440784MA5EX0002M', '拆除', '2021-08-31'],
    ]);
  });

  it('names every problem by its row, the header being row 1: `第3行 统一社会信用代码 校验位应为 X`', () => {
    // Prepare
    const rows = [
      row(1, HEADER),
      row(2, good),
      row(
        3,
        good.map((v, i) => (i === 1 ? '91440784MA5EX0001K' : v)),
      ),
      row(5, ['', '91440784MA5EX0002M', '水泥', '粉磨', '-1', '台', '淘汰', '2021-02-30']),
      row(6, good),
    ];

    // Act
    const { parsed, problems } = parseExitRows(rows);

    // Assess
    expect(problems.map(formatRowProblem)).toEqual([
      '第3行 统一社会信用代码 校验位应为 J',
      '第5行 企业名称 不能为空',
      '第5行 数量 应为正数，如 12 或 0.5（现为“-1”）',
      '第5行 退出方式 应为关停、停业、关闭、取缔、拆除之一（现为“淘汰”）',
      '第5行 计划完成日期 应为有效日期，格式 YYYY-MM-DD，如 2021-10-15（现为“2021-02-30”）',
      '第6行 统一社会信用代码 与第2行重复',
    ]);
    expect(parsed.map((p) => p.row)).toEqual([2]);
  });

  it('says a code typed into a number cell has lost its digits, rather than blame the check character', () => {
    // Prepare: Excel keeps 914403001922038216 as 914403001922038200.
    const rows = [
      row(1, HEADER),
      row(
        2,
        good.map((v, i) => (i === 1 ? { text: '914403001922038200', kind: 'number' as const } : v)),
      ),
    ];

    // Act
    const { problems } = parseExitRows(rows);

    // Assess
    expect(problems.map(formatRowProblem)).toEqual([
      '第2行 统一社会信用代码 被存成了数字，18位代码已失真：请将该列设为文本格式后重新填写',
    ]);
  });

  it('refuses a file whose header lacks a column, naming it, and one with no data row', () => {
    expect(
      parseExitRows([
        row(
          1,
          HEADER.filter((h) => h !== '行业'),
        ),
        row(2, good),
      ]).problems.map(formatRowProblem),
    ).toEqual(['第1行 缺少列：行业']);
    expect(parseExitRows([row(1, HEADER)]).problems.map(formatRowProblem)).toEqual(['文件中没有数据行']);
    expect(parseExitRows([row(2, good)]).problems[0]?.row).toBe(1);
  });

  it('takes what people type: spaces in the code, lower case, 1,200 as a quantity, a starred header', () => {
    // Prepare
    const rows = [
      row(
        1,
        HEADER.map((h) => (h === '企业名称' ? '* 企业名称' : h)),
      ),
      row(
        2,
        good.map((v, i) => (i === 1 ? ' 91440784 ma5ex0001j ' : i === 4 ? '1,200' : v)),
      ),
    ];

    // Act
    const { parsed, problems } = parseExitRows(rows);

    // Assess
    expect(problems).toEqual([]);
    expect(parsed[0]?.fields).toMatchObject({ creditCode: '91440784MA5EX0001J', quantity: '1200' });
  });
});
