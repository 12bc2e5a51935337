import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import { type AwsEndpoints, makeSesClient } from '../shared/adapters/aws/clients.js';
import { SesMailer } from '../shared/adapters/aws/ses/sesMailer.js';
import { decodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import { type EmbeddedStack, fetchMailbox, startEmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { HmacSigner } from '../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { LocalWorkQueue } from '../shared/adapters/local/localWorkQueue.js';
import {
  type DeadLetter,
  type Firing,
  type FiringHandler,
  LocalScheduleRunner,
} from '../shared/adapters/local/scheduleRunner.js';
import { LocalWorkerPool, type WorkerInvocation, type WorkerTarget } from '../shared/adapters/local/workerPool.js';
import { buildBoard } from '../shared/domain/board/board.js';
import { applyEdit, asPlan } from '../shared/domain/calendar/applyEdit.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { type ExitBoard, exitBoard } from '../shared/domain/exits/board.js';
import { ledgerOf } from '../shared/domain/exits/status.js';
import type { MacSigner } from '../shared/domain/links/ports.js';
import type { PortalLinks } from '../shared/domain/links/unitLink.js';
import type { Log } from '../shared/domain/log.js';
import { silentLog } from '../shared/domain/log.js';
import { planSchedule } from '../shared/domain/plan/ladder.js';
import type { Plan } from '../shared/domain/plan/schema.js';
import { byStageOrder } from '../shared/domain/plan/stages.js';
import { type Clock, FAILED_DELIVERIES, type NoticeRecord } from '../shared/domain/ports.js';
import { sleep } from '../shared/domain/retry.js';
import { reconcilePlan } from '../shared/domain/schedule/reconcile.js';
import { submitDeliverable } from '../shared/domain/submissions/submit.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import { instantOf } from '../shared/domain/time/wallClock.js';
import { makeDeliveryEventsHandler } from '../shared/handlers/deliveryEventsHandler.js';
import { makeDispatchHandler } from '../shared/handlers/dispatchHandler.js';
import { makeWorkerHandler } from '../shared/handlers/dispatchWorkerHandler.js';
import { applyExitEvent } from './exitEvents.js';
import { type DeliveryCounts, DeliverySimulator, type SimulatedSuppressionList } from './faults/deliveries.js';
import type { FaultSpec } from './faults/faultSpec.js';
import { type FaultCounts, FaultInjector, InvocationCrashedError, scaleSdkRetryWaits } from './faults/faults.js';
import { applyResponse } from './responses.js';
import { type DeadNotice, deadNoticesOf, type SimulatedNotice, type SimulationResult } from './result.js';
import type { Scenario, ScenarioEvent } from './scenario.js';

export interface SimulationOptions {
  readonly plan: Plan;
  readonly scenario?: Scenario;
  /** Include `text` and `html` of every notice (read back from the local SES). */
  readonly bodies?: boolean;
  /** SES send rate for the run, shared by the workers; the local SES has no quota. @default 500 */
  readonly maxSendRate?: number;
  /** Worker invocations at once (the worker function's reserved concurrency). @default 2 */
  readonly workers?: number;
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
  /**
   * Multiplies the real-time waits between retries inside a dispatch invocation (the SES mailer's
   * backoff and the DynamoDB client's). The clock is virtual, so they only cost wall time: attempts,
   * error classification and the virtual times of events do not change. @default 1
   */
  readonly retryWaitScale?: number;
  /** Sends in flight at once in each worker invocation (`SendDeps.concurrency`). @default 1 */
  readonly concurrency?: number;
  /** The portal the notices' personal links point to (`--portal-url`). @default the local portal */
  readonly portalUrl?: string;
  /** The key that signs the links. @default a key made for this run */
  readonly linkSigner?: MacSigner;
  /** The runner's waits before each retry of a failed invocation (virtual time). */
  readonly retryDelaysMs?: readonly number[];
}

/** What a fault run did, besides its notices (kept out of the `{notices, board}` contract). */
export interface FaultReport {
  readonly spec: FaultSpec;
  readonly seed: number;
  readonly counts: FaultCounts;
  /** Notice emails the SES stand-in received during the run (the office's messages not counted). */
  readonly emailsReceived: number;
  /** Emails beyond the ledger's sent notices: notices that went out more than once. */
  readonly duplicates: number;
}

export interface SimulationRun {
  readonly result: SimulationResult;
  /** The calendar as it stood at the end (scenario edits applied). */
  readonly finalPlan: Plan;
  readonly deadLetters: readonly DeadLetter[];
  /** Notices the work queue gave up on after its receives (its dead-letter queue). */
  readonly deadNotices: readonly DeadNotice[];
  readonly firings: readonly Firing[];
  /** Every worker invocation: the batches of notices the queue delivered, and what came back. */
  readonly workerInvocations: readonly WorkerInvocation[];
  readonly scenarioErrors: readonly { at: number; event: string; error: string }[];
  /**
   * What scenario events did besides their edit that an operator must hear of: stages an edit moved
   * into the past, which reconcile deleted instead of sending late. Kept out of `{notices, board}`.
   */
  readonly notes: readonly SimulationNote[];
  /** Ledger entries left claimed or failed at the end: notices owed but not (known to be) sent. */
  readonly unsent: readonly NoticeRecord[];
  /** Notices sent (or closed) whose delivery failed: bounced, complained or suppressed, with whose address. */
  readonly deliveryFailures: readonly NoticeRecord[];
  /** What SES's (simulated) events said of the notices it accepted. */
  readonly deliveries: DeliveryCounts;
  /** Messages the office (coordinating group) got about failed deliveries. */
  readonly officeMessages: number;
  readonly startedAt: number;
  readonly endedAt: number;
  /** Present when the run injected faults. */
  readonly faults?: FaultReport;
  /** The exit ledger at the end of the run, per unit (when the plan keeps one). */
  readonly exits?: ExitBoard;
}

export interface SimulationNote {
  /** The scenario event's time (epoch ms). */
  readonly at: number;
  readonly message: string;
}

const ACTOR = 'simulate';
/** Where `npm run local` serves the portal. */
export const DEFAULT_PORTAL_URL = 'http://127.0.0.1:8010';

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
  /** One key for the run: the links dispatch puts in notices and the ones in replies verify alike. */
  const linkSigner = HmacSigner.ephemeral('simulate');
  const log = options.log ?? silentLog;

  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint, sesEndpoint: stack.sesEndpoint };
  // The operator's side (import, scenario events, read-back): never faulted, it is the yardstick.
  const stores = makeStores(endpoints, stack.tableName);
  const schedules = new LocalScheduleStore();
  // The exit ledger's items too: its schedules follow the items' planned dates.
  const calendarDeps = { calendar: stores.calendar, schedules, clock, exits: stores.exits };
  const sender = `duban@${plan.id}.example`;
  // The operator's side sends too, never faulted: replies to reviews and extension requests, and (through the
  // events function's own handler, as SES's events arrive) the office's messages about failed deliveries.
  const operatorSes = makeSesClient(endpoints);
  const operatorMailer = new SesMailer({ client: operatorSes, sender, maxSendRate: 500 });
  const deliveries = new DeliverySimulator(
    { bounce: options.faults?.bounce ?? 0, complaint: options.faults?.complaint ?? 0 },
    options.seed ?? 1,
    makeDeliveryEventsHandler({ calendar: stores.calendar, ledger: stores.ledger, mailer: operatorMailer, log }),
  );
  // Its answers to units are screened against the suppression list like every notice.
  const operator = {
    ...stores,
    mailer: operatorMailer,
    suppression: deliveries.suppression,
    clock,
    log,
    portal: { baseUrl: options.portalUrl ?? DEFAULT_PORTAL_URL, signer: options.linkSigner ?? linkSigner },
  };
  const env: ProcessEnv = {
    endpoints,
    tableName: stack.tableName,
    sender,
    clock,
    log,
    options,
    portal: {
      baseUrl: options.portalUrl ?? DEFAULT_PORTAL_URL,
      signer: options.linkSigner ?? linkSigner,
    },
    suppression: deliveries.suppression,
  };
  const injector = options.faults ? new FaultInjector(options.faults, options.seed ?? 1) : undefined;
  // The fan-out, as on AWS: dispatch enqueues a stage's notices, worker invocations send them.
  const queue = new LocalWorkQueue({ clock });
  // Without faults one long-lived "process" of each function serves every invocation, as a warm Lambda would.
  const dispatcher = injector ? undefined : startDispatchProcess(env, queue);
  const workers = options.workers ?? 2;
  const workerProcess = injector ? undefined : startWorkerProcess(env, workers);
  const pool = new LocalWorkerPool({
    queue,
    clock,
    workers,
    target: injector
      ? faultyWorker(env, workers, injector)
      : (records) => (workerProcess as WorkerProcess).handler({ Records: records }),
  });
  const runner = new LocalScheduleRunner({
    store: schedules,
    target: injector ? faultyDispatch(env, queue, injector) : (dispatcher as DispatchProcess).handler,
    clock,
    deliveries: options.deliveries ?? options.faults?.duplicateDelivery ?? 1,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });
  const milestoneIds = new Set(plan.milestones.map((m) => m.id));
  const scenarioErrors: SimulationRun['scenarioErrors'][number][] = [];
  const notes: SimulationNote[] = [];

  try {
    const mailboxBefore = await fetchMailbox(stack);
    const emailsBefore = mailboxBefore.length;
    const officeBefore = mailboxBefore.filter(isOfficeMessage).length;
    await importPlan(calendarDeps, plan, ACTOR);
    let nextEvent = 0;
    for (;;) {
      const nextFire = earliest(runner.nextDue(), pool.nextDue());
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
      await pool.runDue();
      const fired = runner.firings.slice(before);
      // The total grows when an edit adds schedules (a unit's own date): what fired, plus what is still to fire.
      const expected = runner.firings.filter((f) => f.attempt === 1).length + schedules.all().length;
      for (const firing of fired) options.onFiring?.(firing, expected);
      // SES's events for what these firings sent, before the next firing (a bounce suppresses the address).
      await deliveries.settle(stores.ledger, plan.id, new Set(fired.map((f) => f.payload.milestone)));
    }
    await deliveries.settle(stores.ledger, plan.id, milestoneIds);

    const finalPlan = await stores.calendar.loadPlan(plan.id);
    if (!finalPlan) throw new Error(`plan ${plan.id} vanished during the simulation`);
    const records: NoticeRecord[] = [];
    for (const id of milestoneIds) records.push(...(await stores.ledger.listForMilestone(plan.id, id)));
    const emails = await fetchMailbox(stack);
    const mailbox = options.bodies ? new Map(emails.map((e) => [e.messageId, e])) : undefined;
    const notices: SimulatedNotice[] = records
      .filter((r) => r.state === 'sent')
      .sort(
        (a, b) =>
          a.fireAt.localeCompare(b.fireAt) ||
          a.milestone.localeCompare(b.milestone) ||
          byStageOrder(a.stage, b.stage) ||
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
          ...(r.delivery ? { delivery: r.delivery } : {}),
          ...(mailbox ? { text: mail?.body.text ?? '', html: mail?.body.html ?? '' } : {}),
        };
      });
    const board = await buildBoard(finalPlan, stores);
    const ledger = ledgerOf(finalPlan);
    const exits = ledger && exitBoard(finalPlan, ledger, await stores.exits.listItems(plan.id), clock.now());
    return {
      result: { notices, board },
      finalPlan: asPlan(finalPlan),
      deadLetters: runner.deadLetters,
      deadNotices: deadNoticesOf(await queue.deadLetters()),
      firings: runner.firings,
      workerInvocations: pool.invocations,
      scenarioErrors,
      notes,
      unsent: records.filter((r) => r.state !== 'sent'),
      deliveryFailures: records.filter((r) => r.delivery !== undefined && FAILED_DELIVERIES.includes(r.delivery)),
      deliveries: { ...deliveries.counts },
      officeMessages: emails.filter(isOfficeMessage).length - officeBefore,
      ...(exits ? { exits } : {}),
      startedAt,
      endedAt: clock.now(),
      // The mailbox delta assumes no one else sends through this stack's SES during the run.
      ...(injector
        ? {
            faults: faultReport(
              injector,
              emails.filter((e) => !isOfficeMessage(e)).length - (emailsBefore - officeBefore),
              notices.filter((n) => n.messageId !== '').length,
            ),
          }
        : {}),
    };
  } finally {
    stores.ddb.destroy();
    operatorSes.destroy();
    dispatcher?.destroy();
    workerProcess?.destroy();
  }

  async function applyEvent(event: ScenarioEvent): Promise<void> {
    if (event.kind === 'submit') {
      await submitDeliverable(
        { calendar: stores.calendar, submissions: stores.submissions, clock },
        { plan: plan.id, ...event.submit, at: new Date(event.at).toISOString() },
        { by: ACTOR },
      );
      return;
    }
    if (event.kind === 'importExits' || event.kind === 'exitStep' || event.kind === 'exitResisted') {
      await applyExitEvent(calendarDeps, plan.id, event);
      // The district's new planned dates make schedules at once here (on AWS: the daily reconcile, or the CLI's import).
      if (event.kind === 'importExits') await reconcilePlan(calendarDeps, plan.id);
      return;
    }
    if (event.kind !== 'edit') {
      const note = await applyResponse({ ...operator, ...calendarDeps }, plan.id, event);
      if (note) notes.push({ at: event.at, message: note });
      return;
    }
    if (event.edit.type === 'addMilestone') milestoneIds.add(event.edit.milestone.id);
    const { reconcile } = await applyEdit(calendarDeps, plan.id, event.edit, ACTOR);
    for (const s of reconcile.skippedPast) {
      notes.push({
        at: event.at,
        message: `skipped: ${s.milestone} ${s.stage} at ${s.at.replace('T', ' ').slice(0, 16)} is now in the past and will not be sent`,
      });
    }
  }
}

