/** One field an edit changed: `deadline`, `head.email`; `(whole)` when the thing was added or removed. */
export interface FieldChange {
  readonly field: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields that differ between two versions of a milestone or unit, nested objects (contacts) field by
 * field, lists and values whole. An added or removed thing is one change of `(whole)`.
 */
export function fieldChanges(before: unknown, after: unknown, prefix = ''): FieldChange[] {
  if (prefix === '' && (before === undefined || after === undefined)) {
    return before === after ? [] : [{ field: '(whole)', before, after }];
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], prefix === '' ? key : `${prefix}.${key}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: prefix, before, after }];
}
