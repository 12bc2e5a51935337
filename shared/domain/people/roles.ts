import type { Plan } from '../plan/schema.js';

/**
 * What a signed-in person may see of a plan, derived from the plan itself: the office (`admins`) everything,
 * a supervisor (分管领导) the units they supervise, a head (负责人) their unit, a recipient unit (as reviewer)
 * the milestones delivered to it. Nobody else sees anything.
 */
export interface Roles {
  readonly admin: boolean;
  /** Units whose supervisor this person is. */
  readonly supervises: readonly string[];
  /** Units whose head this person is. */
  readonly heads: readonly string[];
  /** Milestones whose recipient unit's address this is: it reviews what they deliver. */
  readonly reviews: readonly string[];
}

const same = (a: string | undefined, b: string) => a !== undefined && a.trim().toLowerCase() === b;

export function rolesOf(plan: Pick<Plan, 'units' | 'milestones' | 'admins'>, email: string): Roles {
  const address = email.trim().toLowerCase();
  const recipientUnits = new Set(plan.units.filter((u) => same(u.email, address)).map((u) => u.id));
  return {
    admin: (plan.admins ?? []).some((a) => same(a.email, address)),
    supervises: plan.units.filter((u) => same(u.supervisor.email, address)).map((u) => u.id),
    heads: plan.units.filter((u) => same(u.head.email, address)).map((u) => u.id),
    reviews: plan.milestones.filter((m) => recipientUnits.has(m.recipient)).map((m) => m.id),
  };
}

/** Whether the person has any part in the plan (a sign-in link is sent only then). */
export const hasAnyRole = (r: Roles) =>
  r.admin || r.supervises.length > 0 || r.heads.length > 0 || r.reviews.length > 0;

/** Whether the person may see the row of `unit` for `milestone` on the board. */
export function maySee(r: Roles, milestone: string, unit: string): boolean {
  return r.admin || r.supervises.includes(unit) || r.heads.includes(unit) || r.reviews.includes(milestone);
}

/** The roles in Chinese, for the page header: 督办办公室, 分管领导（3个单位）… */
export function describeRoles(r: Roles): string {
  const parts: string[] = [];
  if (r.admin) parts.push('督办办公室');
  if (r.supervises.length > 0) parts.push(`分管领导（${r.supervises.length}个单位）`);
  if (r.heads.length > 0) parts.push('单位负责人');
  if (r.reviews.length > 0) parts.push(`接收单位（${r.reviews.length}个事项）`);
  return parts.join('、');
}
