import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { getConnInfo, handle, type LambdaEvent } from 'hono/aws-lambda';
import { makeS3Client } from '../shared/adapters/aws/clients.js';
import { KmsMacSigner, makeKmsClient } from '../shared/adapters/aws/kms/kmsMacSigner.js';
import { S3AttachmentStore } from '../shared/adapters/aws/s3/s3AttachmentStore.js';
import { makeStores } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import { readBaseConfig, readPortalConfig, readPortalFunctionConfig } from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makePortalApp } from '../shared/handlers/portal/app.js';
import { FailureLimiter } from '../shared/handlers/portal/limiter.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const links = readPortalConfig();
const portal = readPortalFunctionConfig();
const kms = makeKmsClient(base.AWS_REGION);
const stores = makeStores({ region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT }, base.TABLE_NAME);

const app = makePortalApp({
  calendar: stores.calendar,
  links: stores.calendar,
  submissions: stores.submissions,
  ledger: stores.ledger,
  attachments: new S3AttachmentStore(makeS3Client({ region: base.AWS_REGION }), portal.ATTACHMENTS_BUCKET),
  // The portal may only verify links (kms:VerifyMac); it signs its sessions with a key of their own.
  linkSigner: new KmsMacSigner(kms, links.LINK_KEY_ID),
  sessionSigner: new KmsMacSigner(kms, portal.SESSION_KEY_ID),
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
