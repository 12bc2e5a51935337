import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { DubanFunction } from './duban-function.js';
import type { Mail } from './mail.js';
import type { DubanTable } from './table.js';

export interface DispatcherProps {
  readonly data: DubanTable;
  /** Where notices are sent from. */
  readonly mail: Mail;
  /**
   * SES messages per second for all dispatch instances together (the account's sending quota).
   * @default 1 (the SES sandbox rate)
   */
  readonly maxSendRate?: number;
  /**
   * Dispatch instances that may run at once (reserved concurrency). Each one paces itself to
   * `maxSendRate / concurrency`, so together they never exceed the account's rate.
   * @default 1
   */
  readonly concurrency?: number;
}

/**
 * The send rate of one dispatch instance: its share of the account's rate, rounded down to a thousandth
 * so the shares never add up to more than the whole. The pacer takes fractional rates.
 */
export function perInstanceSendRate(maxSendRate: number, concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`dispatch concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const share = Math.floor((maxSendRate / concurrency) * 1000) / 1000;
  if (!(share > 0)) {
    throw new Error(
      `a send rate of ${maxSendRate}/s shared by ${concurrency} dispatch instances leaves each less than 0.001/s`,
    );
  }
  return share;
}

/**
 * 催办发送 — the dispatch function Scheduler invokes for every ladder step. Scheduler invokes it
 * asynchronously, so Lambda retries a failure twice and then parks the event in a dead-letter queue.
 */
export class Dispatcher extends Construct {
  public readonly function: NodejsFunction;
  public readonly deadLetterQueue: Queue;
  /** What each instance allows itself (`MAX_SEND_RATE`), in SES messages per second. */
  public readonly sendRatePerInstance: number;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    const concurrency = props.concurrency ?? 1;
    this.sendRatePerInstance = perInstanceSendRate(props.maxSendRate ?? 1, concurrency);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'dispatch invocations that failed after Lambda retried them',
    }).queue;

    const dispatch = new DubanFunction(this, 'Dispatch', {
      entry: 'functions/dispatch.ts',
      description: 'Sends the notice of one ladder step (Scheduler target)',
      table: props.data.table,
      timeout: Duration.minutes(5),
      // The pacer lives in one process, and the stages of several milestones fire in the same minute
      // (09:00): N instances at the full rate would send at N times the account's rate. Capped at
      // `concurrency`, each with its share. Serializing is safe: Lambda keeps a throttled asynchronous
      // event in its queue and retries it (backing off up to 5 minutes) until `maxEventAge`, and a
      // throttle is not a function error, so it uses none of the 2 retries below.
      // Reserving concurrency needs an account concurrency quota above 100 (Lambda keeps 100 unreserved).
      reservedConcurrentExecutions: concurrency,
      retryAttempts: 2,
      // An event not processed by then goes to the DLQ and the alarm fires. Nothing takes over: reconcile
      // never re-creates a schedule whose time has passed, so an operator decides whether to replay it
      // (a replay is safe: the ledger skips notices already sent).
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
      environment: {
        SENDER_EMAIL: props.mail.senderEmail,
        MAX_SEND_RATE: String(this.sendRatePerInstance),
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
      },
    });
    this.function = dispatch.function;

    // Reads the plan and the submissions; claims, records and closes notices with conditional updates.
    props.data.grantItems(this.function, { items: ['plans', 'submissions'], actions: ['Query'] });
    props.data.grantItems(this.function, { items: ['notices'], actions: ['GetItem', 'Query', 'UpdateItem'] });
    // Notices, and the office's message when an address is on the suppression list.
    props.mail.grantSendRawEmail(this.function);
    props.mail.grantReadSuppressionList(this.function);
  }
}
