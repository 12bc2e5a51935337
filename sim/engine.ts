import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import { type AwsEndpoints, makeSesClient } from '../shared/adapters/aws/clients.js';
import { SesMailer } from '../shared/adapters/aws/ses/sesMailer.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import { type EmbeddedStack, fetchMailbox, startEmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { HmacSigner } from '../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import {
  type DeadLetter,
  type Firing,
  type FiringHandler,
  LocalScheduleRunner,
} from '../shared/adapters/local/scheduleRunner.js';
import { buildBoard } from '../shared/domain/board/board.js';
import { applyEdit, asPlan } from '../shared/domain/calendar/applyEdit.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import type { MacSigner } from '../shared/domain/links/ports.js';
import type { PortalLinks } from '../shared/domain/links/unitLink.js';
import type { Log } from '../shared/domain/log.js';
import { silentLog } from '../shared/domain/log.js';
import { planSchedule } from '../shared/domain/plan/ladder.js';
import type { Plan } from '../shared/domain/plan/schema.js';
import { byStageOrder } from '../shared/domain/plan/stages.js';
import { type Clock, FAILED_DELIVERIES, type NoticeRecord } from '../shared/domain/ports.js';
import { sleep } from '../shared/domain/retry.js';
import { submitDeliverable } from '../shared/domain/submissions/submit.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import { instantOf } from '../shared/domain/time/wallClock.js';
import { makeDeliveryEventsHandler } from '../shared/handlers/deliveryEventsHandler.js';
import { makeDispatchHandler } from '../shared/handlers/dispatchHandler.js';
import { type DeliveryCounts, DeliverySimulator, type SimulatedSuppressionList } from './faults/deliveries.js';
import type { FaultSpec } from './faults/faultSpec.js';
import { type FaultCounts, FaultInjector, InvocationCrashedError, scaleSdkRetryWaits } from './faults/faults.js';
import type { SimulatedNotice, SimulationResult } from './result.js';
import type { Scenario, ScenarioEvent } from './scenario.js';

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
  /**
   * Multiplies the real-time waits between retries inside a dispatch invocation (the SES mailer's
   * backoff and the DynamoDB client's). The clock is virtual, so they only cost wall time: attempts,
   * error classification and the virtual times of events do not change. @default 1
   */
  readonly retryWaitScale?: number;
  /** Sends in flight at once in each dispatch invocation (`DispatchDeps.concurrency`). @default 1 */
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
  readonly firings: readonly Firing[];
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
  const log = options.log ?? silentLog;

  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint, sesEndpoint: stack.sesEndpoint };
  // The operator's side (import, scenario events, read-back): never faulted, it is the yardstick.
  const stores = makeStores(endpoints, stack.tableName);
  const schedules = new LocalScheduleStore();
  const calendarDeps = { calendar: stores.calendar, schedules, clock };
  const sender = `duban@${plan.id}.example`;
  // SES after it accepted a message: its events go through the events function's own handler.
  const officeSes = makeSesClient(endpoints);
  const deliveries = new DeliverySimulator(
    { bounce: options.faults?.bounce ?? 0, complaint: options.faults?.complaint ?? 0 },
    options.seed ?? 1,
    makeDeliveryEventsHandler({
      calendar: stores.calendar,
      ledger: stores.ledger,
      mailer: new SesMailer({ client: officeSes, sender, maxSendRate: options.maxSendRate ?? 500 }),
      log,
    }),
  );
  const env: ProcessEnv = {
    endpoints,
    tableName: stack.tableName,
    sender,
    clock,
    log,
    options,
    portal: {
      baseUrl: options.portalUrl ?? DEFAULT_PORTAL_URL,
      signer: options.linkSigner ?? HmacSigner.ephemeral('simulate'),
    },
    suppression: deliveries.suppression,
  };
  const injector = options.faults ? new FaultInjector(options.faults, options.seed ?? 1) : undefined;
  // Without faults one long-lived "process" serves every invocation, as a warm Lambda would.
  const shared = injector ? undefined : startProcess(env);
  const runner = new LocalScheduleRunner({
    store: schedules,
    target: injector ? faultyDispatch(env, injector) : (shared as DispatchProcess).handler,
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
      const fired = runner.firings.slice(before);
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
    return {
      result: { notices, board },
      finalPlan: asPlan(finalPlan),
      deadLetters: runner.deadLetters,
      firings: runner.firings,
      scenarioErrors,
      notes,
      unsent: records.filter((r) => r.state !== 'sent'),
      deliveryFailures: records.filter((r) => r.delivery !== undefined && FAILED_DELIVERIES.includes(r.delivery)),
      deliveries: { ...deliveries.counts },
      officeMessages: emails.filter(isOfficeMessage).length - officeBefore,
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
    officeSes.destroy();
    shared?.destroy();
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

/** One dispatch Lambda process: its SDK clients, the handler over them, and its end. */
interface DispatchProcess {
  readonly handler: ReturnType<typeof makeDispatchHandler>;
  destroy(): void;
}

/** `instrument` sees the fresh clients before their first request (the fault middleware goes there). */
function startProcess(env: ProcessEnv, instrument?: (ddb: DynamoDBClient, ses: SESClient) => void): DispatchProcess {
  const { maxSendRate, retryWaitScale: scale = 1, concurrency } = env.options;
  const stores = makeStores(env.endpoints, env.tableName);
  const ses = makeSesClient(env.endpoints);
  if (scale !== 1) scaleSdkRetryWaits(stores.ddb, scale);
  instrument?.(stores.ddb, ses);
  const scaled = scale !== 1 ? { sleep: (ms: number) => sleep(ms * scale) } : {};
  const mailer = new SesMailer({
    client: ses,
    sender: env.sender,
    maxSendRate: maxSendRate ?? 500,
    ...(scale !== 1 ? { retry: scaled } : {}),
  });
  const deps = {
    ...stores,
    mailer,
    suppression: env.suppression,
    clock: env.clock,
    log: env.log,
    portal: env.portal,
    ...scaled,
  };
  return {
    handler: makeDispatchHandler(concurrency === undefined ? deps : { ...deps, concurrency }),
    destroy() {
      stores.ddb.destroy();
      ses.destroy();
    },
  };
}

/**
 * The dispatch target as Lambda runs it under faults: each invocation is its own process, with its own
 * SDK clients carrying the fault middleware, destroyed when it ends. `crash-after` applies to the first
 * attempt of a firing (each of its deliveries): the retries are what must finish the job, and a crash
 * on every attempt would be a poison message, which no retry policy finishes (it belongs in the DLQ).
 */
function faultyDispatch(env: ProcessEnv, injector: FaultInjector): FiringHandler {
  return async (payload, context) => {
    const label = `${context.schedule}#${context.attempt}.${context.delivery}`;
    const faults = injector.invocation(label, context.attempt === 1);
    const lambda = startProcess(env, (ddb, ses) => {
      faults.attach(ddb, 'dynamodb');
      faults.attach(ses, 'ses');
    });
    try {
      const outcome = await lambda.handler(payload);
      if (faults.crashed) throw new InvocationCrashedError(label);
      return outcome;
    } catch (error) {
      // A dead process reports nothing of its own: the runner sees the crash, whatever the handler threw.
      if (faults.crashed && !(error instanceof InvocationCrashedError))
        throw new InvocationCrashedError(label, { cause: error });
      throw error;
    } finally {
      faults.end();
      lambda.destroy();
    }
  };
}

/** The instant of a wall-clock time in the plan's zone (scenario helpers and tests). */
export const at = (plan: Pick<Plan, 'timezone'>, wall: string) => instantOf(wall, plan.timezone);
