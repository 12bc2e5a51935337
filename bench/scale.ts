import pLimit from 'p-limit';
import { makeSesClient } from '../shared/adapters/aws/clients.js';
import { SesMailer } from '../shared/adapters/aws/ses/sesMailer.js';
import { MAX_PLAN_BYTES } from '../shared/domain/plan/validate.js';
import type { OutgoingEmail } from '../shared/domain/ports.js';
import { startRemoteSes } from './remoteSes.js';
import { round } from './round.js';
import { reminderEmails, syntheticPlan } from './syntheticPlan.js';
import { peakInWindow } from './throttlingSes.js';

/** Lambda's hard limit; the dispatch function is configured lower (infra/constructs/dispatcher.ts). */
const LAMBDA_LIMIT_S = 900;
const DISPATCH_TIMEOUT_S = 300;
/** planSchema's cap on `units` (shared/domain/plan/schema.ts). */
const SCHEMA_MAX_UNITS = 20_000;
/** DynamoDB returns at most 1 MB per Query page. */
const QUERY_PAGE_BYTES = 1024 * 1024;
/** SendMessageBatch takes 10 messages; 256 KiB per message is the long-standing SQS limit. */
const SQS_BATCH = 10;
const SQS_MESSAGE_BYTES = 256 * 1024;

export interface ScaleModelOptions {
  readonly units: number;
  readonly rates: readonly number[];
  /** Notices per SQS message (one worker invocation). */
  readonly batchSize: number;
  /**
   * SES's answer time, ms: the mailer's pacer anchors its window on answers (shared/adapters/aws/ses/pacer.ts) and spends one round trip per second,
   * so a sender reaches rate × 1000 / (1000 + rtt).
   */
  readonly sesRoundTripMs: number;
}

const seconds = (n: number) => Math.round(n);

/**
 * What one milestone with `units` responsible units costs: a single dispatch invocation sending every
 * notice itself, against the fan-out (dispatch enqueues batches; paced workers send them).
 */
export function scaleModel(options: ScaleModelOptions) {
  const { units, batchSize } = options;
  const efficiency = 1000 / (1000 + options.sesRoundTripMs);
  // Measured from the synthetic units (Chinese names, three mailboxes each): what a plan file and the
  // plan's partition hold per unit.
  const sample = syntheticPlan(200, 'bench-sample');
  const unitBytes = Buffer.byteLength(JSON.stringify(sample.units.slice(1))) / 200;
  const planBytes = Math.round(unitBytes * units);
  const messageBytes = Math.round(unitBytes * batchSize + 4_000);

  const singleLambda = options.rates.map((rate) => {
    // 提醒/到期 send one notice per unit, 催办 two (the unit and its supervisor), 约谈 one. At the full
    // rate, the best a single sender can do.
    const reminderS = units / rate;
    const overdueS = (2 * units) / rate;
    return {
      rate,
      reminderSeconds: seconds(reminderS),
      overdueSeconds: seconds(overdueS),
      reminderFitsLambdaLimit: reminderS <= LAMBDA_LIMIT_S,
      overdueFitsLambdaLimit: overdueS <= LAMBDA_LIMIT_S,
      maxNoticesPerInvocation: { lambdaLimit: LAMBDA_LIMIT_S * rate, dispatchTimeout: DISPATCH_TIMEOUT_S * rate },
      // Async invoke: the first attempt and Lambda's two retries (retryAttempts: 2), then the DLQ.
      maxNoticesWithRetries: 3 * DISPATCH_TIMEOUT_S * rate,
    };
  });

  const fanOut = options.rates.map((rate) => {
    // ~25 sends a second per worker (2–3 in flight at SES's latency): a batch takes seconds, not minutes.
    // Each worker owns a whole share of the rate for its window, so the shares never add up to more.
    const reservedConcurrency = Math.max(1, Math.ceil(rate / 25));
    const share = Math.floor(rate / reservedConcurrency);
    const workerRate = share * efficiency;
    const batches = Math.ceil(units / batchSize);
    return {
      rate,
      batchSize,
      reservedConcurrency,
      workerShare: share,
      workerRate: round(workerRate, 2),
      batches,
      sendMessageBatchCalls: Math.ceil(batches / SQS_BATCH),
      perInvocationSeconds: round(batchSize / workerRate, 1),
      aggregateRate: round(workerRate * reservedConcurrency, 2),
      reminderSeconds: seconds(units / (workerRate * reservedConcurrency)),
      overdueSeconds: seconds((2 * units) / (workerRate * reservedConcurrency)),
      // Visibility timeout ≥ 6 × the worker's timeout (AWS's advice for SQS event sources).
      workerTimeoutSeconds: Math.ceil((2 * batchSize) / workerRate),
    };
  });

  return {
    units,
    sesRoundTripMs: options.sesRoundTripMs,
    lambdaLimitSeconds: LAMBDA_LIMIT_S,
    dispatchTimeoutSeconds: DISPATCH_TIMEOUT_S,
    limits: {
      planFileBytes: planBytes,
      planFileLimitBytes: MAX_PLAN_BYTES,
      schemaMaxUnits: SCHEMA_MAX_UNITS,
      planQueryPages: Math.ceil(planBytes / QUERY_PAGE_BYTES),
      messageBytes,
      messageLimitBytes: SQS_MESSAGE_BYTES,
    },
    singleLambda,
    fanOut,
  };
}

