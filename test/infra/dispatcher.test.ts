import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../infra/constructs/dispatcher.js';
import { DubanTable } from '../../infra/constructs/table.js';
import { LAMBDA_RUNTIME_NAME } from '../../infra/runtime.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

describe('Dispatcher', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-dispatcher-'));
  let template: Template;
  let ids: { table: string; workQueue: string; queue: string; fn: string };

  beforeAll(() => {
    // Prepare: bundling skipped; the bundle itself is checked by the app test.
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const data = new DubanTable(stack, 'Data');
    const { table } = data;
    const workQueue = new Queue(stack, 'Work', { enforceSSL: true });
    const dispatcher = new Dispatcher(stack, 'Dispatcher', { data, workQueue, concurrency: 4 });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = {
      table: id(table),
      workQueue: id(workQueue),
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

  it('tells the handler its table and the work queue, and nothing about mail: it sends none', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          POWERTOOLS_SERVICE_NAME: 'duban',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          WORK_QUEUE_URL: { Ref: ids.workQueue },
        },
      },
    });
  });

  it('may read the table and send to the work queue, and nothing else', () => {
    // Assess
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Effect: string }[])
      .filter((st) => st.Effect === 'Allow');
    const actions = statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action])) as string[];
    expect(actions.filter((a) => a.startsWith('ses:'))).toEqual([]);
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage', 'dynamodb:Query']));
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

  it('caps the instances that may plan at once at the concurrency asked for', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 4,
    });
  });
});
