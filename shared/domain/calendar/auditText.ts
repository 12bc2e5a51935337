import type { AuditRecord } from '../ports.js';
import { type FieldChange, fieldChanges } from './changes.js';

/** 留痕 as the office names each change. Anything not listed shows its id. */
export const AUDIT_ACTION_LABEL: Readonly<Record<string, string>> = {
  import: '导入计划',
  reimport: '重新导入计划',
  setDeadline: '修改截止日期',
  setUnitDeadline: '设定单位截止日期',
  pause: '暂停事项',
  resume: '恢复事项',
  addResponsible: '增加责任单位',
  removeResponsible: '移除责任单位',
  setContacts: '修改联系方式',
  addMilestone: '新增事项',
  removeMilestone: '删除事项',
  rotateLink: '停用旧链接',
  resendLink: '重发专用链接',
  voidSubmission: '作废报送',
  requestExtension: '申请延期',
  'review:accepted': '办结',
  'review:returned': '退回',
  'extension:approved': '批准延期',
  'extension:rejected': '不予延期',
  setHolidays: '录入放假安排',
};

/** The action in Chinese, with its id kept for searching (`修改截止日期 setDeadline`). */
export const auditActionLabel = (action: string) => {
  const label = AUDIT_ACTION_LABEL[action] ?? AUDIT_ACTION_LABEL[action.split(' ')[0] ?? ''];
  return label ? `${label} ${action}` : action;
};

/** What the history shows of a value: text as it is, lists joined, anything else short JSON; cut at 60. */
export function showValue(value: unknown): string {
  const text =
    value === undefined || value === null
      ? '—'
      : typeof value === 'string'
        ? value
        : Array.isArray(value) && value.every((v) => typeof v === 'string')
          ? value.join('、')
          : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** The fields a record changed, old → new (an import or an added thing: no field list). */
export function auditChanges(record: AuditRecord): FieldChange[] {
  if (record.target.startsWith('plan:')) return [];
  return fieldChanges(record.before, record.after).filter((c) => c.field !== '(whole)');
}

/** `deadline 2021-05-31 → 2021-06-04；paused — → true`. */
export const describeChanges = (changes: readonly FieldChange[]) =>
  changes.map((c) => `${c.field} ${showValue(c.before)} → ${showValue(c.after)}`).join('；');