/** Receives of one message before it goes to the dead-letter queue (the queue's maxReceiveCount). */
const MAX_RECEIVES = 3;

export interface FanOutRunOptions {
  readonly region: string;
  /** The stand-in's account rate. */
  readonly rate: number;
  readonly notices: number;
  readonly batchSize: number;
  /** Workers (reserved concurrency), each with its own SES client and pacer, as separate Lambdas. */
  readonly workers: number;
  /** Each worker's `maxSendRate`: its share of the rate. */
  readonly workerRate: number;
}

/**
 * The fan-out, scaled down and run: batches of notices on a queue, `workers` consumers each paced at
 * `workerRate` with its own SesMailer (no shared pacer: separate invocations have none), against the throttling SES stand-in at `rate`. A batch that fails
 * goes back on the queue, at most `MAX_RECEIVES` times, like an SQS message before its dead-letter queue.
 */
export async function runFanOut(options: FanOutRunOptions) {
  const emails = reminderEmails(options.notices);
  const queue: { emails: OutgoingEmail[]; receives: number }[] = [];
  for (let i = 0; i < emails.length; i += options.batchSize)
    queue.push({ emails: emails.slice(i, i + options.batchSize), receives: 0 });
  const batches = queue.length;
  const { workerRate } = options;
  const ses = await startRemoteSes(options.rate);
  const batchMs: number[] = [];
  let redelivered = 0;
  let deadLettered = 0;
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.workers }, async () => {
        const client = makeSesClient({ region: options.region, sesEndpoint: ses.endpoint });
        const mailer = new SesMailer({
          client,
          sender: 'duban@office.bench.example',
          maxSendRate: workerRate,
        });
        try {
          for (let message = queue.shift(); message; message = queue.shift()) {
            const t = performance.now();
            message.receives += 1;
            try {
              // Two in flight keep a worker at its rate whatever SES's latency; the pacer spaces them.
              await pLimit(2).map(message.emails, (email) => mailer.send(email));
            } catch {
              // SQS makes the message visible again after its timeout (a real worker's ledger claims skip
              // what already went out; this harness has no ledger and would send those again).
              if (message.receives >= MAX_RECEIVES) deadLettered += 1;
              else {
                redelivered += 1;
                queue.push(message);
              }
            }
            batchMs.push(performance.now() - t);
          }
        } finally {
          client.destroy();
        }
      }),
    );
    const wallMs = performance.now() - started;
    const { throttled, arrivals } = await ses.stats();
    const achievedRate = options.notices / (wallMs / 1000);
    return {
      rate: options.rate,
      notices: options.notices,
      batchSize: options.batchSize,
      workers: options.workers,
      workerRate: round(workerRate, 2),
      batches,
      redelivered,
      deadLettered,
      achievedRate: round(achievedRate, 1),
      ratio: round(achievedRate / options.rate, 3),
      throttled,
      peakPerSecond: peakInWindow(arrivals),
      maxBatchMs: Math.round(Math.max(...batchMs)),
      predictedBatchMs: Math.round((options.batchSize / workerRate) * 1000),
      wallMs: Math.round(wallMs),
    };
  } finally {
    await ses.close();
  }
}
