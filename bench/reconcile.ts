import { readFileSync } from 'node:fs';
import { makeDynamoClients } from '../shared/adapters/aws/clients.js';
import { ensureTable } from '../shared/adapters/aws/dynamo/table.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import type { EmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../shared/domain/calendar/applyEdit.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { setUnitDeadline } from '../shared/domain/calendar/unitDeadline.js';
import { planSchedule } from '../shared/domain/plan/ladder.js';
import type { Plan } from '../shared/domain/plan/schema.js';
import { parsePlanText } from '../shared/domain/plan/validate.js';
import { followSchedules } from '../shared/domain/schedule/follow.js';
import { reconcilePlan } from '../shared/domain/schedule/reconcile.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';

export const SEED_PLAN = new URL('../plans/jiangmen-2021.json', import.meta.url);
export const loadSeedPlan = (): Plan => parsePlanText(readFileSync(SEED_PLAN, 'utf8'));

const EDITED = { milestone: 'district-plans', from: '2021-05-31', to: '2021-06-04' } as const;
/** One district's 延期申请 approved on another milestone: its own date, its own ladder. */
const EXTENDED = { milestone: 'capacity-report', unit: 'fgj', to: '2021-06-25' } as const;

export interface ReconcileBenchResult {
  /** Schedules the import created (its reconcile's first run). */
  readonly creates: number;
  /** Schedule-store writes of a second reconcile with nothing changed. */
  readonly rerunWrites: number;
  /** Writes after moving one deadline, and the schedules that milestone has. */
  readonly editWrites: number;
  readonly editMilestoneStages: number;
  readonly edit: string;
  /** Writes after approving one unit's extension (its own date), and that unit's stages still ahead. */
  readonly extensionWrites: number;
  readonly extensionUnitStages: number;
  /** Schedules of the other units and milestones the extension changed (goal: none). */
  readonly extensionOthersTouched: number;
  readonly extension: string;
  /** Writes the store itself counted over the whole run (a check on the results' own counts). */
  readonly storeWrites: number;
}

/** The seed plan on dynalite with the local schedule store, the clock a day before its first stage. */
export async function runReconcileBench(stack: EmbeddedStack): Promise<ReconcileBenchResult> {
  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint };
  const table = 'bench-reconcile';
  const { ddb: admin } = makeDynamoClients(endpoints);
  await ensureTable(admin, table);
  admin.destroy();
  const stores = makeStores(endpoints, table);
  try {
    const plan = loadSeedPlan();
    const first = planSchedule(plan)[0];
    if (!first) throw new Error('the seed plan schedules nothing');
    const schedules = new LocalScheduleStore();
    const deps = { calendar: stores.calendar, schedules, clock: new VirtualClock(first.instant - 86_400_000) };

    const imported = await importPlan(deps, plan, 'bench');
    const rerun = await reconcilePlan(deps, plan.id);
    const deadline = plan.milestones.find((m) => m.id === EDITED.milestone)?.deadline;
    if (deadline !== EDITED.from) throw new Error(`${EDITED.milestone} is due ${deadline}, not ${EDITED.from}`);
    const edit = await applyEdit(
      deps,
      plan.id,
      { type: 'setDeadline', milestone: EDITED.milestone, deadline: EDITED.to },
      'bench',
    );
    const stages = (await schedules.list(plan.id)).filter((s) => s.payload.milestone === EDITED.milestone).length;

    // What approving an extension does to the schedules: the unit's date, then the plan's reconcile.
    const before = new Map((await schedules.list(plan.id)).map((s) => [s.name, JSON.stringify(s)]));
    await setUnitDeadline(deps, { plan: plan.id, ...EXTENDED }, { deadline: EXTENDED.to, kind: 'extension' }, 'bench');
    const extended = await followSchedules(deps, plan.id);
    const after = await schedules.list(plan.id);
    const own = (name: string) => name.endsWith(`.${EXTENDED.unit}`) && name.startsWith(EXTENDED.milestone);
    const othersTouched =
      after.filter((s) => !own(s.name) && before.get(s.name) !== JSON.stringify(s)).length +
      [...before.keys()].filter((name) => !own(name) && !after.some((s) => s.name === name)).length;
    return {
      creates: imported.reconcile?.created.length ?? 0,
      rerunWrites: rerun.writes,
      editWrites: edit.reconcile.writes,
      editMilestoneStages: stages,
      edit: `${EDITED.milestone} ${EDITED.from} → ${EDITED.to}`,
      extensionWrites: extended?.writes ?? Number.NaN,
      extensionUnitStages: after.filter((s) => own(s.name)).length,
      extensionOthersTouched: othersTouched,
      extension: `${EXTENDED.milestone} ${EXTENDED.unit} → ${EXTENDED.to}`,
      storeWrites: schedules.writes,
    };
  } finally {
    stores.ddb.destroy();
  }
}
