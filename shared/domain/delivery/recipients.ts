import type { Plan } from '../plan/schema.js';
import type { NoticeKey, RecipientRole } from '../ports.js';

/** Whose address an address is: a unit's own, its head's or supervisor's, or the coordinating group's. */
export type AddressRole = 'unit' | 'head' | 'supervisor' | 'coordinator';

/** The coordinating group is no unit: its recipient id is `*#coordinator` (`*#unit`: an address no longer in the plan). */
const COORDINATOR = '*';

export const ADDRESS_ROLE_LABEL: Record<AddressRole, string> = {
  unit: '责任单位',
  head: '主要负责人',
  supervisor: '分管领导',
  coordinator: '协调小组',
};

/** `unit#role`: one recipient of a notice, as the ledger records a failed one. */
export const recipientId = (unit: string, role: AddressRole) => `${unit}#${role}`;

export function parseRecipientId(id: string): { unit: string; role: AddressRole } {
  const at = id.lastIndexOf('#');
  const role = id.slice(at + 1) as AddressRole;
  return { unit: id.slice(0, at), role: role in ADDRESS_ROLE_LABEL ? role : 'unit' };
}

/** Whether a recipient id names a unit of the plan (not the coordinating group). */
export const isUnitRecipient = (id: string) => parseRecipientId(id).unit !== COORDINATOR;

/**
 * Who `address` is among the units a notice concerns (several units may share a supervisor). When the
 * plan no longer knows the address (the contacts were changed since), a notice to one unit still names
 * that unit and the role it was addressed to.
 */
export function recipientsOf(
  plan: Pick<Plan, 'units' | 'ladder'>,
  notice: Pick<NoticeKey, 'unit' | 'role'> & { readonly units: readonly string[] },
  address: string,
): string[] {
  const same = (a: string) => a.toLowerCase() === address.toLowerCase();
  const ids: string[] = [];
  for (const unit of plan.units) {
    // A circular goes to every unit of its stage and its 抄送, not only the late ones it names.
    if (notice.role !== 'all' && !notice.units.includes(unit.id)) continue;
    if (same(unit.email)) ids.push(recipientId(unit.id, 'unit'));
    if (same(unit.head.email)) ids.push(recipientId(unit.id, 'head'));
    if (same(unit.supervisor.email)) ids.push(recipientId(unit.id, 'supervisor'));
  }
  if (same(plan.ladder.coordinator.email)) ids.push(recipientId(COORDINATOR, 'coordinator'));
  if (ids.length > 0) return ids;
  // A circular names many units: an address it no longer knows cannot be pinned on one of them.
  return [recipientId(notice.unit === '*' ? COORDINATOR : notice.unit, fallbackRole(notice.role))];
}

const fallbackRole = (role: RecipientRole): AddressRole => (role === 'all' || role === 'partner' ? 'unit' : role);
