import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app.js';
import type { DubanStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('least privilege', () => {
  let outdir: string;
  let stack: DubanStack;
  let template: Template;
  /** Every identity-policy statement of the stack, with the logical ids of the roles it is attached to. */
  let statements: Array<Statement & { roles: string[] }>;

  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const roleOf = (fn: IFunction) => logicalId(fn.role as IRole);
  const statementsOf = (roleId: string) => statements.filter((statement) => statement.roles.includes(roleId));
  const actionsOf = (roleId: string) => statementsOf(roleId).flatMap((statement) => list(statement.Action));
  const grantsOn = (roleId: string, action: string) =>
    statementsOf(roleId)
      .filter((statement) => list(statement.Action).includes(action))
      .flatMap((statement) => list(statement.Resource));

  beforeAll(() => {
    // Prepare: the whole stack; bundling skipped, since the handlers' code does not change IAM.
    outdir = mkdtempSync(join(tmpdir(), 'duban-iam-'));
    stack = createApp({
      outdir,
      context: { ...cdkJsonContext, senderEmail: 'duban@example.gov.cn', 'aws:cdk:bundling-stacks': [] },
    }).stack;

    // Act
    template = Template.fromStack(stack);
    statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({
        ...statement,
        roles: (policy.Properties.Roles as Array<{ Ref: string }>).map((role) => role.Ref),
      })),
    );
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('grants no send, data, invoke, schedule-write or pass-role action on Resource "*"', () => {
    // Prepare
    const sensitive = [
      /^ses:Send/,
      /^dynamodb:/,
      /^lambda:InvokeFunction$/,
      /^scheduler:(Create|Update|Delete|Tag|Untag)/,
      /^iam:PassRole$/,
      /\*/,
    ];

    // Act
    const onStar = statements
      .filter((statement) => list(statement.Resource).includes('*'))
      .flatMap((statement) => list(statement.Action));

    // Assess
    expect(onStar.filter((action) => sensitive.some((pattern) => pattern.test(action)))).toEqual([]);
    expect(new Set(onStar)).toEqual(new Set(['scheduler:ListSchedules']));
    expect(template.findResources('AWS::IAM::ManagedPolicy')).toEqual({});
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets only EventBridge Scheduler of this account, for duban- schedule groups, assume the scheduler role', () => {
    // Prepare
    const role = template.findResources('AWS::IAM::Role')[logicalId(stack.scheduling.schedulerRole)];

    // Assess
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':scheduler:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':schedule-group/duban-*',
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  it('lets the scheduler role invoke only the dispatch function and write only to the schedule DLQ', () => {
    // Prepare
    const roleId = logicalId(stack.scheduling.schedulerRole);

    // Assess
    expect(statementsOf(roleId)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(stack.dispatcher.function), 'Arn'] },
        roles: [roleId],
      },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(stack.scheduling.deadLetterQueue), 'Arn'] },
        roles: [roleId],
      },
    ]);
  });

  it('passes the scheduler role only to Scheduler, and only from reconcile and the two admin functions', () => {
    // Prepare
    const passRole = statements.filter((statement) => list(statement.Action).includes('iam:PassRole'));

    // Assess
    expect(passRole.flatMap((statement) => statement.roles).sort()).toEqual(
      [
        roleOf(stack.scheduling.reconcileFunction),
        roleOf(stack.adminApi.calendarFunction),
        roleOf(stack.adminApi.submissionsFunction),
      ].sort(),
    );
    for (const statement of passRole) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [logicalId(stack.scheduling.schedulerRole), 'Arn'] });
      expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    }
  });

  it('confines schedule writes to schedules and groups named duban-*', () => {
    // Prepare
    const arn = (resource: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':scheduler:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          resource,
        ],
      ],
    });

    // Assess
    // A return or an approved extension moves one unit's schedules: the submissions function manages them too.
    for (const fn of [
      stack.scheduling.reconcileFunction,
      stack.adminApi.calendarFunction,
      stack.adminApi.submissionsFunction,
    ]) {
      const roleId = roleOf(fn);
      for (const action of [
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
      ]) {
        expect(grantsOn(roleId, action)).toEqual([arn(':schedule/duban-*/*')]);
      }
      for (const action of ['scheduler:CreateScheduleGroup', 'scheduler:GetScheduleGroup']) {
        expect(grantsOn(roleId, action)).toEqual([arn(':schedule-group/duban-*')]);
      }
      // Nothing tags schedules or groups: no tagging permission at all.
      expect(actionsOf(roleId).filter((action) => /^scheduler:(Tag|Untag)/.test(action))).toEqual([]);
    }
    for (const fn of [stack.dispatcher.function, stack.senders.function]) {
      expect(actionsOf(roleOf(fn)).filter((action) => action.startsWith('scheduler:'))).toEqual([]);
    }
  });

  it('lets only the workers and the answers to units send mail, from the sender identity through the configuration set', () => {
    // Prepare
    const senders = statements.filter((statement) =>
      list(statement.Action).some((action) => action.startsWith('ses:')),
    );

    // Assess
    expect(senders.flatMap((statement) => statement.roles).sort()).toEqual(
      [roleOf(stack.senders.function), roleOf(stack.adminApi.submissionsFunction)].sort(),
    );
    for (const sender of senders) {
      expect(sender.Action).toBe('ses:SendRawEmail');
      expect(JSON.stringify(sender.Resource)).toContain(`":identity/",{"Ref":"${logicalId(stack.mail.identity)}"}`);
      expect(JSON.stringify(sender.Resource)).toContain(
        `":configuration-set/",{"Ref":"${logicalId(stack.mail.configurationSet)}"}`,
      );
    }
  });

  it('gives reconcile and dispatch read-only table access and the other functions read-write access to the table only', () => {
    // Prepare
    const tableArn = { 'Fn::GetAtt': [logicalId(stack.data.table), 'Arn'] };
    const dynamoOf = (fn: IFunction) =>
      statementsOf(roleOf(fn)).filter((statement) =>
        list(statement.Action).some((action) => action.startsWith('dynamodb:')),
      );

    // Assess
    for (const fn of [stack.scheduling.reconcileFunction, stack.dispatcher.function]) {
      expect(dynamoOf(fn).flatMap((statement) => list(statement.Action))).toContain('dynamodb:Query');
      expect(dynamoOf(fn).flatMap((statement) => list(statement.Action))).not.toContain('dynamodb:PutItem');
    }
    for (const fn of [stack.senders.function, stack.adminApi.calendarFunction, stack.adminApi.submissionsFunction]) {
      const actions = dynamoOf(fn).flatMap((statement) => list(statement.Action));
      expect(actions).toEqual(
        expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem']),
      );
    }
    for (const fn of [
      stack.dispatcher.function,
      stack.senders.function,
      stack.scheduling.reconcileFunction,
      stack.adminApi.calendarFunction,
      stack.adminApi.submissionsFunction,
    ]) {
      expect(dynamoOf(fn).flatMap((statement) => list(statement.Resource))).toEqual([tableArn]);
    }
  });

  it('lets each function write logs only to its own log group', () => {
    // Assess
    for (const fn of [
      stack.dispatcher.function,
      stack.senders.function,
      stack.scheduling.reconcileFunction,
      stack.adminApi.calendarFunction,
      stack.adminApi.submissionsFunction,
    ]) {
      const logGroupId = template.toJSON().Resources[logicalId(fn)].Properties.LoggingConfig.LogGroup.Ref as string;
      expect(grantsOn(roleOf(fn), 'logs:PutLogEvents')).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]);
    }
  });

  it('lets dispatch only send to the work queue (and its own failure queue), and the workers only consume it', () => {
    // Prepare
    const queueArn = { 'Fn::GetAtt': [logicalId(stack.senders.queue), 'Arn'] };
    const sqsOf = (fn: IFunction) =>
      statementsOf(roleOf(fn)).filter((statement) => list(statement.Action).some((a) => a.startsWith('sqs:')));

    // Assess
    const dispatch = sqsOf(stack.dispatcher.function);
    for (const st of dispatch) {
      expect(list(st.Action).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    }
    const failureQueueArn = { 'Fn::GetAtt': [logicalId(stack.dispatcher.deadLetterQueue), 'Arn'] };
    expect(dispatch.flatMap((st) => list(st.Resource))).toEqual(expect.arrayContaining([queueArn, failureQueueArn]));
    expect(dispatch.flatMap((st) => list(st.Resource))).toHaveLength(2);
    const worker = sqsOf(stack.senders.function);
    expect(worker.flatMap((st) => list(st.Action))).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
    );
    expect(worker.flatMap((st) => list(st.Action))).not.toContain('sqs:SendMessage');
    expect(worker.flatMap((st) => list(st.Resource))).toEqual([queueArn]);
  });
});
