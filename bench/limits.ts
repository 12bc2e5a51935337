import { makeDynamoClients } from '../shared/adapters/aws/clients.js';
import { ensureTable } from '../shared/adapters/aws/dynamo/table.js';
import { encodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import type { EmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { buildBoard } from '../shared/domain/board/board.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { dispatchStage } from '../shared/domain/dispatch/dispatch.js';
import type { NoticeWork } from '../shared/domain/dispatch/noticeWork.js';
import { silentLog } from '../shared/domain/log.js';
import { parsePlanText } from '../shared/domain/plan/validate.js';
import { reconcilePlan } from '../shared/domain/schedule/reconcile.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import { countRequests } from '../sim/requestCounter.js';
import { BENCH_MILESTONE, BENCH_PORTAL, firstReminder, halfDelivered, syntheticPlan } from './syntheticPlan.js';

export interface LimitsBenchResult {
  readonly units: number;
  readonly planFileBytes: number;
  /** Reading and validating the file's text (parsePlanText). */
  readonly validateMs: number;
  readonly importMs: number;
  readonly importRequests: number;
  /** One plan load (what dispatch, reconcile and the board each start with): its Query pages. */
  readonly loadPlanMs: number;
  readonly loadPlanPages: number;
  /** Dispatch of the reminder to every unit: plan, render, encode for SQS (the sends are the workers'). */
  readonly dispatchMs: number;
  readonly dispatchRequests: number;
  readonly noticesQueued: number;
  readonly largestMessageBytes: number;
  /** A second reconcile of the imported plan: its requests (a plan load) and schedule writes (none). */
  readonly reconcileRequests: number;
  readonly reconcileWrites: number;
  /** The 红/黄/绿 board after the reminder went out to half the units (half submitted). */
  readonly boardMs: number;
  readonly boardRequests: number;
  readonly boardRows: number;
}

/**
 * A plan at the limit (MAX_UNITS) on dynalite: validated from its file text, imported in pages, loaded,
 * its reminder planned for every unit, reconciled again, and its board built, with the DynamoDB requests
 * of each counted: what a national campaign costs the calendar, dispatch, reconcile and the board.
 */
export async function runLimitsBench(stack: EmbeddedStack, units: number): Promise<LimitsBenchResult> {
  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint };
  const table = `bench-limits-${units}`;
  // The synthetic plan adds its receiving office: `units` in all.
  const responsible = units - 1;
  const { ddb: admin } = makeDynamoClients(endpoints);
  await ensureTable(admin, table);
  admin.destroy();
  const stores = makeStores(endpoints, table);
  const counter = countRequests(stores.ddb);
  try {
    const text = JSON.stringify(syntheticPlan(responsible, `bench-limits-${units}`));
    const time = async <T>(run: () => Promise<T> | T) => {
      counter.reset();
      const started = performance.now();
      const value = await run();
      return { value, ms: Math.round(performance.now() - started), requests: counter.total() };
    };

    const validated = await time(() => parsePlanText(text));
    const plan = validated.value;
    const reminder = firstReminder(plan);
    const schedules = new LocalScheduleStore();
    const clock = new VirtualClock(reminder.instant - 7 * 86_400_000);
    const imported = await time(() => importPlan({ calendar: stores.calendar, schedules, clock }, plan, 'bench'));
    const loaded = await time(() => stores.calendar.loadPlan(plan.id));

    await halfDelivered(stores.submissions, plan, reminder);
    let queued = 0;
    let largest = 0;
    const countingQueue = {
      async enqueue(notices: readonly NoticeWork[]) {
        for (const n of notices) largest = Math.max(largest, Buffer.byteLength(encodeNotice(n)));
        queued += notices.length;
      },
    };
    const dispatched = await time(() =>
      dispatchStage(
        {
          ...stores,
          queue: countingQueue,
          clock: new VirtualClock(reminder.instant),
          log: silentLog,
          portal: BENCH_PORTAL,
        },
        { plan: plan.id, milestone: BENCH_MILESTONE, stage: 'reminder', revision: 1 },
      ),
    );
    const reconciled = await time(() => reconcilePlan({ calendar: stores.calendar, schedules, clock }, plan.id));
    const stored = loaded.value;
    if (!stored) throw new Error('the plan did not import');
    const board = await time(() => buildBoard(stored, stores, reminder.instant));
    return {
      units,
      planFileBytes: Buffer.byteLength(text),
      validateMs: validated.ms,
      importMs: imported.ms,
      importRequests: imported.requests,
      loadPlanMs: loaded.ms,
      loadPlanPages: loaded.requests,
      dispatchMs: dispatched.ms,
      dispatchRequests: dispatched.requests,
      noticesQueued: queued,
      largestMessageBytes: largest,
      reconcileRequests: reconciled.requests,
      reconcileWrites: reconciled.value.writes,
      boardMs: board.ms,
      boardRequests: board.requests,
      boardRows: board.value.length,
    };
  } finally {
    counter.detach();
    stores.ddb.destroy();
  }
}
