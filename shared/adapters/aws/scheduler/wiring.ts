import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SchedulingConfig } from '../../../config.js';
import { EventBridgeScheduleStore } from './eventBridgeScheduleStore.js';

/**
 * The EventBridge Scheduler store of a function that writes schedules, from its scheduling environment.
 * Call it once at module scope: the client it makes is then reused by every invocation of the container.
 *
 * `client` is a seam for tests that need a specific client; `mockClient(SchedulerClient)` already
 * intercepts the default one, so most tests do not need it.
 */
export function makeEventBridgeScheduleStore(
  config: SchedulingConfig,
  /** A region or a provider of one; undefined: the SDK's default chain (AWS_REGION, then the profile's). */
  region: string | (() => Promise<string>) | undefined,
  // Reconcile sends its requests one after another and Scheduler throttles control-plane calls per
  // account; a few more attempts than the SDK's default 3 (with its backoff) ride out a burst of them.
  client: SchedulerClient = new SchedulerClient({ maxAttempts: 8, ...(region ? { region } : {}) }),
): EventBridgeScheduleStore {
  return new EventBridgeScheduleStore({
    client,
    groupPrefix: config.SCHEDULE_GROUP_PREFIX,
    targetArn: config.DISPATCH_FUNCTION_ARN,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.SCHEDULE_DLQ_ARN,
  });
}
