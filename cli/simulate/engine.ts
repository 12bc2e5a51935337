import type { AwsEndpoints } from '../../shared/adapters/aws/clients.js';
import { makeSesClient } from '../../shared/adapters/aws/clients.js';
import type { FaultSpec } from '../../shared/adapters/aws/faultSpec.js';
import { type FaultCounts, FaultInjector, InvocationCrashedError } from '../../shared/adapters/aws/faults.js';
import { SesMailer } from '../../shared/adapters/ses/sesMailer.js';
import { makeStores } from '../../shared/adapters/wiring.js';
import { buildBoard } from '../../shared/board/board.js';
import { applyEdit } from '../../shared/calendar/applyEdit.js';
import { importPlan } from '../../shared/calendar/importPlan.js';
import { makeDispatchHandler } from '../../shared/handlers/dispatchHandler.js';
import { LocalScheduleStore } from '../../shared/local/memoryScheduleStore.js';
import {
  type DeadLetter,
  type Firing,
  LocalScheduleRunner,
  type ScheduleTarget,
} from '../../shared/local/scheduleRunner.js';
import { VirtualClock } from '../../shared/local/virtualClock.js';
import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import { planSchedule } from '../../shared/plan/ladder.js';
import type { Plan, StageKind } from '../../shared/plan/schema.js';
import type { Clock, NoticeRecord } from '../../shared/ports.js';
import type { RetryOptions } from '../../shared/retry.js';
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
  /**
   * Faults injected under the SDK clients of every dispatch invocation (`--faults`). Each invocation
   * then gets fresh clients, like a Lambda process, so a simulated crash kills only its own.
   * `duplicateDelivery` sets `deliveries` unless that is given.
   */
  readonly faults?: FaultSpec;
  /** Seed of the fault draws (`--seed`). @default 1 */
  readonly seed?: number;
  /** The SES mailer's backoff between retries, waited in real time (tests shorten it). */
  readonly sesRetry?: Partial<Pick<RetryOptions, 'attempts' | 'baseMs' | 'maxMs'>>;
  /** The runner's waits before each retry of a failed invocation (virtual time). */
  readonly retryDelaysMs?: readonly number[];
}

/** What a fault run did, besides its notices (kept out of the `{notices, board}` contract). */
export interface FaultReport {
  readonly spec: FaultSpec;
  readonly seed: number;
  readonly counts: FaultCounts;
  /** Emails the SES stand-in received during the run. */
  readonly emailsReceived: number;
  /** Emails beyond the ledger's sent notices: notices that went out more than once. */
  readonly duplicates: number;
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
  /** Present when the run injected faults. */
  readonly faults?: FaultReport;
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
  const mailing = new MailerFactory(endpoints, options, `duban@${plan.id}.example`);
  const { mailer, ses } = mailing.make();
  const schedules = new LocalScheduleStore();
  const calendarDeps = { calendar: stores.calendar, schedules, clock };
  const injector = options.faults ? new FaultInjector(options.faults, options.seed ?? 1) : undefined;
  const runner = new LocalScheduleRunner({
    store: schedules,
    target: injector
      ? faultyDispatch({ injector, endpoints, tableName: stack.tableName, mailing, clock, log })
      : makeDispatchHandler({ ...stores, mailer, clock, log }),
    clock,
    deliveries: options.deliveries ?? options.faults?.duplicateDelivery ?? 1,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });
  const milestoneIds = new Set(plan.milestones.map((m) => m.id));
  const scenarioErrors: SimulationRun['scenarioErrors'][number][] = [];

  try {
    const emailsBefore = injector ? (await fetchMailbox(stack)).length : 0;
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
    const emails = options.bodies || injector ? await fetchMailbox(stack) : [];
    const mailbox = options.bodies ? new Map(emails.map((e) => [e.messageId, e])) : undefined;
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
      ...(injector
        ? {
            faults: {
              spec: injector.spec,
              seed: injector.seed,
              counts: { ...injector.counts },
              // Assumes the stack's SES is this run's alone (a shared one may receive others' mail meanwhile).
              emailsReceived: emails.length - emailsBefore,
              duplicates: emails.length - emailsBefore - notices.length,
            },
          }
        : {}),
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

/** SES mailers as the run wants them: the stack's endpoint, the run's rate and retry backoff. */
class MailerFactory {
  constructor(
    private readonly endpoints: AwsEndpoints,
    private readonly options: Pick<SimulationOptions, 'maxSendRate' | 'sesRetry'>,
    private readonly sender: string,
  ) {}

  make() {
    const ses = makeSesClient(this.endpoints);
    const mailer = new SesMailer({
      client: ses,
      sender: this.sender,
      maxSendRate: this.options.maxSendRate ?? 500,
      ...(this.options.sesRetry ? { retry: this.options.sesRetry } : {}),
    });
    return { ses, mailer };
  }
}

interface FaultyDispatchDeps {
  readonly injector: FaultInjector;
  readonly endpoints: AwsEndpoints;
  readonly tableName: string;
  readonly mailing: MailerFactory;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * The dispatch target as Lambda runs it under faults: each invocation is its own process, with its own
 * SDK clients carrying the fault middleware, destroyed when it ends. `crash-after` applies to the first
 * attempt of a firing (each of its deliveries): the retries are what must finish the job, and a crash
 * on every attempt would be a poison message, which no retry policy finishes (it belongs in the DLQ).
 */
function faultyDispatch(deps: FaultyDispatchDeps): ScheduleTarget {
  return async (payload, context) => {
    const label = `${context.schedule}#${context.attempt}.${context.delivery}`;
    const faults = deps.injector.invocation(label, context.attempt === 1);
    const stores = makeStores(deps.endpoints, deps.tableName);
    const { mailer, ses } = deps.mailing.make();
    faults.attach(stores.ddb, 'dynamodb');
    faults.attach(ses, 'ses');
    try {
      const outcome = await makeDispatchHandler({ ...stores, mailer, clock: deps.clock, log: deps.log })(payload);
      if (faults.crashed) throw new InvocationCrashedError(label);
      return outcome;
    } catch (error) {
      // A dead process reports nothing of its own: the runner sees the crash, whatever the handler threw.
      if (faults.crashed && !(error instanceof InvocationCrashedError)) throw new InvocationCrashedError(label);
      throw error;
    } finally {
      faults.end();
      stores.ddb.destroy();
      ses.destroy();
    }
  };
}

/** The instant of a wall-clock time in the plan's zone (scenario helpers and tests). */
export const at = (plan: Pick<Plan, 'timezone'>, wall: string) => instantOf(wall, plan.timezone);
