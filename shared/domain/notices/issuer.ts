import type { IssuerRef, IssuerSettings, Milestone, Plan } from '../plan/schema.js';
import type { StageKind } from '../plan/stages.js';
import type { DocNumbering } from './docNumber.js';

/** What a notice needs of the plan to say who issues it. */
export type IssuerPlan = Pick<Plan, 'id' | 'units' | 'ladder' | 'issuers'>;

/**
 * 发文机关 of one notice: the organ(s) in the red header and the signature, the unit whose 文号 series it
 * is numbered in, and whom to call (联系人).
 */
export interface Issuer {
  /** The issuing unit; absent when the coordinating group issues it (no unit, no number). */
  readonly unit?: string;
  /** The unit's name as the plan calls it (市工业和信息化局), for "the issuer itself" in the text. */
  readonly name: string;
  /** 发文机关标志 and 署名: the issuer's organ name first, then each 联合发文 unit's. */
  readonly organs: readonly string[];
  /** The issuer's 文号 template. */
  readonly template?: string;
  readonly contact?: NonNullable<IssuerSettings['contact']>;
}

/**
 * Who issues a stage's notices: the stage's own `issuer`, else for 提醒, 到期提醒 and 催办 the milestone's
 * `issuer` or its recipient (the unit that waits for the document), else `ladder.issuer` for 通报 and 约谈,
 * else the coordinating group.
 */
export function stageIssuer(
  plan: IssuerPlan,
  milestone: Pick<Milestone, 'recipient' | 'issuer'>,
  step: number,
): Issuer {
  const stage = plan.ladder.stages[step];
  const byDefault: IssuerRef | undefined = PRESSING.has(stage?.stage ?? 'reminder')
    ? (milestone.issuer ?? 'recipient')
    : plan.ladder.issuer;
  return resolve(plan, milestone, stage?.issuer ?? byDefault);
}

/** Who answers a unit (办结, 退回, a decision on its 延期申请): the reviewing unit, else the recipient. */
export function replyIssuer(plan: IssuerPlan, milestone: Pick<Milestone, 'recipient'>, reviewer?: string): Issuer {
  return resolve(plan, milestone, reviewer === undefined ? 'recipient' : { unit: reviewer });
}

/** The stages the recipient presses by default: it is the one waiting for the document. */
const PRESSING: ReadonlySet<StageKind> = new Set(['reminder', 'due', 'overdue']);

function resolve(plan: IssuerPlan, milestone: Pick<Milestone, 'recipient'>, ref: IssuerRef | undefined): Issuer {
  const coordinator = plan.ladder.coordinator.name;
  if (ref === undefined) return { name: coordinator, organs: [coordinator] };
  const id = ref === 'recipient' ? milestone.recipient : ref.unit;
  const joint = ref === 'recipient' ? [] : (ref.joint ?? []);
  const unit = plan.units.find((u) => u.id === id);
  if (!unit) return { name: coordinator, organs: [coordinator] };
  const settings = plan.issuers?.[id];
  const organOf = (uid: string) => plan.issuers?.[uid]?.organ ?? plan.units.find((u) => u.id === uid)?.name ?? uid;
  return {
    unit: id,
    name: unit.name,
    organs: [organOf(id), ...joint.map(organOf)],
    ...(settings?.docNumber ? { template: settings.docNumber } : {}),
    ...(settings?.contact ? { contact: settings.contact } : {}),
  };
}

/** The series a notice of `issuer` dated `date` (YYYY-MM-DD) is numbered in; none without a template. */
export function numberingOf(issuer: Issuer, date: string): DocNumbering | undefined {
  if (issuer.unit === undefined || issuer.template === undefined) return undefined;
  return { series: issuer.unit, year: Number(date.slice(0, 4)), template: issuer.template };
}

/**
 * How the issuer refers to itself in its own notice: `我局` for a bureau, `我厅` for a department of the
 * province…, else its name (市政府 says 市政府).
 */
export function selfReference(issuer: Issuer): string {
  const suffix = /(局|厅|委|办)$/.exec(issuer.name)?.[1];
  return suffix ? `我${suffix}` : issuer.name;
}
