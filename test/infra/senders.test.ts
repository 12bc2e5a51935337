import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mail } from '../../infra/constructs/mail.js';
import { perInstanceSendRate, Senders } from '../../infra/constructs/senders.js';
import { DubanTable } from '../../infra/constructs/table.js';
import { LAMBDA_RUNTIME_NAME } from '../../infra/runtime.js';
import {
  NOTICE_WORST_CASE_MS,
  QUEUE_MAX_RECEIVES,
  QUEUE_VISIBILITY_S,
  WORKER_BATCH_SIZE,
  WORKER_TIMEOUT_S,
} from '../../shared/domain/dispatch/noticeWork.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

describe('Senders (the work queue and its workers)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-senders-'));
  let template: Template;
  let ids: { table: string; configurationSet: string; queue: string; dlq: string; fn: string };

  beforeAll(() => {
    // Prepare: bundling skipped; the bundle itself is checked by the app test.
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const data = new DubanTable(stack, 'Data');
    const { table } = data;
    const mail = new Mail(stack, 'Mail', { senderEmail: 'duban@example.gov.cn' });
    const senders = new Senders(stack, 'Senders', { data, mail, maxSendRate: 14, concurrency: 4 });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = {
      table: id(table),
      configurationSet: id(mail.configurationSet),
      queue: id(senders.queue),
      dlq: id(senders.deadLetterQueue),
      fn: id(senders.function),
    };

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("runs functions/dispatch-worker.ts with a timeout above a notice's worst case, four at a time", () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: LAMBDA_RUNTIME_NAME,
      Architectures: ['arm64'],
      Timeout: WORKER_TIMEOUT_S,
      ReservedConcurrentExecutions: 4,
    });
    expect(WORKER_TIMEOUT_S * 1000).toBeGreaterThan(NOTICE_WORST_CASE_MS);
  });

  it('tells each worker its table, sender, its share of the send rate and the configuration set', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          SENDER_EMAIL: 'duban@example.gov.cn',
          // 14 messages per second shared by 4 workers.
          MAX_SEND_RATE: '3.5',
          SES_CONFIGURATION_SET: { Ref: ids.configurationSet },
        },
      },
    });
  });

  it('feeds the workers batches from the queue, reporting partial failures, no more pollers than workers', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ids.fn },
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      BatchSize: WORKER_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });

  it('hides a received notice for six worker timeouts, and dead-letters it after its receives', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: QUEUE_VISIBILITY_S,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: QUEUE_MAX_RECEIVES },
    });
    expect(QUEUE_VISIBILITY_S).toBe(6 * WORKER_TIMEOUT_S);
    // Past the ledger's 2-minute lease: a redelivery after a crash takes the dead worker's claim over.
    expect(QUEUE_VISIBILITY_S).toBeGreaterThan(120);
  });

  it('keeps both queues behind TLS', () => {
    // Assess
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets the worker send raw email as the sender, read the suppression list and consume only its own queue', () => {
    // Assess
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const of = (prefix: string) => statements.filter((st) => [st.Action].flat().some((a) => a.startsWith(prefix)));
    expect(of('ses:').flatMap((st) => [st.Action].flat())).toEqual([
      'ses:SendRawEmail',
      'ses:ListSuppressedDestinations',
    ]);
    for (const st of of('sqs:')) expect(st.Resource).toEqual({ 'Fn::GetAtt': [ids.queue, 'Arn'] });
  });

  it('refuses a single worker: the SQS event source runs at least two', () => {
    // Prepare
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'One');
    const data = new DubanTable(stack, 'Data');
    const mail = new Mail(stack, 'Mail', { senderEmail: 'duban@example.gov.cn' });

    // Act / Assess
    expect(() => new Senders(stack, 'Senders', { data, mail, concurrency: 1 })).toThrow(/at least 2/);
  });
});

describe('the send rate of one worker', () => {
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
