import type { ExitDeps } from '../shared/domain/exits/context.js';
import { markResisted, recordExitStep } from '../shared/domain/exits/editItems.js';
import { EXIT_FIELD_LABEL, EXIT_FIELDS } from '../shared/domain/exits/fields.js';
import { importExitRows } from '../shared/domain/exits/importItems.js';
import type { SheetRow } from '../shared/domain/exits/sheets.js';
import type { StepDetail } from '../shared/domain/exits/steps.js';
import type { ExitEvent } from './scenario.js';

/**
 * An exit ledger event of a scenario, made as the district would on its portal page: its items imported as its
 * file would be (the same rows, the same checks), a step recorded, an enterprise reported resisting. The author is
 * the district's link, as on the portal.
 */
export async function applyExitEvent(deps: ExitDeps, planId: string, event: ExitEvent): Promise<void> {
  const by = `link:${event.exit.unit}:v1`;
  switch (event.kind) {
    case 'importExits': {
      const { items, unit } = event.exit;
      // The header row and then one row per item, as a spreadsheet holds them.
      const rows: SheetRow[] = [
        { number: 1, cells: EXIT_FIELDS.map((f) => ({ text: EXIT_FIELD_LABEL[f], kind: 'text' as const })) },
        ...items.map((item, i) => ({
          number: i + 2,
          cells: EXIT_FIELDS.map((f) => ({ text: String(item[f]), kind: 'text' as const })),
        })),
      ];
      await importExitRows(deps, { plan: planId, unit, rows, file: { name: 'scenario', sha256: '-' } }, by);
      return undefined;
    }
    case 'exitStep': {
      const { unit, creditCode, step, date, ...rest } = event.exit;
      const item = await deps.exits.getItem(planId, unit, creditCode);
      const details = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<
        Record<StepDetail, string>
      >;
      await recordExitStep(
        deps,
        { plan: planId, unit, creditCode, step, date, details, version: item?.version ?? 0 },
        by,
      );
      return;
    }
    case 'exitResisted': {
      const { unit, creditCode, note } = event.exit;
      const item = await deps.exits.getItem(planId, unit, creditCode);
      await markResisted(deps, { plan: planId, unit, creditCode, note, version: item?.version ?? 0 }, by);
      return;
    }
  }
}
