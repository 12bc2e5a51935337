import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduling } from '../../infra/constructs/scheduling.js';
import { DubanTable } from '../../infra/constructs/table.js';
import { LAMBDA_RUNTIME_NAME } from '../../infra/runtime.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;
const dispatchArn = 'arn:aws:lambda:cn-north-1:111122223333:function:duban-dispatch';

describe('Scheduling', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-scheduling-'));
  let template: Template;
  let ids: { table: string; schedulerRole: string; queue: string; reconcile: string; reconcileRole: string };

  beforeAll(() => {
    // Prepare
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const data = new DubanTable(stack, 'Data');
    const { table } = data;
    const dispatchFunction = LambdaFunction.fromFunctionArn(stack, 'Dispatch', dispatchArn);
    const scheduling = new Scheduling(stack, 'Scheduling', { data, dispatchFunction });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = {
      table: id(table),
      schedulerRole: id(scheduling.schedulerRole),
      queue: id(scheduling.deadLetterQueue),
      reconcile: id(scheduling.reconcileFunction),
      reconcileRole: id(scheduling.reconcileFunction.role as never),
    };

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('creates the schedule group of the seed plan, duban-jiangmen-2021', () => {
    // Assess
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'duban-jiangmen-2021' });
  });

  it('reconciles every day at 06:00 Shanghai time with an empty input, outside the duban- groups', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      GroupName: Match.absent(),
      Target: {
        Arn: { 'Fn::GetAtt': [ids.reconcile, 'Arn'] },
        Input: '{}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
      },
    });
  });

  it('runs the daily reconcile with a role that cannot invoke dispatch', () => {
    // Prepare
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    const roleId = schedule?.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;

    // Assess
    expect(roleId).not.toBe(ids.schedulerRole);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    expect(JSON.stringify(policies)).not.toContain(dispatchArn);
    expect(JSON.stringify(policies)).toContain(ids.reconcile);
  });

  it('hands reconcile the table, the group prefix and what a schedule needs', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: LAMBDA_RUNTIME_NAME,
      Architectures: ['arm64'],
      Timeout: 300,
      Role: { 'Fn::GetAtt': [ids.reconcileRole, 'Arn'] },
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: ids.table },
          POWERTOOLS_SERVICE_NAME: 'duban',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          SCHEDULE_GROUP_PREFIX: 'duban-',
          DISPATCH_FUNCTION_ARN: dispatchArn,
          SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [ids.schedulerRole, 'Arn'] },
          SCHEDULE_DLQ_ARN: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
        },
      },
    });
  });

  it('lets the scheduler role invoke exactly the dispatch function', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: ids.schedulerRole }],
      PolicyDocument: {
        Statement: [
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: dispatchArn },
          { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] } },
        ],
      },
    });
  });

  it('keeps undeliverable schedule invocations in an encrypted, TLS-only queue', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});
