import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app.js';
import type { DubanStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

/** The stack as `cdk synth -c senderEmail=… -c maxSendRate=14` builds it (bundling skipped: code does not change it). */
describe('the Duban stack', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-stack-'));
  let stack: DubanStack;
  let template: Template;
  const logicalId = (fn: IFunction) => stack.getLogicalId(fn.node.defaultChild as CfnElement);

  beforeAll(() => {
    // Prepare
    stack = createApp({
      outdir,
      context: {
        ...cdkJsonContext,
        senderEmail: 'duban@example.gov.cn',
        maxSendRate: '14',
        'aws:cdk:bundling-stacks': [],
      },
    }).stack;

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('alarms on the first error of every function of the stack', () => {
    // Prepare
    const functions = stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
    expect(functions.length).toBeGreaterThanOrEqual(5);
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
});
