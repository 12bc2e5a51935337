import { exitSchedules } from '../exits/schedules.js';
import { ledgerOf } from '../exits/status.js';
import type { ExitLedger } from '../exits/types.js';
import { occurrencesOf } from '../plan/ladder.js';
import type { CalendarStore, Clock, ScheduleSpec, ScheduleStore, StoredPlan } from '../ports.js';
import { scheduleName } from './names.js';

export interface ReconcileDeps {
  readonly calendar: CalendarStore;
  readonly schedules: ScheduleStore;
  readonly clock: Clock;
  /**
   * The exit ledger's items, whose planned dates make its schedules. Without it reconcile neither creates nor
   * removes the ledger's schedules: it leaves them as they are (dispatch checks each against the items anyway).
   */
  readonly exits?: Pick<ExitLedger, 'listItems'>;
}

/** A stage that an edit moved into the past: it will not be sent, and the admin is told so. */
export interface SkippedStage {
  readonly name: string;
  readonly milestone: string;
  readonly stage: string;
  readonly at: string;
}

export interface ReconcileResult {
  readonly plan: string;
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly unchanged: number;
  /** Had a schedule, now falls before `now`: removed rather than fired late. */
  readonly skippedPast: SkippedStage[];
  /** Requests that changed the schedule store. */
  readonly writes: number;
}

/** Every schedule the calendar implies, past ones included (they decide what to leave alone). */
export function wantedSchedules(plan: StoredPlan): (ScheduleSpec & { instant: number })[] {
  return plan.milestones
    .filter((m) => !m.paused)
    .flatMap((m) =>
      occurrencesOf(plan, m).map((o) => ({
        name: scheduleName(m.id, o.step, o.stage, o.unit, o.round),
        plan: plan.id,
        at: o.wall,
        timezone: plan.timezone,
        instant: o.instant,
        payload: {
          plan: plan.id,
          milestone: m.id,
          stage: o.stage,
          revision: m.revision,
          ...(o.unit === undefined ? {} : { unit: o.unit, unitRevision: m.unitDeadlines?.[o.unit]?.revision ?? 1 }),
        },
      })),
    );
}

const same = (a: ScheduleSpec, b: ScheduleSpec) =>
  a.at === b.at &&
  a.timezone === b.timezone &&
  a.payload.plan === b.payload.plan &&
  a.payload.milestone === b.payload.milestone &&
  a.payload.stage === b.payload.stage &&
  a.payload.revision === b.payload.revision &&
  a.payload.unit === b.payload.unit &&
  a.payload.unitRevision === b.payload.unitRevision &&
  a.payload.occurrence === b.payload.occurrence;

/**
 * The only writer of schedules: make the store hold exactly the calendar's future stages.
 * Running it twice writes nothing. A schedule that still matches the calendar is left alone even
 * if its minute has just passed (it is firing); one an edit moved into the past is deleted and
 * reported in `skippedPast`, never created late.
 */
export async function reconcilePlan(deps: ReconcileDeps, planId: string): Promise<ReconcileResult> {
  const plan = await deps.calendar.loadPlan(planId);
  const now = deps.clock.now();
  const ledger = plan && ledgerOf(plan);
  const exits = ledger && deps.exits ? exitSchedules(plan, ledger, await deps.exits.listItems(planId)) : [];
  const wanted = new Map([...(plan ? wantedSchedules(plan) : []), ...exits].map((w) => [w.name, w]));
  // Without the ledger's items its schedules are neither wanted nor unwanted here: left alone.
  const leftAlone = (s: ScheduleSpec) => ledger !== undefined && !deps.exits && s.payload.milestone === ledger.id;
  const actual = new Map((await deps.schedules.list(planId)).filter((a) => !leftAlone(a)).map((a) => [a.name, a]));
  const result = {
    plan: planId,
    created: [] as string[],
    updated: [] as string[],
    deleted: [] as string[],
    unchanged: 0,
    skippedPast: [] as SkippedStage[],
  };

  for (const [name, have] of actual) {
    const want = wanted.get(name);
    if (want && same(want, have)) {
      result.unchanged += 1;
      continue;
    }
    if (want && want.instant > now) {
      await deps.schedules.update(strip(want));
      result.updated.push(name);
      continue;
    }
    await deps.schedules.delete(planId, name);
    result.deleted.push(name);
    if (want)
      result.skippedPast.push({ name, milestone: want.payload.milestone, stage: want.payload.stage, at: want.at });
  }
  for (const [name, want] of wanted) {
    if (actual.has(name) || want.instant <= now) continue;
    await deps.schedules.create(strip(want));
    result.created.push(name);
  }
  return { ...result, writes: result.created.length + result.updated.length + result.deleted.length };
}

const strip = ({ instant: _instant, ...spec }: ScheduleSpec & { instant: number }): ScheduleSpec => spec;
