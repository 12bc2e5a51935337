import { KmsMacSigner, makeKmsClient } from '../shared/adapters/aws/kms/kmsMacSigner.js';
import { makeEventBridgeScheduleStore } from '../shared/adapters/aws/scheduler/wiring.js';
import { mailerFromConfig, makeStores, makeSuppressionList } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readMailConfig, readPortalConfig, readSchedulingConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeSubmissionsApiHandler } from '../shared/handlers/submissionsApiHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const mail = readMailConfig();
const portal = readPortalConfig();
const scheduling = readSchedulingConfig();
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT, sesEndpoint: base.SES_ENDPOINT };

/**
 * The clerk's routes of the admin API: submissions (record, void), their review (办结, 退回: a return moves
 * the unit's schedules) and the decisions on extension requests; the unit is told of each, with its link.
 */
export const handler = makeSubmissionsApiHandler({
  ...makeStores(endpoints, base.TABLE_NAME),
  schedules: makeEventBridgeScheduleStore(scheduling, base.AWS_REGION),
  mailer: mailerFromConfig(endpoints, mail),
  suppression: makeSuppressionList(endpoints),
  portal: { baseUrl: portal.PORTAL_URL, signer: new KmsMacSigner(makeKmsClient(base.AWS_REGION), portal.LINK_KEY_ID) },
  clock: systemClock,
  log: powertoolsLog(),
});
