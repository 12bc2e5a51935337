import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app.js';
import type { DubanStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

/** The stack as `cdk synth -c senderEmail=duban@example.gov.cn` with `context` builds it (bundling skipped). */
const synth = (outdir: string, context: Record<string, unknown>) =>
  createApp({
    outdir,
    context: { ...cdkJsonContext, senderEmail: 'duban@example.gov.cn', 'aws:cdk:bundling-stacks': [], ...context },
  }).stack;

/** The stack as `cdk synth -c senderEmail=… -c maxSendRate=14` builds it (bundling skipped: code does not change it). */
describe('the Duban stack', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-stack-'));
  let stack: DubanStack;
  let template: Template;
  const logicalId = (fn: IFunction) => stack.getLogicalId(fn.node.defaultChild as CfnElement);

  beforeAll(() => {
    // Prepare
    stack = synth(outdir, { maxSendRate: '14' });

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('alarms on the first error of every function of the stack, delivery events included', () => {
    // Prepare
    const functions = stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
    expect(functions).toContain(stack.deliveryEvents.function);
    expect(functions.length).toBeGreaterThanOrEqual(6);
    const topic = stack.getLogicalId(stack.alarms.topic.node.defaultChild as CfnElement);

    // Assess
    for (const fn of functions) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: topic }],
      });
    }
    const errorAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === 'Errors',
    );
    expect(errorAlarms).toHaveLength(functions.length);
  });

  it('runs one dispatch instance at a time by default, and two workers at half the send rate each', () => {
    // Assess
    const dispatch = template.toJSON().Resources[logicalId(stack.dispatcher.function)];
    expect(dispatch.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(dispatch.Properties.Environment.Variables.MAX_SEND_RATE).toBeUndefined();
    const worker = template.toJSON().Resources[logicalId(stack.senders.function)];
    expect(worker.Properties.ReservedConcurrentExecutions).toBe(2);
    expect(worker.Properties.Environment.Variables.MAX_SEND_RATE).toBe('7');
  });

  it('reserves concurrency for the dispatch function and the workers only', () => {
    // Assess
    const reserved = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined)
      .map(([id]) => id);
    expect(reserved.sort()).toEqual([logicalId(stack.dispatcher.function), logicalId(stack.senders.function)].sort());
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(stack.dispatcher.function) },
      MaximumEventAgeInSeconds: Match.anyValue(),
    });
  });

  it('warns at synth that nobody will be told when no alarm address is given', () => {
    // Assess
    Annotations.fromStack(stack).hasWarning(
      '/Duban/Alarms',
      Match.stringLikeRegexp('No -c alarmEmail: nobody is subscribed to the alarms topic, so nobody will be told'),
    );
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('alarms on the first message in the dispatch, schedule and delivery-events dead-letter queues', () => {
    // Assess
    const queues = [
      stack.dispatcher.deadLetterQueue,
      stack.scheduling.deadLetterQueue,
      stack.deliveryEvents.deadLetterQueue,
    ];
    for (const queue of queues) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as CfnElement), 'QueueName'] },
          },
        ],
      });
    }
  });
});

/** `-c senderDomain=… -c planScope=…`: the domain identity with its DNS records, policies of one plan. */
describe('the Duban stack with a sender domain and a plan scope', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-stack-domain-'));
  let stack: DubanStack;
  let template: Template;

  beforeAll(() => {
    // Prepare
    stack = synth(outdir, {
      senderDomain: 'example.gov.cn',
      planScope: 'jiangmen-2021',
      alarmEmail: 'ops@example.gov.cn',
    });

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('verifies the domain with Easy DKIM and a custom MAIL FROM, and outputs the three DKIM CNAMEs', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.gov.cn',
      DkimAttributes: Match.absent(),
      MailFromAttributes: { MailFromDomain: 'mail.example.gov.cn', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).filter((k) => k.startsWith('DkimRecord'))).toEqual([
      'DkimRecord1',
      'DkimRecord2',
      'DkimRecord3',
    ]);
    expect(JSON.stringify(outputs.DkimRecord1?.Value)).toContain('DkimDNSTokenName1');
    expect(outputs.MailFromDomain?.Value).toBe('mail.example.gov.cn');
  });

  it('sends only as the sender address, though the identity is the whole domain', () => {
    // Assess
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const sends = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Condition?: unknown }[])
      .filter((st) => st.Action === 'ses:SendRawEmail');
    // The workers, the answers to units (submissions API, portal), the office's delivery-failure messages and the
    // office function (sign-in links, resent links, answers from its review queue).
    expect(sends.length).toBe(5);
    for (const st of sends)
      expect(st.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'duban@example.gov.cn' } });
  });

  it('scopes the caller policies to the plan, and leaves the import (its plan is in the body) to an unscoped admin', () => {
    // Prepare
    const admin =
      template.toJSON().Resources[stack.getLogicalId(stack.callerPolicies.admin.node.defaultChild as CfnElement)];
    const resources = JSON.stringify(admin.Properties.PolicyDocument.Statement[0].Resource);

    // Assess
    expect(resources).toContain('/$default/GET/plans/jiangmen-2021"');
    expect(resources).toContain('/$default/PUT/plans/jiangmen-2021/milestones/*/deadline"');
    expect(resources).toContain('/$default/POST/plans/jiangmen-2021/submissions"');
    expect(resources).not.toContain('/$default/POST/plans"');
    expect(resources).not.toMatch(/\/plans\/\*/);
  });
});
