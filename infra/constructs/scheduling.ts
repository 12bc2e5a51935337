import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Grant, type IRole, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleGroupName } from '../../shared/domain/schedule/names.js';
import { nagResourceFinding } from '../nag.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { DubanFunction } from './duban-function.js';
import type { DubanTable } from './table.js';

export interface SchedulingProps {
  readonly data: DubanTable;
  /** The one function the schedules may invoke. */
  readonly dispatchFunction: IFunction;
  /**
   * Schedule groups are `<prefix><plan>`; the functions may touch only groups with this prefix.
   * @default 'duban-'
   */
  readonly scheduleGroupPrefix?: string;
  /**
   * The plan whose schedule group the stack creates; the groups of other plans are created at runtime
   * by the reconcile function.
   * @default 'jiangmen-2021'
   */
  readonly seedPlanId?: string;
  /**
   * When the reconcile function rebuilds every plan's schedules from the table.
   * @default - daily at 06:00 Asia/Shanghai
   */
  readonly reconcileSchedule?: ScheduleExpression;
}

/**
 * 排程 — EventBridge Scheduler: the role schedules run as, their dead-letter queue, the seed plan's
 * schedule group, and the reconcile function (run daily) that makes the schedules match the table.
 */
export class Scheduling extends Construct {
  public readonly scheduleGroupPrefix: string;
  public readonly seedScheduleGroup: ScheduleGroup;
  /** Assumed by Scheduler; may invoke only the dispatch function and write only to the DLQ. */
  public readonly schedulerRole: Role;
  /** Where Scheduler puts an invocation it could not deliver after its retries. */
  public readonly deadLetterQueue: Queue;
  public readonly reconcileFunction: NodejsFunction;
  /** What a function that writes schedules reads (see shared/config.ts). */
  public readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: SchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.scheduleGroupPrefix = props.scheduleGroupPrefix ?? 'duban-';

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      description: 'schedule invocations Scheduler could not deliver',
    }).queue;

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to run Duban schedules: invokes the dispatch function only',
      assumedBy: schedulerPrincipal(stack, `${this.scheduleGroupPrefix}*`),
    });
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.dispatchFunction.functionArn] }),
    );
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );

    this.seedScheduleGroup = new ScheduleGroup(this, 'SeedGroup', {
      scheduleGroupName: scheduleGroupName(this.scheduleGroupPrefix, props.seedPlanId ?? 'jiangmen-2021'),
      // Schedules are derived state: reconcile rebuilds them from the (retained) table.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.environment = {
      SCHEDULE_GROUP_PREFIX: this.scheduleGroupPrefix,
      DISPATCH_FUNCTION_ARN: props.dispatchFunction.functionArn,
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      SCHEDULE_DLQ_ARN: this.deadLetterQueue.queueArn,
    };

    this.reconcileFunction = new DubanFunction(this, 'Reconcile', {
      entry: 'functions/reconcile.ts',
      description: 'Makes the schedules of every plan match the table (daily, and after admin edits)',
      table: props.data.table,
      timeout: Duration.minutes(5),
      environment: this.environment,
    }).function;
    props.data.grantItems(this.reconcileFunction, { items: ['plans', 'planIndex', 'holidays'], actions: ['Query'] });
    // The exit ledger's schedules follow its items' planned dates: read, never written.
    props.data.grantItems(this.reconcileFunction, { items: ['exits'], actions: ['Query'] });
    this.grantManageSchedules(this.reconcileFunction);

    this.addDailyReconcile(props.reconcileSchedule);
  }

  /**
   * Lets a function create, update and delete schedules in the `<prefix>*` groups (creating the group
   * of a new plan) and pass the scheduler role to Scheduler — nothing outside those groups.
   */
  public grantManageSchedules(fn: IFunction): void {
    const stack = Stack.of(this);
    const schedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroupPrefix}*/*`,
    });
    const groups = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule-group',
      resourceName: `${this.scheduleGroupPrefix}*`,
    });
    Grant.addToPrincipal({
      grantee: fn,
      actions: [
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
      ],
      resourceArns: [schedules],
    });
    Grant.addToPrincipal({
      grantee: fn,
      // No scheduler:TagResource: the adapter creates groups and schedules without tags.
      actions: ['scheduler:CreateScheduleGroup', 'scheduler:GetScheduleGroup'],
      resourceArns: [groups],
    });
    // ListSchedules has no resource type in IAM: a statement scoped to an ARN never matches it. It goes
    // in a policy of its own, so the acknowledgement of its "*" covers that one statement, not the role.
    const list = new Policy(fn, 'ListSchedules', {
      statements: [new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] })],
    });
    fn.role?.attachInlinePolicy(list);
    Validations.of(list).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'scheduler:ListSchedules supports no resource-level permissions; it is read-only and the only action of this policy.',
    });
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['iam:PassRole'],
      resourceArns: [this.schedulerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });

    if (fn.role) acknowledgeScheduleWildcards(fn.role, schedules, groups);
  }

  private addDailyReconcile(expression: ScheduleExpression | undefined): void {
    // Its own role: the scheduler role may invoke dispatch only. The schedule lives in the `default`
    // group, outside `<prefix>*`, so reconcile never mistakes it for a stray plan schedule.
    const role = new Role(this, 'ReconcileScheduleRole', {
      description: 'Assumed by EventBridge Scheduler to run the daily Duban reconcile',
      assumedBy: schedulerPrincipal(Stack.of(this), 'default'),
    });
    new Schedule(this, 'DailyReconcile', {
      description: 'Rebuilds the schedules of every Duban plan from the table',
      schedule: expression ?? ScheduleExpression.cron({ minute: '0', hour: '6', timeZone: TimeZone.ASIA_SHANGHAI }),
      target: new LambdaInvoke(this.reconcileFunction, {
        input: ScheduleTargetInput.fromObject({}),
        role,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
    Validations.of(role).acknowledge({
      id: nagResourceFinding(role, `${this.reconcileFunction.functionArn}:*`),
      reason:
        'LambdaInvoke grants lambda:InvokeFunction on the reconcile function and its qualified ARNs (versions, aliases) — still that one function.',
    });
  }
}

/** Scheduler, on behalf of this account and of schedules in the named group(s) only (confused deputy). */
function schedulerPrincipal(stack: Stack, groupPattern: string): ServicePrincipal {
  return new ServicePrincipal('scheduler.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'scheduler',
          resource: 'schedule-group',
          resourceName: groupPattern,
        }),
      },
    },
  });
}

function acknowledgeScheduleWildcards(role: IRole, schedules: string, groups: string): void {
  Validations.of(role).acknowledge(
    {
      id: nagResourceFinding(role, schedules),
      reason:
        'Schedule names are created at runtime (one per ladder step) inside per-plan groups; the pattern is limited to the Duban group prefix.',
    },
    {
      id: nagResourceFinding(role, groups),
      reason: 'Schedule groups of new plans are created at runtime; the pattern is limited to the Duban group prefix.',
    },
  );
}
