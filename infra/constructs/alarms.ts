import { Annotations, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
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
   * An address subscribed to the topic (it must confirm the subscription). Without one, synth warns
   * that nobody will be told.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/** The warning `cdk synth` shows when no address is subscribed to the alarms. */
export const NO_SUBSCRIBER_WARNING =
  'No -c alarmEmail: nobody is subscribed to the alarms topic, so nobody will be told when a notice is not sent ' +
  'or not delivered. Deploy with -c alarmEmail=ops@example.gov.cn, or subscribe an on-call tool to AlarmTopicArn.';

/**
 * 告警 — where bad news goes: CloudWatch alarms that fire on the first dead-lettered event, the first
 * function error, and the first bounced or rejected notice, publishing to an encrypted, TLS-only SNS
 * topic. A topic policy replaces SNS's default one, so it allows CloudWatch to publish, for these alarms
 * of this account only (and the key likewise); each alarm is named `<stack>-<id>` so its ARN is known
 * without a reference to it (the key's policy cannot refer to the alarms that use the key's topic).
 */
export class Alarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;
  private readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    // A customer-managed key because CloudWatch cannot publish with the AWS-managed SNS key.
    this.key = new Key(this, 'TopicKey', {
      description: 'Encrypts the Duban alarms topic',
      enableKeyRotation: true,
    });
    this.topic = new Topic(this, 'Topic', { displayName: 'Duban alarms', masterKey: this.key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    else Annotations.of(this).addWarningV2('duban:alarms:noSubscriber', NO_SUBSCRIBER_WARNING);
    this.action = new SnsAction(this.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarmAboveZero(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `The ${name} dead-letter queue holds a failed event: a notice may not have been sent or its delivery not recorded.`,
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
        `Notice mail ${name.toLowerCase()}: a unit may not have been reached (the ledger and the office's message name it).`,
      );
    }
    this.allowCloudWatch();
  }

  /** `arn:…:cloudwatch:<region>:<account>:alarm:<name>` of each alarm, from its name alone. */
  public get alarmArns(): string[] {
    return this.alarms.map((alarm) => alarmArn(this, alarm));
  }

  private allowCloudWatch(): void {
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const onlyOurs = {
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      ArnLike: { 'aws:SourceArn': this.alarmArns },
    };
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowDubanAlarmsToPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: onlyOurs,
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowDubanAlarmsToUseTheKey',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy, "*" is this key.
        resources: ['*'],
        conditions: onlyOurs,
      }),
    );
  }

  private alarmAboveZero(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
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

function alarmArn(scope: Construct, alarm: Alarm): string {
  const name = alarm.node.id;
  return Stack.of(scope).formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: `${Stack.of(scope).stackName}-${name}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
