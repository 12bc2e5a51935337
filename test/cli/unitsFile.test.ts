import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadPlanWithUnits } from '../../cli/unitsFile.js';
import { PlanValidationError } from '../../shared/domain/plan/validate.js';
import { runCli } from '../support/cli.js';
import { seedPlan } from '../support/seed.js';

const dir = mkdtempSync(join(tmpdir(), 'duban-units-'));

/** The seed plan with two more districts responsible for its first milestone, to come from a workbook. */
function planFile(): string {
  const plan = seedPlan();
  const [first, ...rest] = plan.milestones;
  if (!first) throw new Error('the seed has milestones');
  const file = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  const withNew = { ...first, responsible: [...first.responsible, 'xinhui-a', '0101'] };
  writeFileSync(file, JSON.stringify({ ...plan, milestones: [withNew, ...rest] }));
  return file;
}

async function workbook(rows: (string | ExcelJS.CellHyperlinkValue)[][]): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('责任单位');
  for (const row of rows) sheet.addRow(row);
  const file = join(dir, `units-${Math.random().toString(36).slice(2)}.xlsx`);
  await book.xlsx.writeFile(file);
  return file;
}

const CHINESE = ['单位代码', '单位名称', '单位类型', '单位邮箱', '负责人', '负责人邮箱', '分管领导', '分管领导邮箱'];
const row = (id: string, email: string | ExcelJS.CellHyperlinkValue = `office@${id}.example.gov.cn`) => [
  id,
  `${id}人民政府`,
  '区县',
  email,
  `${id}主要负责人`,
  `head@${id}.example.gov.cn`,
  `${id}分管领导`,
  `supervisor@${id}.example.gov.cn`,
];

describe('units from a workbook or a CSV (--units)', () => {
  it("joins a workbook's units, under the office's Chinese headings, to the plan file's", async () => {
    // Prepare: an address typed as a mailto link, as Excel makes one.
    const units = await workbook([
      CHINESE,
      row('xinhui-a', { text: 'office@xinhui-a.example.gov.cn', hyperlink: 'mailto:office@xinhui-a.example.gov.cn' }),
      [],
      row('0101'),
    ]);

    // Act
    const plan = await loadPlanWithUnits(planFile(), units);

    // Assess
    expect(plan.units).toHaveLength(seedPlan().units.length + 2);
    expect(plan.units.at(-2)).toEqual({
      id: 'xinhui-a',
      name: 'xinhui-a人民政府',
      kind: 'district',
      email: 'office@xinhui-a.example.gov.cn',
      head: { name: 'xinhui-a主要负责人', email: 'head@xinhui-a.example.gov.cn' },
      supervisor: { name: 'xinhui-a分管领导', email: 'supervisor@xinhui-a.example.gov.cn' },
    });
    expect(plan.units.at(-1)?.id).toBe('0101');
  });

  it('reads a UTF-8 CSV with a BOM and English headings, keeping an id such as 0101 as written', async () => {
    // Prepare
    const file = join(dir, 'units.csv');
    const header = 'id,name,kind,email,head,head_email,supervisor,supervisor_email';
    const lines = [row('xinhui-a'), row('0101')].map((r) => r.map(String).join(','));
    writeFileSync(file, `\ufeff${[header, ...lines].join('\r\n')}\r\n`);

    // Act
    const plan = await loadPlanWithUnits(planFile(), file);

    // Assess
    expect(plan.units.slice(-2).map((u) => [u.id, u.kind, u.head.email])).toEqual([
      ['xinhui-a', 'district', 'head@xinhui-a.example.gov.cn'],
      ['0101', 'district', 'head@0101.example.gov.cn'],
    ]);
  });

  it('names the workbook row of every problem, and a unit id the plan file already has', async () => {
    // Prepare
    const units = await workbook([CHINESE, row('xinhui-a', 'not-an-address'), row('jianghai'), row('0101')]);

    // Act
    const error = await loadPlanWithUnits(planFile(), units).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PlanValidationError);
    const name = units.split('/').at(-1);
    const lines = (error as Error).message.split('\n');
    expect(lines).toContain(`${name} row 2 email: "not-an-address" is not a valid email address`);
    expect(lines.some((l) => l.startsWith(`${name} row 3 id: duplicate id "jianghai"`))).toBe(true);
  });

  it('refuses a sheet without a required column, and a CSV that is not UTF-8, before reading rows', async () => {
    // Prepare
    const noEmail = await workbook([CHINESE.filter((h) => h !== '单位邮箱'), row('xinhui-a').slice(0, 7)]);
    const gbk = join(dir, 'gbk.csv');
    writeFileSync(gbk, Buffer.from([0x69, 0x64, 0x2c, 0xb5, 0xa5, 0xce, 0xbb, 0x0a]));

    // Act
    const missing = await loadPlanWithUnits(planFile(), noEmail).catch((e: unknown) => e);
    const encoding = await loadPlanWithUnits(planFile(), gbk).catch((e: unknown) => e);

    // Assess
    expect((missing as Error).message).toMatch(/row 1 must name the columns "email" \(单位邮箱\)$/);
    expect((encoding as Error).message).toContain('is not UTF-8 text');
  });

  it('validates a plan with its workbook from the command line', async () => {
    // Prepare
    const units = await workbook([CHINESE, row('xinhui-a'), row('0101')]);

    // Act
    const { code, stdout } = await runCli(['plan', 'validate', planFile(), '--units', units]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`valid — plan "jiangmen-2021" .*, ${seedPlan().units.length + 2} units`));
  });
});
