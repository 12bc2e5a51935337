import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What ends up here, for the console and the alarm. */
  readonly description: string;
  /**
   * How long a failed event is kept for inspection and redrive.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * A standard SQS queue that catches failed deliveries: encrypted at rest (SSE-SQS, so Lambda and
 * Scheduler can write to it without a key policy), TLS-only, and kept as long as SQS allows.
 */
export class DeadLetterQueue extends Construct {
  public readonly queue: Queue;
  public readonly description: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.description = props.description;
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.description}); a DLQ of a DLQ would only hide failures. An alarm fires on its first message.`,
    });
  }
}
