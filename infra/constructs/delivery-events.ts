import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NOTICE_TAGS } from '../../shared/domain/delivery/noticeTags.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { DubanFunction } from './duban-function.js';
import type { Mail } from './mail.js';
import type { DubanTable } from './table.js';

export interface DeliveryEventsProps {
  readonly data: DubanTable;
  /** Whose configuration set's events are read, and the sender of the office's messages. */
  readonly mail: Mail;
}

/** SES's `detail.eventType` of the events that say what became of a notice. */
const EVENT_TYPES = ['Delivery', 'Bounce', 'Complaint', 'DeliveryDelay', 'Reject'];

/**
 * 投递回执 — SES's delivery events, per notice: an EventBridge rule on the default bus takes the events
 * of Duban's configuration set for mail that carries a notice key (the office's own messages carry
 * none), and a function records each on its notice in the ledger and tells the plan's coordinating group
 * of a failure. EventBridge retries a failed invocation, Lambda retries it twice more, and what is left
 * goes to a dead-letter queue that raises an alarm.
 */
export class DeliveryEvents extends Construct {
  public readonly function: NodejsFunction;
  public readonly deadLetterQueue: Queue;
  public readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DeliveryEventsProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'SES delivery events that could not be recorded',
    }).queue;

    this.function = new DubanFunction(this, 'Record', {
      entry: 'functions/delivery-events.ts',
      description: 'Records SES delivery events on their notices; tells the office of failures',
      table: props.data.table,
      timeout: Duration.seconds(30),
      retryAttempts: 2,
      onFailure: new SqsDestination(this.deadLetterQueue),
      environment: {
        SENDER_EMAIL: props.mail.senderEmail,
        // The office's messages are few: one at a time is plenty and stays far inside the account's rate.
        MAX_SEND_RATE: '1',
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
      },
    }).function;
    // Reads the plan (whose address failed, the office's address); writes the outcome on the notice.
    props.data.grantItems(this.function, { items: ['plans', 'holidays'], actions: ['Query'] });
    props.data.grantItems(this.function, { items: ['notices'], actions: ['UpdateItem'] });
    props.mail.grantSendRawEmail(this.function);

    this.rule = new Rule(this, 'SesEvents', {
      description: 'SES delivery events of Duban notices',
      eventBus: EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      eventPattern: {
        source: ['aws.ses'],
        detail: {
          eventType: EVENT_TYPES,
          mail: {
            tags: {
              'ses:configuration-set': [props.mail.configurationSet.configurationSetName],
              [NOTICE_TAGS.plan]: [{ exists: true }],
            },
          },
        },
      },
      targets: [
        new LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
