import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  QUEUE_MAX_RECEIVES,
  QUEUE_VISIBILITY_S,
  WORKER_BATCH_SIZE,
  WORKER_TIMEOUT_S,
} from '../../shared/domain/dispatch/noticeWork.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { DubanFunction } from './duban-function.js';
import type { Mail } from './mail.js';
import type { DubanTable } from './table.js';

export interface SendersProps {
  readonly data: DubanTable;
  /** Where notices are sent from. */
  readonly mail: Mail;
  /**
   * SES messages per second for all workers together (the account's sending quota).
   * @default 1 (the SES sandbox rate)
   */
  readonly maxSendRate?: number;
  /**
   * Workers that may run at once (reserved concurrency, and the event source's maximum concurrency, whose
   * minimum is 2). Each paces itself to `maxSendRate / concurrency`, so together they never exceed it.
   * @default 2
   */
  readonly concurrency?: number;
}

/**
 * The send rate of one instance: its share of the account's rate, rounded down to a thousandth so the
 * shares never add up to more than the whole. The pacer takes fractional rates.
 */
export function perInstanceSendRate(maxSendRate: number, concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const share = Math.floor((maxSendRate / concurrency) * 1000) / 1000;
  if (!(share > 0)) {
    throw new Error(`a send rate of ${maxSendRate}/s shared by ${concurrency} instances leaves each less than 0.001/s`);
  }
  return share;
}

/**
 * 发送 — the fan-out's sending side: the work queue dispatch fills with a stage's notices (one message
 * each), and the worker function Lambda's SQS event source feeds with batches of them. Each worker sends
 * one notice at a time (claim → SES → record) at its share of the SES rate and names the notices to
 * deliver again (`ReportBatchItemFailures`); a message received `QUEUE_MAX_RECEIVES` times goes to the
 * dead-letter queue, whose alarm fires on its first message.
 */
export class Senders extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly function: NodejsFunction;
  /** What each worker allows itself (`MAX_SEND_RATE`), in SES messages per second. */
  public readonly sendRatePerInstance: number;

  constructor(scope: Construct, id: string, props: SendersProps) {
    super(scope, id);
    const concurrency = props.concurrency ?? 2;
    if (concurrency < 2) {
      // The SQS event source's maximum concurrency is at least 2: with one reserved instance, the second
      // poller's batches would be throttled and count as receives towards the dead-letter queue.
      throw new Error(
        `the workers need a concurrency of at least 2 (the SQS event source's minimum), got ${concurrency}`,
      );
    }
    this.sendRatePerInstance = perInstanceSendRate(props.maxSendRate ?? 1, concurrency);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      description: `notices the workers could not send in ${QUEUE_MAX_RECEIVES} deliveries`,
    }).queue;
    this.queue = new Queue(this, 'Notices', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Above the worst batch: a worker never starts a notice it cannot finish before its timeout, and six
      // times that timeout is what AWS advises for a Lambda event source. Also far past the ledger's
      // 2-minute lease, so a redelivery after a crash takes the dead worker's claim over.
      visibilityTimeout: Duration.seconds(QUEUE_VISIBILITY_S),
      // A notice the ladder has moved past is dropped by the worker anyway (sendBefore).
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: QUEUE_MAX_RECEIVES },
    });

    const worker = new DubanFunction(this, 'Worker', {
      entry: 'functions/dispatch-worker.ts',
      description: 'Sends the notices of a stage, a batch at a time, at its share of the SES rate',
      table: props.data.table,
      timeout: Duration.seconds(WORKER_TIMEOUT_S),
      // The pacer lives in one process: at most `concurrency` workers, each with its share of the rate.
      // Reserving concurrency needs an account concurrency quota above 100 (Lambda keeps 100 unreserved).
      reservedConcurrentExecutions: concurrency,
      environment: {
        SENDER_EMAIL: props.mail.senderEmail,
        MAX_SEND_RATE: String(this.sendRatePerInstance),
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
      },
    });
    this.function = worker.function;
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
        // No more pollers than reserved workers: a throttled batch would count as a receive.
        maxConcurrency: concurrency,
      }),
    );

    // Claims, records and fails notices in the ledger (conditional writes); receiving is the event source's grant.
    props.data.grantItems(this.function, { items: ['notices'], actions: ['GetItem', 'Query', 'UpdateItem'] });
    // Notices, and the office's message when an address is on the suppression list (the plan names the unit).
    props.data.grantItems(this.function, { items: ['plans', 'holidays'], actions: ['Query'] });
    props.mail.grantSendRawEmail(this.function);
    props.mail.grantReadSuppressionList(this.function);
  }
}
