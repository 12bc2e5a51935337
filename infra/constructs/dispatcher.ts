import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { DubanFunction } from './duban-function.js';
import type { DubanTable } from './table.js';

export interface DispatcherProps {
  readonly data: DubanTable;
  /** Where the stage's notices go for the workers (Senders.queue). */
  readonly workQueue: IQueue;
  /**
   * Dispatch instances that may run at once (reserved concurrency). Dispatch sends no mail (the workers
   * do, each paced to its share), so this only bounds how many stages are planned at the same moment.
   * @default 1
   */
  readonly concurrency?: number;
}

/**
 * 催办 — the dispatch function Scheduler invokes for every ladder step: it plans the stage's notices and
 * enqueues them for the workers (Senders). Scheduler invokes it asynchronously, so Lambda retries a
 * failure twice and then parks the event in a dead-letter queue.
 */
export class Dispatcher extends Construct {
  public readonly function: NodejsFunction;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    const concurrency = props.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`dispatch concurrency must be a whole number of at least 1, got ${concurrency}`);
    }

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'dispatch invocations that failed after Lambda retried them',
    }).queue;

    const dispatch = new DubanFunction(this, 'Dispatch', {
      entry: 'functions/dispatch.ts',
      description: 'Plans the notices of one ladder step and enqueues them for the workers (Scheduler target)',
      table: props.data.table,
      timeout: Duration.minutes(5),
      // Capped at `concurrency`. Serializing is safe: Lambda keeps a throttled asynchronous event in its
      // queue and retries it (backing off up to 5 minutes) until `maxEventAge`, and a throttle is not a
      // function error, so it uses none of the 2 retries below. Planning a stage takes seconds.
      // Reserving concurrency needs an account concurrency quota above 100 (Lambda keeps 100 unreserved).
      reservedConcurrentExecutions: concurrency,
      retryAttempts: 2,
      // An event not processed by then goes to the DLQ and the alarm fires. Nothing takes over: reconcile
      // never re-creates a schedule whose time has passed, so an operator decides whether to replay it
      // (a replay is safe: the ledger skips notices already sent).
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
      environment: { WORK_QUEUE_URL: props.workQueue.queueUrl },
    });
    this.function = dispatch.function;

    // Reads the plan, the submissions and (to resume after an edit) the ledger; writes only to the queue.
    props.data.grantItems(this.function, {
      items: ['plans', 'holidays', 'submissions', 'notices'],
      actions: ['Query'],
    });
    // The exit ledger's ladder chases its items: dispatch reads them whole (one Query), never writes them.
    props.data.grantItems(this.function, { items: ['exits'], actions: ['Query'] });
    props.workQueue.grantSendMessages(this.function);
  }
}
