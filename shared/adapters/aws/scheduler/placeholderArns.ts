import type { TargetArns } from './eventBridgeScheduleStore.js';

/** AWS's documentation account id: obviously not a real account, yet it passes every ARN pattern. */
export const PLACEHOLDER_ACCOUNT = '123456789012';
export const PLACEHOLDER_REGION = 'us-east-1';

/**
 * ARNs shaped exactly like deployed ones (partition, service, region, 12-digit account, resource type),
 * so a dry run builds and validates the very requests a real run would send, without an AWS account.
 * The names are only illustrative: the stack sets no FunctionName, RoleName or QueueName, so
 * CloudFormation generates them (`Duban-DispatcherDispatchFunction…`); a run against AWS uses the real
 * ARNs from the stack outputs (DISPATCH_FUNCTION_ARN, SCHEDULER_ROLE_ARN, SCHEDULE_DLQ_ARN).
 */
export function placeholderTargets(
  region: string = PLACEHOLDER_REGION,
  account: string = PLACEHOLDER_ACCOUNT,
): TargetArns {
  return {
    targetArn: `arn:aws:lambda:${region}:${account}:function:duban-dispatch`,
    roleArn: `arn:aws:iam::${account}:role/duban-scheduler`,
    deadLetterArn: `arn:aws:sqs:${region}:${account}:duban-schedules-dlq`,
  };
}

export const PLACEHOLDER_TARGETS: TargetArns = placeholderTargets();
