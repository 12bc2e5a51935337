import { makeMailer, makeStores } from '../../shared/adapters/wiring.js';
import { buildBoard } from '../../shared/board/board.js';
import { applyEdit } from '../../shared/calendar/applyEdit.js';
import { importPlan } from '../../shared/calendar/importPlan.js';
import { makeDispatchHandler } from '../../shared/handlers/dispatchHandler.js';
import { LocalScheduleStore } from '../../shared/local/memoryScheduleStore.js';
import { type DeadLetter, type Firing, LocalScheduleRunner } from '../../shared/local/scheduleRunner.js';
import { VirtualClock } from '../../shared/local/virtualClock.js';
import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import { planSchedule } from '../../shared/plan/ladder.js';
import type { Plan, StageKind } from '../../shared/plan/schema.js';
import type { NoticeRecord } from '../../shared/ports.js';
import type { SimulatedNotice, SimulationResult } from '../../shared/simulation/result.js';
import type { Scenario, ScenarioEvent } from '../../shared/simulation/scenario.js';
import { submitDeliverable } from '../../shared/submissions/submit.js';
import { instantOf } from '../../shared/time/wallClock.js';
import { type EmbeddedStack, fetchMailbox, startEmbeddedStack } from '../local/embeddedStack.js';

export interface SimulationOptions {
  readonly plan: Plan;
  readonly scenario?: Scenario;
  /** Include `text` and `html` of every notice (read back from the local SES). */
  readonly bodies?: boolean;
  /** SES send rate for the run; the local SES has no quota. @default 500 */
  readonly maxSendRate?: number;
  /** Each firing is delivered this many times at once (at-least-once delivery). @default 1 */
  readonly deliveries?: number;
  /** Called as the virtual clock reaches each firing, for progress output. */
  readonly onFiring?: (firing: Firing, total: number) => void;
  readonly log?: Log;
  /** An already running stack to use (left running); otherwise one is started and stopped. */
  readonly stack?: EmbeddedStack;
}

export interface SimulationRun {
  readonly result: SimulationResult;
  /** The calendar as it stood at the end (scenario edits applied). */
  readonly finalPlan: Plan;
  readonly deadLetters: readonly DeadLetter[];
  readonly firings: readonly Firing[];
  readonly scenarioErrors: readonly { at: number; event: string; error: string }[];
  readonly startedAt: number;
  readonly endedAt: number;
}

const STAGE_ORDER: Record<StageKind, number> = { reminder: 0, due: 1, overdue: 2, circular: 3, summons: 4 };
const ACTOR = 'simulate';

