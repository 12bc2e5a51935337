import { decodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import { mailerFromConfig, makeSenderStores, makeSuppressionList } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readMailConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeWorkerHandler } from '../shared/handlers/dispatchWorkerHandler.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const mail = readMailConfig();
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT, sesEndpoint: base.SES_ENDPOINT };

/** SQS event source target: notices in, each sent exactly once at this worker's share of the SES rate. */
export const handler = makeWorkerHandler({
  ...makeSenderStores(endpoints, base.TABLE_NAME),
  mailer: mailerFromConfig(endpoints, mail),
  suppression: makeSuppressionList(endpoints),
  decode: decodeNotice,
  clock: systemClock,
  log: powertoolsLog(),
});
