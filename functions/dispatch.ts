import { KmsMacSigner, makeKmsClient } from '../shared/adapters/aws/kms/kmsMacSigner.js';
import { makeDispatchStores, makeWorkQueue } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readPortalConfig, readQueueConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeDispatchHandler } from '../shared/handlers/dispatchHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const queue = readQueueConfig();
const portal = readPortalConfig();
const endpoints = {
  region: base.AWS_REGION,
  dynamodbEndpoint: base.DYNAMODB_ENDPOINT,
  sqsEndpoint: queue.SQS_ENDPOINT,
};

/** EventBridge Scheduler target: `{plan, milestone, stage, revision}` in, the stage's notices enqueued for the workers. */
export const handler = makeDispatchHandler({
  ...makeDispatchStores(endpoints, base.TABLE_NAME),
  queue: makeWorkQueue(endpoints, queue.WORK_QUEUE_URL),
  clock: systemClock,
  log: powertoolsLog(),
  portal: { baseUrl: portal.PORTAL_URL, signer: new KmsMacSigner(makeKmsClient(base.AWS_REGION), portal.LINK_KEY_ID) },
});