/**
 * Runs a plan's year on a virtual clock against the embedded stack: imports the plan, reconciles,
 * then fires schedules in time order and applies scenario events at their times, through the same
 * domain code, adapters and SDK clients as Lambda.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationRun> {
  const stack = options.stack ?? (await startEmbeddedStack());
  try {
    return await simulateOn(stack, options);
  } finally {
    if (!options.stack) await stack.stop();
  }
}

async function simulateOn(stack: EmbeddedStack, options: SimulationOptions): Promise<SimulationRun> {
  const { plan } = options;
  const events = [...(options.scenario?.events ?? [])].sort((a, b) => a.at - b.at);
  const firstFire = planSchedule(plan)[0]?.instant ?? Date.now();
  const startedAt = Math.min(firstFire, events[0]?.at ?? firstFire) - 24 * 3_600_000;
  const clock = new VirtualClock(startedAt);
  const log = options.log ?? silentLog;

  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint, sesEndpoint: stack.sesEndpoint };
  const stores = makeStores(endpoints, stack.tableName);
  const { mailer, ses } = makeMailer(endpoints, {
    sender: `duban@${plan.id}.example`,
    maxSendRate: options.maxSendRate ?? 500,
  });
  const schedules = new LocalScheduleStore();
  const calendarDeps = { calendar: stores.calendar, schedules, clock };
  const dispatch = makeDispatchHandler({ ...stores, mailer, clock, log });
  const runner = new LocalScheduleRunner({
    store: schedules,
    target: dispatch,
    clock,
    deliveries: options.deliveries ?? 1,
  });
  const milestoneIds = new Set(plan.milestones.map((m) => m.id));
  const scenarioErrors: SimulationRun['scenarioErrors'][number][] = [];

  try {
    await importPlan(calendarDeps, plan, ACTOR);
    const expected = schedules.all().length;
    let nextEvent = 0;
    for (;;) {
      const nextFire = runner.nextDue();
      const eventAt = events[nextEvent]?.at;
      if (nextFire === undefined && eventAt === undefined) break;
      clock.advanceTo(Math.min(nextFire ?? Number.POSITIVE_INFINITY, eventAt ?? Number.POSITIVE_INFINITY));
      // Events first: a submission at the very minute of a firing counts (dispatch reads `at <= now`).
      while (events[nextEvent] !== undefined && (events[nextEvent] as ScenarioEvent).at <= clock.now()) {
        const event = events[nextEvent++] as ScenarioEvent;
        try {
          await applyEvent(event);
        } catch (error) {
          scenarioErrors.push({ at: event.at, event: JSON.stringify(event), error: (error as Error).message });
        }
      }
      const before = runner.firings.length;
      await runner.fireDue();
      for (const firing of runner.firings.slice(before)) options.onFiring?.(firing, expected);
    }

    const finalPlan = await stores.calendar.loadPlan(plan.id);
    if (!finalPlan) throw new Error(`plan ${plan.id} vanished during the simulation`);
    const records: NoticeRecord[] = [];
    for (const id of milestoneIds) records.push(...(await stores.ledger.listForMilestone(plan.id, id)));
    const mailbox = options.bodies ? new Map((await fetchMailbox(stack)).map((e) => [e.messageId, e])) : undefined;
    const notices: SimulatedNotice[] = records
      .filter((r) => r.state === 'sent')
      .sort(
        (a, b) =>
          a.fireAt.localeCompare(b.fireAt) ||
          a.milestone.localeCompare(b.milestone) ||
          STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] ||
          a.unit.localeCompare(b.unit) ||
          a.role.localeCompare(b.role),
      )
      .map((r) => {
        const mail = mailbox?.get(r.messageId ?? '');
        return {
          at: r.fireAt,
          milestone: r.milestone,
          stage: r.stage,
          units: [...r.units],
          to: [...r.to],
          cc: [...r.cc],
          subject: r.subject,
          messageId: r.messageId ?? '',
          ...(mailbox ? { text: mail?.body.text ?? '', html: mail?.body.html ?? '' } : {}),
        };
      });
    const board = await buildBoard(finalPlan, stores);
    const { milestones, ...rest } = finalPlan;
    return {
      result: { notices, board },
      finalPlan: { ...rest, milestones: milestones.map(({ revision: _r, ...m }) => m) },
      deadLetters: runner.deadLetters,
      firings: runner.firings,
      scenarioErrors,
      startedAt,
      endedAt: clock.now(),
    };
  } finally {
    stores.ddb.destroy();
    ses.destroy();
  }

  async function applyEvent(event: ScenarioEvent): Promise<void> {
    if (event.kind === 'submit') {
      await submitDeliverable(
        { calendar: stores.calendar, submissions: stores.submissions, clock },
        { plan: plan.id, ...event.submit, at: new Date(event.at).toISOString() },
      );
      return;
    }
    if (event.edit.type === 'addMilestone') milestoneIds.add(event.edit.milestone.id);
    await applyEdit(calendarDeps, plan.id, event.edit, ACTOR);
  }
}

/** The instant of a wall-clock time in the plan's zone (scenario helpers and tests). */
export const at = (plan: Pick<Plan, 'timezone'>, wall: string) => instantOf(wall, plan.timezone);
