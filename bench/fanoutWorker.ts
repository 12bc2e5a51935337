import { createInterface } from 'node:readline';
import { type AwsEndpoints, makeSesClient, makeSqsClient } from '../shared/adapters/aws/clients.js';
import { SesMailer } from '../shared/adapters/aws/ses/sesMailer.js';
import { decodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import { SqsWorkQueue } from '../shared/adapters/aws/sqs/sqsWorkQueue.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import { WORKER_BATCH_SIZE } from '../shared/domain/dispatch/noticeWork.js';
import { silentLog } from '../shared/domain/log.js';
import type { Clock } from '../shared/domain/ports.js';
import { sleep } from '../shared/domain/retry.js';
import { makeWorkerHandler } from '../shared/handlers/dispatchWorkerHandler.js';
import { parseFaultSpec } from '../sim/faults/faultSpec.js';
import { FaultInjector, InvocationCrashedError } from '../sim/faults/faults.js';

/** What one worker process of the fan-out bench is given (as JSON, its one argument). */
export interface WorkerProcessConfig {
  readonly endpoints: Required<Pick<AwsEndpoints, 'dynamodbEndpoint' | 'sesEndpoint' | 'sqsEndpoint'>> & {
    readonly region: string;
  };
  readonly table: string;
  readonly queueUrl: string;
  /** This worker's share of the SES rate (its `MAX_SEND_RATE`). */
  readonly workerRate: number;
  readonly leaseMs: number;
  /** The stage's fire time, and the wall time the run started at: the clock runs on from there. */
  readonly occurrenceInstant: number;
  readonly startedAt: number;
  /** Its first batch dies as SES accepts the 3rd message (sim/faults, crash-after). */
  readonly crash: boolean;
}

/** One line a worker process prints per invocation (JSON), and once when it stops. */
export type WorkerReport =
  | { readonly ready: true }
  | {
      readonly done: readonly string[];
      readonly redelivered: number;
      readonly batchMs: number;
      readonly crashed?: true;
    }
  | { readonly exit: true };

/**
 * A worker as Lambda runs it behind the SQS event source, in a process of its own (a Lambda instance is
 * one): its own SDK clients and mailer at its share of the rate, batches of 10 polled while the last is
 * handled, deletes of what it finished, and nothing deleted when an invocation dies. Runs until `stopped`.
 */
export async function runWorker(
  config: WorkerProcessConfig,
  report: (line: WorkerReport) => void,
  stopped: () => boolean,
): Promise<void> {
  const clock: Clock = { now: () => config.occurrenceInstant + (Date.now() - config.startedAt) };
  const stores = makeStores(config.endpoints, config.table);
  const ses = makeSesClient(config.endpoints);
  const sqs = makeSqsClient(config.endpoints);
  const queue = new SqsWorkQueue({ client: sqs, queueUrl: config.queueUrl });
  const mailer = new SesMailer({ client: ses, sender: 'duban@office.bench.example', maxSendRate: config.workerRate });
  const deps = { ...stores, mailer, decode: decodeNotice, clock, log: silentLog, leaseMs: config.leaseMs };
  const injector = config.crash ? new FaultInjector(parseFaultSpec('crash-after=3'), 1) : undefined;
  let first = true;
  const deletes: Promise<void>[] = [];
  try {
    let next = queue.receive(WORKER_BATCH_SIZE);
    while (!stopped()) {
      const messages = await next;
      next = queue.receive(WORKER_BATCH_SIZE);
      if (messages.length === 0) {
        await sleep(20);
        continue;
      }
      const faults = first && injector ? injector.invocation('worker#1', true) : undefined;
      first = false;
      const handler = faults ? crashingHandler(config, clock, faults) : makeWorkerHandler(deps);
      const t = performance.now();
      try {
        const { batchItemFailures } = await handler({
          Records: messages.map((m) => ({ messageId: m.messageId, body: m.body })),
        });
        const again = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        const finished = messages.filter((m) => !again.has(m.messageId));
        deletes.push(queue.ack(finished.map((m) => m.receipt)));
        report({ done: finished.map((m) => m.messageId), redelivered: again.size, batchMs: performance.now() - t });
      } catch (error) {
        if (!(error instanceof InvocationCrashedError)) throw error;
        // A function error: the whole batch comes back after the visibility timeout.
        report({ done: [], redelivered: messages.length, batchMs: performance.now() - t, crashed: true });
      }
    }
    await Promise.allSettled([next, ...deletes]);
  } finally {
    stores.ddb.destroy();
    ses.destroy();
    sqs.destroy();
  }
}

/**
 * A worker invocation whose process dies as SES accepts its N-th message: its own SDK clients (a Lambda
 * process of its own) carrying the fault middleware, destroyed with it.
 */
function crashingHandler(
  config: WorkerProcessConfig,
  clock: Clock,
  faults: ReturnType<FaultInjector['invocation']>,
): ReturnType<typeof makeWorkerHandler> {
  return async (event) => {
    const stores = makeStores(config.endpoints, config.table);
    const client = makeSesClient(config.endpoints);
    faults.attach(stores.ddb, 'dynamodb');
    faults.attach(client, 'ses');
    const mailer = new SesMailer({ client, sender: 'duban@office.bench.example', maxSendRate: config.workerRate });
    const deps = { ...stores, mailer, decode: decodeNotice, clock, log: silentLog, leaseMs: config.leaseMs };
    try {
      const response = await makeWorkerHandler(deps)(event);
      if (faults.crashed) throw new InvocationCrashedError(faults.label);
      return response;
    } catch (error) {
      if (faults.crashed && !(error instanceof InvocationCrashedError)) throw new InvocationCrashedError(faults.label);
      throw error;
    } finally {
      faults.end();
      stores.ddb.destroy();
      client.destroy();
    }
  };
}

// Child-process entry: the config as argv[2]; stops when its stdin closes; one JSON line per report.
const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessConfig;
  let stop = false;
  createInterface({ input: process.stdin }).on('close', () => {
    stop = true;
  });
  const print = (line: WorkerReport) => process.stdout.write(`${JSON.stringify(line)}\n`);
  print({ ready: true });
  await runWorker(config, print, () => stop);
  print({ exit: true });
  process.exit(0);
}
