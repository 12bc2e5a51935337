import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { makeStores } from '../shared/adapters/wiring.js';
import { readBaseConfig } from '../shared/config.js';
import { makeSubmissionsApiHandler } from '../shared/handlers/submissionsApiHandler.js';
import { systemClock } from '../shared/local/virtualClock.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const { calendar, submissions } = makeStores(
  { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT },
  base.TABLE_NAME,
);

/** `POST /plans/{plan}/submissions` of the admin API: records that a unit delivered. */
export const handler = makeSubmissionsApiHandler({ calendar, submissions, clock: systemClock, log: powertoolsLog() });
