import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher, perInstanceSendRate } from '../../infra/constructs/dispatcher.js';
import { Mail } from '../../infra/constructs/mail.js';
import { DubanTable } from '../../infra/constructs/table.js';
import { LAMBDA_RUNTIME_NAME } from '../../infra/runtime.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

describe('Dispatcher', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-dispatcher-'));
  let template: Template;
  let ids: { table: string; configurationSet: string; queue: string; fn: string };

  beforeAll(() => {
    // Prepare: bundling skipped; the bundle itself is checked by the app test.
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const data = new DubanTable(stack, 'Data');
    const { table } = data;
    const mail = new Mail(stack, 'Mail', { senderEmail: 'duban@example.gov.cn' });
    const dispatcher = new Dispatcher(stack, 'Dispatcher', { data, mail, maxSendRate: 14, concurrency: 4 });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = {
      table: id(table),
      configurationSet: id(mail.configurationSet),
      queue: id(dispatcher.deadLetterQueue),
      fn: id(dispatcher.function),
    };

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('runs functions/dispatch.ts on the project Node.js major, arm64, for up to 5 minutes', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: LAMBDA_RUNTIME_NAME,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 300,
    });
  });

  it('tells the handler its table, sender, its share of the send rate and the configuration set', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          POWERTOOLS_SERVICE_NAME: 'duban',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          SENDER_EMAIL: 'duban@example.gov.cn',
          // 14 messages per second shared by 4 instances.
          MAX_SEND_RATE: '3.5',
          SES_CONFIGURATION_SET: { Ref: ids.configurationSet },
        },
      },
    });
  });

  it('retries a failed asynchronous invocation twice, then parks it in its dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fn },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
    });
  });

  it('keeps dead letters encrypted, for 14 days, behind TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('logs to its own log group with a retention period', () => {
    // Assess
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 180 });
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
  });

  it('caps the instances that may send at once at the concurrency asked for', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 4,
    });
  });
});

describe('the send rate of one dispatch instance', () => {
  it('is its share of the account rate, rounded down so the shares never exceed it', () => {
    // Act / Assess
    expect(perInstanceSendRate(14, 1)).toBe(14);
    expect(perInstanceSendRate(1, 4)).toBe(0.25);
    expect(perInstanceSendRate(14, 3)).toBe(4.666);
    expect(3 * perInstanceSendRate(14, 3)).toBeLessThanOrEqual(14);
  });

  it('refuses a concurrency that is not a whole number of at least 1, or a share below 0.001/s', () => {
    // Act / Assess
    expect(() => perInstanceSendRate(14, 0)).toThrow(/at least 1/);
    expect(() => perInstanceSendRate(14, 1.5)).toThrow(/whole number/);
    expect(() => perInstanceSendRate(1, 2000)).toThrow(/less than 0\.001/);
  });
});
