import { readFileSync, statSync } from 'node:fs';
import type { Plan } from '../shared/plan/schema.js';
import { MAX_PLAN_BYTES, PlanValidationError, parsePlanText } from '../shared/plan/validate.js';

/** Thrown for what a user typed wrong: printed as one clear message, exit code 1, no stack trace. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Reads a JSON file a user named, refusing huge files before reading them. */
export function readUserFile(file: string, maxBytes = MAX_PLAN_BYTES): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new UsageError(`${file}: cannot read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  if (size > maxBytes) {
    throw new PlanValidationError([{ path: '(file)', message: `is ${size} bytes, more than the ${maxBytes} allowed` }]);
  }
  return readFileSync(file, 'utf8');
}

export function loadPlanFile(file: string): Plan {
  return parsePlanText(readUserFile(file));
}
