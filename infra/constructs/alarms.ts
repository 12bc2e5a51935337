import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlarmsProps {
  /** Queues that must stay empty: one message means a notice was not sent. Keyed by a short name. */
  readonly deadLetterQueues: Record<string, IQueue>;
  /** Functions whose every error deserves a look. Keyed by a short name. */
  readonly functions: Record<string, IFunction>;
  /**
   * Counts of mail that did not reach its recipient (bounces, complaints), keyed by a short name.
   * @default - no mail alarms
   */
  readonly undeliveredMail?: Record<string, IMetric>;
  /**
   * An address subscribed to the topic (it must confirm the subscription).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/**
 * 告警 — where bad news goes: an encrypted, TLS-only SNS topic fed by CloudWatch alarms that fire on
 * the first dead-lettered event, the first function error, and the first bounced or rejected notice.
 */
export class Alarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    // A customer-managed key because CloudWatch cannot publish with the AWS-managed SNS key.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the Duban alarms topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { displayName: 'Duban alarms', masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarmAboveZero(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `The ${name} dead-letter queue holds a failed event: a notice may not have been sent.`,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarmAboveZero(
        `${name}Errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        `The ${name} function failed.`,
      );
    }
    for (const [name, metric] of Object.entries(props.undeliveredMail ?? {})) {
      this.alarmAboveZero(
        `Mail${name}`,
        metric,
        `Notice mail ${name.toLowerCase()}: a unit may not have been reached.`,
      );
    }
  }

  private alarmAboveZero(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
