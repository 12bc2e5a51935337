import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { DubanFunction } from './duban-function.js';
import type { Mail } from './mail.js';

export interface DispatcherProps {
  readonly table: ITable;
  /** Where notices are sent from. */
  readonly mail: Mail;
  /**
   * SES messages per second the function allows itself (the account's sending quota).
   * @default 1 (the SES sandbox rate)
   */
  readonly maxSendRate?: number;
  /**
   * Caps parallel dispatches. Unset by default: new accounts may not have concurrency to reserve.
   * @default - no reserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * 催办发送 — the dispatch function Scheduler invokes for every ladder step. Scheduler invokes it
 * asynchronously, so Lambda retries a failure twice and then parks the event in a dead-letter queue.
 */
export class Dispatcher extends Construct {
  public readonly function: NodejsFunction;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'dispatch invocations that failed after Lambda retried them',
    }).queue;

    const dispatch = new DubanFunction(this, 'Dispatch', {
      entry: 'functions/dispatch.ts',
      description: 'Sends the notice of one ladder step (Scheduler target)',
      table: props.table,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: 2,
      // A notice older than this is stale: the next ladder step or the daily reconcile takes over.
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
      environment: {
        SENDER_EMAIL: props.mail.senderEmail,
        MAX_SEND_RATE: String(props.maxSendRate ?? 1),
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
      },
    });
    this.function = dispatch.function;

    // Reads the plan and ledger, writes the ledger with conditional Put/Update.
    props.table.grantReadWriteData(this.function);
    props.mail.grantSendRawEmail(this.function);
  }
}
