import { mailerFromConfig, makeStores } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readMailConfig } from '../shared/config.js';
import { makeDeliveryEventsHandler } from '../shared/handlers/deliveryEventsHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const mail = readMailConfig();
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT, sesEndpoint: base.SES_ENDPOINT };
const { calendar, ledger } = makeStores(endpoints, base.TABLE_NAME);

/** SES events (EventBridge): what became of each notice, recorded on it; the office told of failures. */
export const handler = makeDeliveryEventsHandler({
  calendar,
  ledger,
  mailer: mailerFromConfig(endpoints, mail),
  log: powertoolsLog(),
});
