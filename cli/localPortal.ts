import { makeS3Client } from '../shared/adapters/aws/clients.js';
import { S3AttachmentStore } from '../shared/adapters/aws/s3/s3AttachmentStore.js';
import type { StoreAdapters } from '../shared/adapters/aws/wiring.js';
import {
  adaptClientToLocalS3,
  ensureBucket,
  LOCAL_S3_CREDENTIALS,
  type LocalS3,
  startLocalS3,
} from '../shared/adapters/local/localS3.js';
import { serveApp, socketIp } from '../shared/adapters/local/nodeServer.js';
import { exceljsSheets } from '../shared/adapters/sheets/exceljsSheets.js';
import type { MacSigner } from '../shared/domain/links/ports.js';
import type { Log } from '../shared/domain/log.js';
import type { Clock, Mailer, ScheduleStore } from '../shared/domain/ports.js';
import type { OfficeDeps } from '../shared/handlers/office/deps.js';
import { makePortalApp } from '../shared/handlers/portal/app.js';
import type { PortalDeps } from '../shared/handlers/portal/deps.js';
import { FailureLimiter } from '../shared/handlers/portal/limiter.js';

/** The bucket attachments go to on the local stack. */
export const LOCAL_BUCKET = 'duban-attachments';

export interface LocalPortalOptions {
  readonly stores: Pick<StoreAdapters, 'calendar' | 'submissions' | 'ledger' | 'exits'>;
  /** Answers to units (办结, 退回, decisions) go out through it, to the local SES. */
  readonly mailer: Mailer;
  /** The local schedules, which a unit's new date moves at once (as reconcile would on AWS). */
  readonly schedules: ScheduleStore;
  readonly region: string;
  readonly linkSigner: MacSigner;
  readonly sessionSigner: MacSigner;
  readonly clock: Clock;
  readonly log: Log;
  /** Fixed ports for `npm run local`; free ones when 0 or absent. */
  readonly portalPort?: number;
  readonly s3Port?: number;
  /** Where the local S3 keeps its objects (a temporary directory when absent). */
  readonly s3Directory?: string;
  /**
   * The office's pages (sign-in, board, console) on the same server, with what they need beyond the portal.
   * @default - the units' portal only
   */
  readonly office?: Omit<OfficeDeps, 'publicUrl' | 'secureCookies' | 'clock' | 'log' | 'signInLimiter' | 'clientIp'>;
}

export interface LocalPortal {
  readonly url: string;
  readonly s3: LocalS3;
  readonly deps: PortalDeps;
  stop(): Promise<void>;
}

/**
 * The portal on this machine: the same Hono app as the Lambda, served by Node on 127.0.0.1, with its
 * attachments in the local S3 stand-in through the same S3 client, and local keys for links and sessions.
 */
export async function startLocalPortal(options: LocalPortalOptions): Promise<LocalPortal> {
  const origins: string[] = [];
  const s3 = await startLocalS3({
    allowedOrigins: origins,
    ...(options.s3Port ? { port: options.s3Port } : {}),
    ...(options.s3Directory ? { directory: options.s3Directory } : {}),
  });
  const client = adaptClientToLocalS3(
    makeS3Client({ region: options.region, s3Endpoint: s3.endpoint }, LOCAL_S3_CREDENTIALS),
  );
  await ensureBucket(client, LOCAL_BUCKET);
  let app: ReturnType<typeof makePortalApp> | undefined;
  const server = await serveApp(
    { fetch: (request, env) => (app as NonNullable<typeof app>).fetch(request, env) },
    options.portalPort ?? 0,
  );
  origins.push(server.url);
  const deps: PortalDeps = {
    calendar: options.stores.calendar,
    links: options.stores.calendar,
    submissions: options.stores.submissions,
    ledger: options.stores.ledger,
    exits: options.stores.exits,
    sheets: exceljsSheets,
    attachments: new S3AttachmentStore(client, LOCAL_BUCKET),
    linkSigner: options.linkSigner,
    sessionSigner: options.sessionSigner,
    portal: { baseUrl: server.url, signer: options.linkSigner },
    mailer: options.mailer,
    schedules: options.schedules,
    clock: options.clock,
    log: options.log,
    publicUrl: server.url,
    uploadOrigin: s3.endpoint,
    secureCookies: false,
    badLinks: new FailureLimiter(),
    clientIp: socketIp,
  };
  app = makePortalApp(
    deps,
    options.office && {
      ...options.office,
      // Units' links (a resent link, the answers to reviews) point to this server.
      portal: { ...options.office.portal, baseUrl: server.url },
      publicUrl: server.url,
      secureCookies: false,
      clock: options.clock,
      log: options.log,
      signInLimiter: new FailureLimiter(),
      clientIp: socketIp,
    },
  );
  return {
    url: server.url,
    s3,
    deps,
    async stop() {
      await server.stop();
      client.destroy();
      await s3.stop();
    },
  };
}
