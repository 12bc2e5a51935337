import { isCalendarDate } from '../time/wallClock.js';
import { creditCodeProblem, describeCreditCodeProblem, normalizeCreditCode } from './creditCode.js';
import { EXIT_METHODS, type ExitMethod } from './steps.js';
import type { ExitItemFields } from './types.js';

/** An item's fields as the office heads its columns (the file's header row, the form's labels). */
export const EXIT_FIELD_LABEL: Record<keyof ExitItemFields, string> = {
  name: '企业名称',
  creditCode: '统一社会信用代码',
  industry: '行业',
  capacity: '落后产能',
  quantity: '数量',
  measure: '计量单位',
  exitMethod: '退出方式',
  plannedDate: '计划完成日期',
};

export const EXIT_FIELDS = Object.keys(EXIT_FIELD_LABEL) as (keyof ExitItemFields)[];

/** One refused field, in Chinese: `统一社会信用代码 校验位应为 X`. */
export interface FieldProblem {
  readonly field: keyof ExitItemFields;
  readonly message: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const MAX_LENGTH: Record<'name' | 'industry' | 'capacity' | 'measure', number> = {
  name: 100,
  industry: 40,
  capacity: 200,
  measure: 20,
};
/** A positive decimal as people write it: 12, 0.5, 1,200 (the thousands separator is dropped). */
const QUANTITY = /^\d{1,12}(?:\.\d{1,4})?$/;

/** The text of each field as typed (a file's cells, a form's values), before any check. */
export type RawFields = Partial<Record<keyof ExitItemFields, string>>;

/**
 * Checks an item's fields one by one, every problem reported: what a file row or the form is refused for. The
 * values come back normalised (trimmed, the code upper-cased without spaces, 1,200 as 1200), so a form refused
 * for one field keeps what was typed in the others.
 */
export function checkExitFields(raw: RawFields): { fields?: ExitItemFields; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const value = (field: keyof ExitItemFields) => (raw[field] ?? '').trim();
  const refuse = (field: keyof ExitItemFields, message: string) =>
    problems.push({ field, message: `${EXIT_FIELD_LABEL[field]} ${message}` });
  const line = (field: keyof typeof MAX_LENGTH) => {
    const v = value(field);
    if (v === '') refuse(field, '不能为空');
    else if ([...v].length > MAX_LENGTH[field]) refuse(field, `不能超过${MAX_LENGTH[field]}个字`);
    else if (CONTROL.test(v)) refuse(field, '只能是一行文字，不能含控制字符');
    return v;
  };
  const name = line('name');
  const code = normalizeCreditCode(value('creditCode'));
  if (code === '') refuse('creditCode', '不能为空');
  else {
    const problem = creditCodeProblem(code);
    if (problem) refuse('creditCode', describeCreditCodeProblem(problem));
  }
  const industry = line('industry');
  const capacity = line('capacity');
  const quantity = value('quantity').replace(/,/g, '');
  if (quantity === '') refuse('quantity', '不能为空');
  else if (!QUANTITY.test(quantity) || Number(quantity) <= 0)
    refuse('quantity', `应为正数，如 12 或 0.5（现为“${quantity.slice(0, 20)}”）`);
  const measure = line('measure');
  const method = value('exitMethod');
  if (!(EXIT_METHODS as readonly string[]).includes(method))
    refuse('exitMethod', `应为${EXIT_METHODS.join('、')}之一${method ? `（现为“${method.slice(0, 20)}”）` : ''}`);
  const plannedDate = value('plannedDate');
  if (plannedDate === '') refuse('plannedDate', '不能为空');
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(plannedDate) || !isCalendarDate(plannedDate))
    refuse('plannedDate', `应为有效日期，格式 YYYY-MM-DD，如 2021-10-15（现为“${plannedDate.slice(0, 20)}”）`);
  if (problems.length > 0) return { problems };
  return {
    fields: {
      name,
      creditCode: code,
      industry,
      capacity,
      quantity: String(Number(quantity)),
      measure,
      exitMethod: method as ExitMethod,
      plannedDate,
    },
    problems,
  };
}

/** Whether two items say the same (an import that changes nothing writes nothing). */
export const sameFields = (a: ExitItemFields, b: ExitItemFields) => EXIT_FIELDS.every((f) => a[f] === b[f]);
