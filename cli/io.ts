import { readFileSync, statSync } from 'node:fs';
import type { Plan } from '../shared/domain/plan/schema.js';
import {
  MAX_PLAN_BYTES,
  PlanValidationError,
  parsePlanText,
  type ValidationContext,
} from '../shared/domain/plan/validate.js';
import { RefusedError } from './errors.js';

/** Reads a UTF-8 text file a user named, refusing huge files before reading them and any other encoding. */
export function readUserFile(file: string, maxBytes = MAX_PLAN_BYTES): string {
  const bytes = readUserBytes(file, maxBytes);
  try {
    // A byte-order mark is what some Windows editors write first; it is not part of the JSON.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (cause) {
    throw new PlanValidationError(
      [{ path: '(file)', message: 'is not UTF-8 text (save it as UTF-8; GBK and UTF-16 are not read)' }],
      { cause },
    );
  }
}

/** The bytes of a file a user named, refusing what is not a file or is larger than `maxBytes`, before reading it. */
export function readUserBytes(file: string, maxBytes = MAX_PLAN_BYTES): Buffer {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new RefusedError(`${file}: is not a file`);
    if (stat.size > maxBytes) {
      throw new PlanValidationError([
        { path: '(file)', message: `is ${stat.size} bytes, more than the ${maxBytes} allowed` },
      ]);
    }
    return readFileSync(file);
  } catch (cause) {
    if (cause instanceof RefusedError || cause instanceof PlanValidationError) throw cause;
    throw new RefusedError(`${file}: cannot read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
}

export function loadPlanFile(file: string, context: ValidationContext = {}): Plan {
  return parsePlanText(readUserFile(file), context);
}
