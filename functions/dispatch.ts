import { KmsMacSigner, makeKmsClient } from '../shared/adapters/aws/kms/kmsMacSigner.js';
import { makeMailer, makeStores, makeSuppressionList } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readMailConfig, readPortalConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeDispatchHandler } from '../shared/handlers/dispatchHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const mail = readMailConfig();
const portal = readPortalConfig();
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT, sesEndpoint: base.SES_ENDPOINT };

/** EventBridge Scheduler target: `{plan, milestone, stage, revision}` in, notices out, exactly once each. */
export const handler = makeDispatchHandler({
  ...makeStores(endpoints, base.TABLE_NAME),
  mailer: makeMailer(endpoints, {
    sender: mail.SENDER_EMAIL,
    maxSendRate: mail.MAX_SEND_RATE,
    ...(mail.SES_CONFIGURATION_SET ? { configurationSet: mail.SES_CONFIGURATION_SET } : {}),
  }).mailer,
  suppression: makeSuppressionList(endpoints),
  clock: systemClock,
  log: powertoolsLog(),
  portal: { baseUrl: portal.PORTAL_URL, signer: new KmsMacSigner(makeKmsClient(base.AWS_REGION), portal.LINK_KEY_ID) },
});
