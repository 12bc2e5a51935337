import { UnknownReferenceError } from '../errors.js';
import { type ExitItemView, type ExitUnitSummary, exitBoard, exitItemView } from './board.js';
import { type ExitDeps, type LedgerContext, ledgerContext } from './context.js';
import type { ExitItem } from './types.js';

type ReadDeps = Pick<ExitDeps, 'calendar'> & { readonly exits: Pick<ExitDeps['exits'], 'listUnitItems' | 'getItem'> };

/** One unit's ledger as its portal page shows it (its items only: one Query of its prefix). */
export async function unitLedger(
  deps: ReadDeps,
  planId: string,
  unitId: string,
  now: number,
): Promise<LedgerContext & { summary: ExitUnitSummary }> {
  const ctx = await ledgerContext(deps, planId, unitId);
  const items = await deps.exits.listUnitItems(planId, unitId);
  const board = exitBoard(ctx.plan, { ...ctx.milestone, responsible: [unitId] }, items, now);
  return { ...ctx, summary: board.units[0] as ExitUnitSummary };
}

/** One of the unit's items with its view; another unit's code is not found. */
export async function unitExitItem(
  deps: ReadDeps,
  planId: string,
  unitId: string,
  creditCode: string,
  now: number,
): Promise<LedgerContext & { item: ExitItem; view: ExitItemView }> {
  const ctx = await ledgerContext(deps, planId, unitId);
  const item = await deps.exits.getItem(planId, unitId, creditCode);
  if (!item) throw new UnknownReferenceError(`no exit item ${creditCode} in the ledger of ${unitId}`, 'creditCode');
  return { ...ctx, item, view: exitItemView(ctx.plan, ctx.milestone, item, now) };
}
