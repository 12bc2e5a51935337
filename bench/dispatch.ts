import { makeDynamoClients } from '../shared/adapters/aws/clients.js';
import { ensureTable } from '../shared/adapters/aws/dynamo/table.js';
import { decodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import { makeMailer, makeStores } from '../shared/adapters/aws/wiring.js';
import type { EmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { HmacSigner } from '../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { LocalWorkQueue } from '../shared/adapters/local/localWorkQueue.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { dispatchStage } from '../shared/domain/dispatch/dispatch.js';
import { noticeWorkSchema } from '../shared/domain/dispatch/noticeWork.js';
import { sendNotices } from '../shared/domain/dispatch/sendNotices.js';
import { silentLog } from '../shared/domain/log.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import { countRequests } from '../sim/requestCounter.js';
import { round } from './round.js';
import { BENCH_MILESTONE, firstReminder, halfDelivered, syntheticPlan } from './syntheticPlan.js';

export interface DispatchBenchOptions {
  readonly stack: EmbeddedStack;
  readonly units: number;
  /** Notices in flight at once in the worker (SendDeps.concurrency): SES is not what is measured. */
  readonly concurrency: number;
  /** High enough that SES is not what is measured. */
  readonly maxSendRate: number;
  readonly progress: (message: string) => void;
}

export interface DispatchBenchResult {
  readonly units: number;
  readonly submitted: number;
  readonly notices: number;
  readonly ddbRequests: number;
  readonly ddbReadRequests: number;
  readonly ddbRequestsPerNotice: number;
  readonly ddbByCommand: Record<string, number>;
  readonly wallMs: number;
  readonly concurrency: number;
  readonly maxSendRate: number;
}

/**
 * One reminder to `units` units, half of which have submitted, through the fan-out against dynalite and
 * the local SES with the real clients: dispatch enqueues on the in-process work queue, a worker sends
 * every notice. The DynamoDB requests of both are counted (dispatch's reads, the worker's two writes a notice).
 */
export async function runDispatchBench(options: DispatchBenchOptions): Promise<DispatchBenchResult> {
  const { stack, progress } = options;
  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint, sesEndpoint: stack.sesEndpoint };
  const table = `bench-dispatch-${options.units}`;
  const { ddb: admin } = makeDynamoClients(endpoints);
  await ensureTable(admin, table);
  admin.destroy();

  const stores = makeStores(endpoints, table);
  const { ses, mailer } = makeMailer(endpoints, {
    sender: 'duban@office.bench.example',
    maxSendRate: options.maxSendRate,
  });
  try {
    const plan = syntheticPlan(options.units);
    const reminder = firstReminder(plan);
    progress(`dispatch: importing a plan of ${options.units} units`);
    const before = new VirtualClock(reminder.instant - 7 * 86_400_000);
    await importPlan({ calendar: stores.calendar, schedules: new LocalScheduleStore(), clock: before }, plan, 'bench');

    progress(`dispatch: recording the submissions of half the units`);
    const delivered = await halfDelivered(stores.submissions, plan, reminder);
    const stored = await stores.calendar.loadPlan(plan.id);
    const revision = stored?.milestones.find((m) => m.id === BENCH_MILESTONE)?.revision;
    if (revision === undefined) throw new Error('the benchmark plan did not import');

    progress(`dispatch: sending the reminder to ${options.units - delivered.length} units`);
    const counter = countRequests(stores.ddb);
    const clock = new VirtualClock(reminder.instant);
    const queue = new LocalWorkQueue({ clock });
    const started = performance.now();
    const outcome = await dispatchStage(
      {
        ...stores,
        queue,
        clock,
        log: silentLog,
        portal: { baseUrl: 'http://127.0.0.1:8010', signer: HmacSigner.ephemeral('bench') },
      },
      { plan: plan.id, milestone: BENCH_MILESTONE, stage: 'reminder', revision },
    );
    const messages = await queue.receive(Number.MAX_SAFE_INTEGER);
    const results = await sendNotices(
      { ...stores, mailer, clock, log: silentLog, concurrency: options.concurrency },
      messages.map((m) => noticeWorkSchema.parse(decodeNotice(m.body))),
    );
    const wallMs = performance.now() - started;
    counter.detach();
    const sent = results.filter((r) => r === 'sent').length;
    if (outcome.status !== 'done' || sent !== options.units - delivered.length)
      throw new Error(`the fan-out did not send every reminder: ${JSON.stringify({ status: outcome.status, sent })}`);

    return {
      units: options.units,
      submitted: delivered.length,
      notices: sent,
      ddbRequests: counter.total(),
      ddbReadRequests: counter.reads(),
      ddbRequestsPerNotice: round(counter.total() / sent, 4),
      ddbByCommand: counter.byCommand(),
      wallMs: Math.round(wallMs),
      concurrency: options.concurrency,
      maxSendRate: options.maxSendRate,
    };
  } finally {
    stores.ddb.destroy();
    ses.destroy();
  }
}
