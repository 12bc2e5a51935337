import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { getConnInfo, handle, type LambdaEvent } from 'hono/aws-lambda';
import { KmsMacSigner, makeKmsClient } from '../shared/adapters/aws/kms/kmsMacSigner.js';
import { makeEventBridgeScheduleStore } from '../shared/adapters/aws/scheduler/wiring.js';
import { mailerFromConfig, makeStores, makeSuppressionList } from '../shared/adapters/aws/wiring.js';
import { powertoolsLog } from '../shared/adapters/powertoolsLog.js';
import {
  readBaseConfig,
  readMailConfig,
  readOfficeConfig,
  readPortalConfig,
  readSchedulingConfig,
} from '../shared/config.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { registerOfficeRoutes } from '../shared/handlers/office/officeRoutes.js';
import { makeWebShell } from '../shared/handlers/portal/app.js';
import { FailureLimiter } from '../shared/handlers/portal/limiter.js';

// Config and clients once per cold start; a missing variable fails here, naming itself.
const base = readBaseConfig();
const links = readPortalConfig();
const mail = readMailConfig();
const office = readOfficeConfig();
const scheduling = readSchedulingConfig();
const endpoints = { region: base.AWS_REGION, dynamodbEndpoint: base.DYNAMODB_ENDPOINT, sesEndpoint: base.SES_ENDPOINT };
const kms = makeKmsClient(base.AWS_REGION);
const stores = makeStores(endpoints, base.TABLE_NAME);
const log = powertoolsLog();

const deps = {
  ...stores,
  schedules: makeEventBridgeScheduleStore(scheduling, base.AWS_REGION),
  mailer: mailerFromConfig(endpoints, mail),
  suppression: makeSuppressionList(endpoints),
  // People's sign-in links and sessions: a key of its own. Units' links are minted (a resend, an answer), never read.
  staffSigner: new KmsMacSigner(kms, office.STAFF_KEY_ID),
  portal: { baseUrl: links.PORTAL_URL, signer: new KmsMacSigner(kms, links.LINK_KEY_ID) },
  clock: systemClock,
  log,
  publicUrl: links.PORTAL_URL,
  secureCookies: true,
  signInLimiter: new FailureLimiter(10),
  clientIp: (c: Parameters<typeof getConnInfo>[0]) => getConnInfo(c).remote.address,
};
const app = makeWebShell({ ...deps, uploadOrigin: links.PORTAL_URL }, (web) => registerOfficeRoutes(web, deps));
const honoHandler = handle(app);

/** 督办看板 and 督办办公室工作台 behind the portal's HTTP API (its office routes), with the rights they need. */
export const handler = (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> =>
  honoHandler(event as unknown as LambdaEvent, context) as Promise<APIGatewayProxyStructuredResultV2>;
