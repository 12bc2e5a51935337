import ExcelJS from 'exceljs';
import { rowNotes } from '../../domain/board/board.js';
import { LIGHT } from '../../domain/board/lights.js';
import type { OfficeBoard } from '../../domain/board/officeBoard.js';
import { NOTICE_LABEL, STAGE_LABEL } from '../../domain/plan/stages.js';
import type { StoredPlan } from '../../domain/ports.js';
import { wallMinute } from '../report/format.js';

/** The three sheets of the export, in order. */
export const SHEETS = ['看板', '通知记录', '考核'] as const;

/** The board as a workbook: 看板 (one row per milestone and unit), 通知记录 (each notice with its text), 考核. */
export function boardWorkbook(plan: StoredPlan, board: OfficeBoard): ExcelJS.Workbook {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const titles = new Map(plan.milestones.map((m) => [m.id, m.title]));
  const book = new ExcelJS.Workbook();
  book.creator = '督办系统';
  const sheet = (name: (typeof SHEETS)[number], columns: [string, number][]) => {
    const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };
  const grid = sheet('看板', [
    ['事项', 40],
    ['责任单位', 22],
    ['状态', 10],
    ['截止日期', 12],
    [`报送时间（${plan.timezone}）`, 20],
    ['最后督办环节', 12],
    ['复核/期限', 20],
    ['已签收', 8],
  ]);
  for (const r of board.rows) {
    grid.addRow([
      titles.get(r.milestone) ?? r.milestone,
      names.get(r.unit) ?? r.unit,
      `${LIGHT[r.status].light} ${LIGHT[r.status].word}`,
      r.deadline,
      r.submittedAt ? wallMinute(r.submittedAt) : '',
      r.lastStage ? STAGE_LABEL[r.lastStage] : '',
      rowNotes(r).join('，'),
      r.acknowledged ? '是' : '否',
    ]);
  }
  const notices = sheet('通知记录', [
    [`时间（${plan.timezone}）`, 18],
    ['事项', 36],
    ['环节', 10],
    ['涉及单位', 30],
    ['标题', 40],
    ['投递结果', 10],
    ['正文', 80],
  ]);
  for (const n of board.notices) {
    notices.addRow([
      wallMinute(n.fireAt),
      titles.get(n.milestone) ?? n.milestone,
      NOTICE_LABEL[n.stage],
      n.units.map((u) => names.get(u) ?? u).join('、'),
      n.subject,
      n.delivery ?? '',
      n.text ?? '',
    ]);
  }
  const assessment = sheet('考核', [
    ['名次', 6],
    ['单位', 22],
    ['按时', 8],
    ['逾期', 8],
    ['未报送', 8],
    ['累计逾期工作日', 14],
    ['收到通知', 10],
    ['签收率', 8],
  ]);
  for (const a of board.assessment) {
    assessment.addRow([
      a.rank,
      names.get(a.unit) ?? a.unit,
      a.onTime,
      a.late,
      a.missing,
      a.workdaysLate,
      a.noticesReceived,
      a.acknowledgedShare === undefined ? '' : Math.round(a.acknowledgedShare * 100) / 100,
    ]);
  }
  assessment.getColumn(8).numFmt = '0%';
  return book;
}

export async function boardXlsx(plan: StoredPlan, board: OfficeBoard): Promise<ArrayBuffer> {
  return new Uint8Array(await boardWorkbook(plan, board).xlsx.writeBuffer()).slice().buffer;
}

/** The 看板 sheet as CSV (UTF-8 with a BOM, so Excel on a Chinese desktop reads it as such). */
export async function boardCsv(plan: StoredPlan, board: OfficeBoard): Promise<ArrayBuffer> {
  const book = boardWorkbook(plan, board);
  const csv = Buffer.from(await book.csv.writeBuffer({ sheetName: '看板' }));
  return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv])).slice().buffer;
}
