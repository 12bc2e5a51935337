import { DomainError, PlanNotFoundError, UnknownReferenceError } from '../errors.js';
import { calendarOf, interviewFor } from '../plan/ladder.js';
import type { Plan, Unit } from '../plan/schema.js';
import type { CalendarStore, Clock, StoredMilestone, StoredPlan } from '../ports.js';
import { HolidayCoverageError } from '../time/workdays.js';
import { exitLadder } from './ladder.js';
import { formatRowProblem, type RowProblem } from './rows.js';
import { type LedgerMilestone, ledgerOf } from './status.js';
import type { ExitLedger } from './types.js';

/** What changing the ledger needs: the plan, the items, the audit trail and the time. */
export interface ExitDeps {
  readonly calendar: Pick<CalendarStore, 'loadPlan' | 'appendAudit'>;
  readonly exits: ExitLedger;
  readonly clock: Clock;
}

/** A unit's ledger, as one change sees it. */
export interface LedgerContext {
  readonly plan: StoredPlan;
  readonly milestone: StoredMilestone & LedgerMilestone;
  readonly unit: Unit;
}

/** The plan, its ledger and the unit, which must be one of the ledger's responsible units. */
export async function ledgerContext(
  deps: Pick<ExitDeps, 'calendar'>,
  planId: string,
  unitId: string,
): Promise<LedgerContext> {
  const plan = await deps.calendar.loadPlan(planId);
  if (!plan) throw new PlanNotFoundError(planId);
  const milestone = ledgerOf(plan);
  if (!milestone)
    throw new UnknownReferenceError(`plan "${planId}" keeps no exit ledger (no milestone has "ledger")`, 'plan');
  const unit = plan.units.find((u) => u.id === unitId);
  if (!unit || !milestone.responsible.includes(unitId)) {
    const known = milestone.responsible.join(', ');
    throw new UnknownReferenceError(`unit "${unitId}" keeps no exit ledger in "${planId}" (units: ${known})`, 'unit');
  }
  return { plan, milestone, unit };
}

/** A ledger file (or form) refused, every problem named as the spreadsheet shows its row. */
export class ExitImportError extends DomainError {
  constructor(readonly problems: readonly RowProblem[]) {
    super(problems.map(formatRowProblem).join('\n'), '(file)');
  }
}

/**
 * Whether a planned date can be chased: its whole ladder (and the 约谈 after it) must fall in years whose holidays
 * are known. A problem in Chinese otherwise, naming the year to add.
 */
export function plannedDateProblem(
  plan: Pick<Plan, 'timezone' | 'ladder' | 'holidays'>,
  milestone: LedgerMilestone,
  date: string,
): string | undefined {
  try {
    const calendar = calendarOf(plan);
    const ladder = exitLadder(plan, milestone.id, [date], calendar);
    const summons = ladder.find((o) => o.stage === 'summons');
    if (summons) interviewFor(plan, milestone, summons.wall.slice(0, 10));
    return undefined;
  } catch (error) {
    if (!(error instanceof HolidayCoverageError)) throw error;
    return `计划完成日期 ${date} 的督办环节将落在${error.date.slice(0, 4)}年，系统尚无该年节假日安排，暂不能登记；请联系督办办公室补充后再试`;
  }
}
