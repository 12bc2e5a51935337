import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { getConnInfo, handle, type LambdaEvent } from 'hono/aws-lambda';
import { makeS3Client } from '../shared/adapters/aws/clients.js';
import { KmsMacSigner, makeKmsClient } from '../shared/adapters/aws/kms/kmsMacSigner.js';
import { reconcileRequester } from '../shared/adapters/aws/lambdaInvoker.js';
import { S3AttachmentStore } from '../shared/adapters/aws/s3/s3AttachmentStore.js';
import { mailerFromConfig, makeStores, makeSuppressionList } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { exceljsSheets } from '../shared/adapters/sheets/exceljsSheets.js';
import { readBaseConfig, readMailConfig, readPortalConfig, readPortalFunctionConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makePortalApp } from '../shared/handlers/portal/app.js';
import { FailureLimiter } from '../shared/handlers/portal/limiter.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const links = readPortalConfig();
const portal = readPortalFunctionConfig();
const mail = readMailConfig();
const kms = makeKmsClient(base.AWS_REGION);
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT, sesEndpoint: base.SES_ENDPOINT };
const stores = makeStores(endpoints, base.TABLE_NAME);
const linkSigner = new KmsMacSigner(kms, links.LINK_KEY_ID);

const app = makePortalApp({
  calendar: stores.calendar,
  links: stores.calendar,
  submissions: stores.submissions,
  ledger: stores.ledger,
  exits: stores.exits,
  sheets: exceljsSheets,
  attachments: new S3AttachmentStore(makeS3Client({ region: base.AWS_REGION }), portal.ATTACHMENTS_BUCKET),
  // It verifies links, and mints one only inside the answer a reviewer sends a unit; sessions have a key of their own.
  linkSigner,
  sessionSigner: new KmsMacSigner(kms, portal.SESSION_KEY_ID),
  portal: { baseUrl: links.PORTAL_URL, signer: linkSigner },
  mailer: mailerFromConfig(endpoints, mail),
  suppression: makeSuppressionList(endpoints),
  // A unit's new date moves its schedules through the reconcile function: the portal writes no schedule.
  requestReconcile: reconcileRequester(portal.RECONCILE_FUNCTION_ARN, base.AWS_REGION),
  clock: systemClock,
  log: powertoolsLog(),
  publicUrl: links.PORTAL_URL,
  uploadOrigin: portal.UPLOAD_ORIGIN,
  secureCookies: true,
  badLinks: new FailureLimiter(),
  clientIp: (c) => getConnInfo(c).remote.address,
});
const honoHandler = handle(app);

/**
 * 督办门户 behind an API Gateway HTTP API (payload 2.0). Hono's own Lambda types differ from @types/aws-lambda
 * in details (nullable body, header arrays); the shapes are the same, so they meet here once.
 */
export const handler = (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> =>
  honoHandler(event as unknown as LambdaEvent, context) as Promise<APIGatewayProxyStructuredResultV2>;
