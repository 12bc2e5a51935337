import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alarms } from '../../infra/constructs/alarms.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

describe('Alarms', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-alarms-'));
  let template: Template;
  let ids: { topic: string; key: string; dispatchQueue: string; scheduleQueue: string };

  beforeAll(() => {
    // Prepare
    const stack = new Stack(new App({ outdir, context: cdkJsonContext }), 'Test');
    const dispatchQueue = new Queue(stack, 'DispatchDlq', { enforceSSL: true });
    const scheduleQueue = new Queue(stack, 'ScheduleDlq', { enforceSSL: true });
    const dispatch = LambdaFunction.fromFunctionName(stack, 'Dispatch', 'duban-dispatch');
    const alarms = new Alarms(stack, 'Alarms', {
      deadLetterQueues: { Dispatch: dispatchQueue, Schedule: scheduleQueue },
      functions: { Dispatch: dispatch },
      undeliveredMail: { Bounces: new Metric({ namespace: 'AWS/SES', metricName: 'Bounce', statistic: 'Sum' }) },
      alarmEmail: 'ops@example.gov.cn',
    });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = {
      topic: id(alarms.topic),
      key: id(alarms.topic.masterKey as never),
      dispatchQueue: id(dispatchQueue),
      scheduleQueue: id(scheduleQueue),
    };

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const alarmOn = (metricName: string, dimensions: unknown[]) => ({
    MetricName: metricName,
    Dimensions: dimensions,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: ids.topic }],
  });

  it('alarms on the first message in each dead-letter queue', () => {
    // Assess
    for (const queue of [ids.dispatchQueue, ids.scheduleQueue]) {
      template.hasResourceProperties(
        'AWS::CloudWatch::Alarm',
        alarmOn('ApproximateNumberOfMessagesVisible', [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } },
        ]),
      );
    }
  });

  it('alarms on the first error of a watched function', () => {
    // Assess
    template.hasResourceProperties(
      'AWS::CloudWatch::Alarm',
      alarmOn('Errors', [{ Name: 'FunctionName', Value: Match.anyValue() }]),
    );
  });

  it('alarms on the first undelivered notice mail', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: 'Bounce',
      Threshold: 0,
      AlarmActions: [{ Ref: ids.topic }],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  /** `arn:<partition>:cloudwatch:<region>:<account>:alarm:Test-<id>` as the template spells it. */
  const alarmArn = (id: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':cloudwatch:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:alarm:Test-${id}`,
      ],
    ],
  });
  const ALARMS = ['DispatchDeadLetters', 'ScheduleDeadLetters', 'DispatchErrors', 'MailBounces'];
  const onlyTheseAlarms = () => ({
    StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    ArnLike: { 'aws:SourceArn': ALARMS.map(alarmArn) },
  });

  it('names each alarm <stack>-<id>, so that its ARN is known to the policies', () => {
    // Assess
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    expect(names.sort()).toEqual(ALARMS.map((id) => `Test-${id}`).sort());
  });

  it('lets CloudWatch publish to the topic, for these alarms of this account only (the policy replaces SNS’s default)', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowDubanAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: ids.topic },
            Condition: onlyTheseAlarms(),
          },
        ]),
      },
    });
  });

  it('encrypts the topic with a rotating key that those alarms of this account may use', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowDubanAlarmsToUseTheKey',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: onlyTheseAlarms(),
          },
        ]),
      },
    });
  });

  it('refuses publishing over plain HTTP', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes the alarm address by email', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.gov.cn',
      TopicArn: { Ref: ids.topic },
    });
    expect(Object.keys(template.findResources('AWS::SNS::Subscription'))).toHaveLength(1);
  });
});
