import { createHash } from 'node:crypto';
import type { StageKind } from '../plan/schema.js';

const MAX = 64;

/**
 * A schedule's name: `<milestone>.<step>-<stage>`, e.g. `district-plans.4-circular`. It names the ladder
 * step, not the time, so moving a deadline updates schedules in place instead of deleting and creating.
 * A repeat of the step adds its round (`capacity-report.3-overdue-r2`), a unit's own ladder (an extension,
 * a return) the unit. Scheduler allows [0-9a-zA-Z-_.] and 64 characters; a longer name keeps its start
 * and gets a hash.
 */
export function scheduleName(milestone: string, step: number, stage: StageKind, unit?: string, round?: number): string {
  const base = `${milestone}.${step}-${stage}${round === undefined ? '' : `-r${round}`}`;
  return fitName(unit === undefined ? base : `${base}.${unit}`);
}

/** The schedule group of a plan: one group per plan keeps plans apart and lists cheap. */
export function scheduleGroupName(prefix: string, plan: string): string {
  return fitName(`${prefix}${plan}`);
}

export function fitName(raw: string): string {
  const safe = raw.replace(/[^0-9a-zA-Z\-_.]/g, '_');
  if (safe.length <= MAX && safe === raw) return safe;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 10);
  return `${safe.slice(0, MAX - hash.length - 1)}.${hash}`;
}
