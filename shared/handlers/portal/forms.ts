import type { FieldError } from '../../web/components.js';
import type { SubmitValues } from '../../web/pages/submitPages.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LINE_BREAK = /[\r\n]/;
const PHONE = /^[0-9+\-() ]{5,30}$/;

const text = (body: Record<string, unknown>, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
};

/**
 * The 报送 form, checked field by field with messages in Chinese beside each field. Values come back as
 * typed (trimmed), so a refused form loses nothing.
 */
export function parseSubmitForm(body: Record<string, unknown>): { values: SubmitValues; errors: FieldError[] } {
  const values: SubmitValues = {
    ref: text(body, 'ref'),
    contact: text(body, 'contact'),
    phone: text(body, 'phone'),
    note: text(body, 'note').replace(/\r\n?/g, '\n'),
  };
  const errors: FieldError[] = [];
  const oneLine = (field: keyof SubmitValues, label: string, max: number, required: boolean) => {
    const v = values[field] ?? '';
    if (v === '') {
      if (required) errors.push({ field, message: `请填写${label}` });
    } else if (v.length > max) errors.push({ field, message: `${label}不能超过${max}个字` });
    else if (LINE_BREAK.test(v) || CONTROL.test(v))
      errors.push({ field, message: `${label}只能填写一行文字，不能含控制字符` });
  };
  oneLine('ref', '文号', 100, true);
  oneLine('contact', '联系人', 40, false);
  if (values.phone && !PHONE.test(values.phone)) {
    errors.push({ field: 'phone', message: '请填写有效的联系电话，如 0750-3500000' });
  }
  const note = values.note ?? '';
  if (note.length > 2000) errors.push({ field: 'note', message: '说明不能超过2000个字' });
  else if (CONTROL.test(note)) errors.push({ field: 'note', message: '说明不能含控制字符' });
  return { values, errors };
}
