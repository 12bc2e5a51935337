import { makeStores } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeSubmissionsApiHandler } from '../shared/handlers/submissionsApiHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const { calendar, submissions } = makeStores(
  { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT },
  base.TABLE_NAME,
);

/** `POST /plans/{plan}/submissions` of the admin API: records that a unit delivered. */
export const handler = makeSubmissionsApiHandler({ calendar, submissions, clock: systemClock, log: powertoolsLog() });
