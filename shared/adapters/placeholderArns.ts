import type { TargetArns } from './eventBridgeScheduleStore.js';

/** AWS's documentation account id: obviously not a real account, yet it passes every ARN pattern. */
export const PLACEHOLDER_ACCOUNT = '123456789012';
export const PLACEHOLDER_REGION = 'us-east-1';

/**
 * ARNs shaped exactly like the deployed ones (names as the stack gives them), so a dry run builds and
 * validates the very requests a real run would send, without an AWS account.
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