function faultReport(injector: FaultInjector, emailsReceived: number, sent: number): FaultReport {
  const { spec, seed, counts } = injector;
  return { spec, seed, counts: { ...counts }, emailsReceived, duplicates: emailsReceived - sent };
}

/** The office's message about a failed delivery (officeNotice.ts), as opposed to a notice. */
const isOfficeMessage = (email: { subject: string }) => email.subject.startsWith('【投递失败】');

interface ProcessEnv {
  readonly suppression: SimulatedSuppressionList;
  readonly endpoints: AwsEndpoints;
  readonly portal: PortalLinks;
  readonly tableName: string;
  readonly sender: string;
  readonly clock: Clock;
  readonly log: Log;
  readonly options: Pick<SimulationOptions, 'maxSendRate' | 'retryWaitScale' | 'concurrency'>;
}

const earliest = (...times: (number | undefined)[]) => {
  const defined = times.filter((t): t is number => t !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
};

/** One dispatch Lambda process: its SDK clients, the handler over them, and its end. */
interface DispatchProcess {
  readonly handler: ReturnType<typeof makeDispatchHandler>;
  destroy(): void;
}

/** `instrument` sees the fresh client before its first request (the fault middleware goes there). */
function startDispatchProcess(
  env: ProcessEnv,
  queue: LocalWorkQueue,
  instrument?: (ddb: DynamoDBClient) => void,
): DispatchProcess {
  const scale = env.options.retryWaitScale ?? 1;
  const stores = makeStores(env.endpoints, env.tableName);
  if (scale !== 1) scaleSdkRetryWaits(stores.ddb, scale);
  instrument?.(stores.ddb);
  return {
    handler: makeDispatchHandler({ ...stores, queue, clock: env.clock, log: env.log, portal: env.portal }),
    destroy() {
      stores.ddb.destroy();
    },
  };
}

/** One worker Lambda process: its SDK clients, its mailer paced to its share of the rate, the handler. */
interface WorkerProcess {
  readonly handler: ReturnType<typeof makeWorkerHandler>;
  destroy(): void;
}

function startWorkerProcess(
  env: ProcessEnv,
  workers: number,
  instrument?: (ddb: DynamoDBClient, ses: SESClient) => void,
): WorkerProcess {
  const { maxSendRate, retryWaitScale: scale = 1, concurrency } = env.options;
  const stores = makeStores(env.endpoints, env.tableName);
  const ses = makeSesClient(env.endpoints);
  if (scale !== 1) scaleSdkRetryWaits(stores.ddb, scale);
  instrument?.(stores.ddb, ses);
  const scaled = scale !== 1 ? { sleep: (ms: number) => sleep(ms * scale) } : {};
  const mailer = new SesMailer({
    client: ses,
    sender: env.sender,
    // Each worker paces to its share, as the deployed workers do (infra: perInstanceSendRate).
    maxSendRate: (maxSendRate ?? 500) / workers,
    ...(scale !== 1 ? { retry: scaled } : {}),
  });
  const deps = {
    ...stores,
    mailer,
    suppression: env.suppression,
    decode: decodeNotice,
    clock: env.clock,
    log: env.log,
    ...scaled,
  };
  return {
    handler: makeWorkerHandler(concurrency === undefined ? deps : { ...deps, concurrency }),
    destroy() {
      stores.ddb.destroy();
      ses.destroy();
    },
  };
}

/**
 * The dispatch target as Lambda runs it under faults: each invocation is its own process, with its own
 * SDK client carrying the fault middleware (DynamoDB: dispatch sends no mail), destroyed when it ends.
 */
function faultyDispatch(env: ProcessEnv, queue: LocalWorkQueue, injector: FaultInjector): FiringHandler {
  return async (payload, context) => {
    const faults = injector.invocation(`${context.schedule}#${context.attempt}.${context.delivery}`, false);
    const lambda = startDispatchProcess(env, queue, (ddb) => faults.attach(ddb, 'dynamodb'));
    try {
      return await lambda.handler(payload);
    } finally {
      faults.end();
      lambda.destroy();
    }
  };
}

/**
 * A worker invocation as Lambda runs it under faults: its own process and clients with the fault
 * middleware. `crash-after` applies to a batch on its first delivery: the redelivery after the
 * visibility timeout is what must finish the job (a crash on every delivery would be a poison message,
 * which belongs in the dead-letter queue). A crash fails the whole invocation, so every message of the
 * batch comes back, as Lambda does with a function error.
 */
function faultyWorker(env: ProcessEnv, workers: number, injector: FaultInjector): WorkerTarget {
  return async (records, context) => {
    const faults = injector.invocation(context.label, context.firstDelivery);
    const lambda = startWorkerProcess(env, workers, (ddb, ses) => {
      faults.attach(ddb, 'dynamodb');
      faults.attach(ses, 'ses');
    });
    try {
      const response = await lambda.handler({ Records: records });
      if (faults.crashed) throw new InvocationCrashedError(context.label);
      return response;
    } catch (error) {
      // A dead process reports nothing of its own: the event source sees the crash, whatever the handler threw.
      if (faults.crashed && !(error instanceof InvocationCrashedError))
        throw new InvocationCrashedError(context.label, { cause: error });
      throw error;
    } finally {
      faults.end();
      lambda.destroy();
    }
  };
}

/** The instant of a wall-clock time in the plan's zone (scenario helpers and tests). */
export const at = (plan: Pick<Plan, 'timezone'>, wall: string) => instantOf(wall, plan.timezone);
