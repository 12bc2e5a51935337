import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { makeDynamoClients, makeSqsClient } from '../shared/adapters/aws/clients.js';
import { ensureTable } from '../shared/adapters/aws/dynamo/table.js';
import { SqsWorkQueue } from '../shared/adapters/aws/sqs/sqsWorkQueue.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { dispatchStage } from '../shared/domain/dispatch/dispatch.js';
import { silentLog } from '../shared/domain/log.js';
import { occurrencesOf } from '../shared/domain/plan/ladder.js';
import type { StageKind } from '../shared/domain/plan/schema.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import type { WorkerProcessConfig, WorkerReport } from './fanoutWorker.js';
import { type Child, type RemoteSes, startRemoteSes, startStandIn } from './remoteSes.js';
import { round } from './round.js';
import { BENCH_MILESTONE, BENCH_PORTAL, syntheticPlan } from './syntheticPlan.js';
import { peakInWindow } from './throttlingSes.js';

export interface FanOutBenchOptions {
  /** Responsible units of the synthetic plan: a reminder owes one notice each, the 催办 two. */
  readonly units: number;
  readonly stage: Extract<StageKind, 'reminder' | 'overdue'>;
  /** The SES stand-in's account rate (it throttles above it in any sliding second). */
  readonly rate: number;
  /** Worker instances, each with its own clients and pacer at `rate / workers` (reserved concurrency). */
  readonly workers: number;
  /**
   * Kill one worker as SES accepts the 3rd message of its first batch: its batch comes back after the
   * visibility timeout, and the claim the crash left re-taken after the lease.
   */
  readonly crash?: boolean;
  readonly progress: (message: string) => void;
}

export interface FanOutBenchResult {
  readonly units: number;
  readonly stage: string;
  readonly notices: number;
  readonly rate: number;
  readonly workers: number;
  readonly workerRate: number;
  /** Dispatch: load the plan and submissions, render and enqueue every notice (the workers start meanwhile). */
  readonly dispatchMs: number;
  /** Notices per second from dispatch's start to the last notice recorded. */
  readonly achievedRate: number;
  readonly ratio: number;
  /** Requests the stand-in refused with SES's Throttling error (each retried by the mailer). */
  readonly throttled: number;
  /** Emails SES accepted beyond the notices: a notice sent twice. */
  readonly duplicates: number;
  readonly peakPerSecond: number;
  readonly invocations: number;
  /** The longest worker invocation (one batch of up to WORKER_BATCH_SIZE notices). */
  readonly maxBatchMs: number;
  readonly crashes: number;
  readonly redelivered: number;
  readonly wallMs: number;
}

/**
 * Short, so a crashed batch comes back within the run, and still longer than a batch (with the next one
 * polled meanwhile) takes on a busy machine; the lease shorter still, as on AWS (18 minutes vs 2).
 */
const VISIBILITY_S = 10;
const LEASE_MS = 2_000;

/**
 * The fan-out as deployed, in one process: a synthetic plan of `units` imported into dynalite, its stage
 * dispatched through the SQS adapter to a queue on fauxqs (SQS's protocol, through the real SDK), and
 * `workers` worker instances polling it as Lambda's event source does — each its own SDK clients and
 * mailer, one send in flight, sending to the throttling SES stand-in (its own processes) and recording
 * in the ledger. Measured from dispatch's start to the last notice recorded.
 */
export async function runFanOutBench(options: FanOutBenchOptions): Promise<FanOutBenchResult> {
  // Every stand-in in a process of its own, as the services are: this process holds only the senders.
  const [dynamo, sqsServer, ses] = await Promise.all([
    startStandIn('dynamodb'),
    startStandIn('sqs'),
    startRemoteSes(options.rate, { emulator: false }),
  ]);
  try {
    return await fanOutOn({ dynamo, sqsServer, ses }, options);
  } finally {
    await Promise.all([dynamo.close(), sqsServer.close(), ses.close()]);
  }
}

