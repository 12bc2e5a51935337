import type { ReceiptAttendee } from '../../domain/ports.js';
import { MAX_ATTENDEES } from '../../domain/submissions/receipt.js';
import type { FieldError } from '../../web/components.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const PHONE = /^[0-9+\-() ]{5,30}$/;

/** The rows of the 回执 form: as typed (trimmed), so a refused form loses nothing. */
export type ReceiptValues = readonly Partial<ReceiptAttendee>[];

/** The form's field for row `i` (0-based): `name1`, `post1`, `phone1`, … */
export const fieldName = (field: keyof ReceiptAttendee, i: number) => `${field}${i + 1}`;

const LABEL: Record<keyof ReceiptAttendee, string> = { name: '姓名', post: '职务', phone: '联系电话' };
const MAX: Record<keyof ReceiptAttendee, number> = { name: 40, post: 60, phone: 30 };

/**
 * The 约谈回执 form: up to MAX_ATTENDEES rows of 姓名, 职务, 联系电话. The first row is required; another row
 * is taken when any of its fields is filled, and then needs all three. Messages in Chinese, beside each field.
 */
export function parseReceiptForm(body: Record<string, unknown>): {
  values: ReceiptValues;
  attendees: ReceiptAttendee[];
  errors: FieldError[];
} {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const values = Array.from({ length: MAX_ATTENDEES }, (_, i) => ({
    name: text(fieldName('name', i)),
    post: text(fieldName('post', i)),
    phone: text(fieldName('phone', i)),
  }));
  const errors: FieldError[] = [];
  const attendees: ReceiptAttendee[] = [];
  values.forEach((row, i) => {
    const used = i === 0 || row.name !== '' || row.post !== '' || row.phone !== '';
    if (!used) return;
    const who = `第${i + 1}位参加人员的`;
    for (const field of ['name', 'post', 'phone'] as const) {
      const v = row[field];
      const id = fieldName(field, i);
      if (v === '') errors.push({ field: id, message: `请填写${who}${LABEL[field]}` });
      else if (v.length > MAX[field])
        errors.push({ field: id, message: `${who}${LABEL[field]}不能超过${MAX[field]}个字` });
      else if (CONTROL.test(v))
        errors.push({ field: id, message: `${who}${LABEL[field]}只能填写一行文字，不能含控制字符` });
      else if (field === 'phone' && !PHONE.test(v))
        errors.push({ field: id, message: `请填写有效的${who}联系电话，如 0750-3500000 或 13800000000` });
    }
    attendees.push(row);
  });
  return { values, attendees, errors };
}