async function fanOutOn(
  standIns: { dynamo: Child; sqsServer: Child; ses: RemoteSes },
  options: FanOutBenchOptions,
): Promise<FanOutBenchResult> {
  const { progress } = options;
  const { ses } = standIns;
  const region = 'us-east-1';
  const endpoints = { region, dynamodbEndpoint: standIns.dynamo.endpoint };
  const table = 'bench-fanout';
  const { ddb: admin } = makeDynamoClients(endpoints);
  await ensureTable(admin, table);
  admin.destroy();

  const plan = syntheticPlan(options.units, `bench-fanout-${options.units}`);
  const milestone = plan.milestones[0];
  const occurrence = milestone && occurrencesOf(plan, milestone).find((o) => o.stage === options.stage);
  if (!occurrence) throw new Error(`the synthetic plan has no ${options.stage}`);
  const stores = makeStores(endpoints, table);
  progress(`fanout: importing a plan of ${options.units} units`);
  await importPlan(
    {
      calendar: stores.calendar,
      schedules: new LocalScheduleStore(),
      clock: new VirtualClock(occurrence.instant - 86_400_000),
    },
    plan,
    'bench',
  );

  const sqs = makeSqsClient({ region, sqsEndpoint: standIns.sqsServer.endpoint });
  try {
    const queueUrl = await createQueue(sqs, `fanout-${Date.now()}`);
    const queue = new SqsWorkQueue({ client: sqs, queueUrl });
    // Real time, from the stage's fire time on: leases and visibility run out as they would.
    const startedAt = Date.now();
    const clock = { now: () => occurrence.instant + (Date.now() - startedAt) };
    const workerRate = Math.floor((options.rate / options.workers) * 1000) / 1000;
    // Messages done (deleted), by id: SQS delivers at least once, so a message may be handled twice.
    const done = new Set<string>();
    let expected = Number.POSITIVE_INFINITY;
    const batches: number[] = [];
    let crashes = 0;
    let redelivered = 0;
    let finish: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const onReport = (line: WorkerReport) => {
      if (!('done' in line)) return;
      for (const id of line.done) done.add(id);
      batches.push(line.batchMs);
      redelivered += line.redelivered;
      if (line.crashed) crashes += 1;
      if (done.size >= expected) finish();
    };

    progress(`fanout: starting ${options.workers} worker processes`);
    const workers = await Promise.all(
      Array.from({ length: options.workers }, (_, index) =>
        startWorkerProcess(
          {
            endpoints: { ...endpoints, sesEndpoint: ses.endpoint, sqsEndpoint: standIns.sqsServer.endpoint },
            table,
            queueUrl,
            workerRate,
            leaseMs: LEASE_MS,
            occurrenceInstant: occurrence.instant,
            startedAt,
            crash: Boolean(options.crash) && index === 0,
          },
          onReport,
        ),
      ),
    );
    let dispatchMs = 0;
    let wallMs = 0;
    try {
      progress(
        `fanout: dispatching the ${options.stage} of ${options.units} units to ${options.workers} workers at ${options.rate}/s`,
      );
      const started = performance.now();
      const outcome = await dispatchStage(
        { ...stores, queue, clock, log: silentLog, portal: BENCH_PORTAL },
        { plan: plan.id, milestone: BENCH_MILESTONE, stage: options.stage, revision: 1 },
      );
      if (outcome.status !== 'done') throw new Error(`dispatch skipped the stage: ${outcome.reason}`);
      dispatchMs = performance.now() - started;
      expected = outcome.queued;
      if (done.size >= expected) finish();
      await Promise.race([allDone, ...workers.map((w) => w.failed)]);
      wallMs = performance.now() - started;
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const { accepted, throttled, arrivals } = await ses.stats();
    const achievedRate = expected / (wallMs / 1000);
    return {
      units: options.units,
      stage: options.stage,
      notices: expected,
      rate: options.rate,
      workers: options.workers,
      workerRate,
      dispatchMs: Math.round(dispatchMs),
      achievedRate: round(achievedRate, 1),
      ratio: round(achievedRate / options.rate, 3),
      throttled,
      duplicates: accepted - expected,
      peakPerSecond: peakInWindow(arrivals),
      invocations: batches.length,
      maxBatchMs: Math.round(Math.max(...batches)),
      crashes,
      redelivered,
      wallMs: Math.round(wallMs),
    };
  } finally {
    stores.ddb.destroy();
    sqs.destroy();
  }
}

async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const out = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_S),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: 5 }),
      },
    }),
  );
  return out.QueueUrl ?? '';
}

const workerEntry = fileURLToPath(new URL('./fanoutWorker.ts', import.meta.url));

/**
 * A worker in a process of its own (fanoutWorker.ts): resolves once it is ready; `failed` rejects if it
 * dies; `stop` closes its stdin and waits for it to finish its batch and exit.
 */
function startWorkerProcess(
  config: WorkerProcessConfig,
  onReport: (line: WorkerReport) => void,
): Promise<{ failed: Promise<never>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), workerEntry, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failed = exited.then((code) => {
    if (!stopping) throw new Error(`a worker process exited (${code}) before the run ended:\n${stderr}`);
    return new Promise<never>(() => undefined);
  });
  return new Promise((resolve, reject) => {
    failed.catch(reject);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
      const line = JSON.parse(text) as WorkerReport;
      if ('ready' in line) {
        resolve({
          failed,
          async stop() {
            stopping = true;
            child.stdin?.end();
            const timer = setTimeout(() => child.kill(), 15_000);
            await exited;
            clearTimeout(timer);
          },
        });
      } else onReport(line);
    });
  });
}
