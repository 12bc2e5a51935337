import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeDynamoClients } from '../aws/clients.js';
import { ensureTable } from '../aws/dynamo/table.js';

/** DynamoDB and SES stand-ins in this process, on free loopback ports: the AWS SDK talks to them as to AWS. */
export interface EmbeddedStack {
  readonly region: string;
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
  /** aws-ses-v2-local's mailbox UI. */
  readonly mailboxUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedStackOptions {
  /** Persist DynamoDB data in this LevelDB directory (in memory when absent). */
  readonly dynamoPath?: string;
  /** Fixed ports for a long-running stack; free ports when 0 or absent. */
  readonly dynamoPort?: number;
  readonly sesPort?: number;
  readonly tableName?: string;
}

const HOST = '127.0.0.1';

async function listen(server: Server, port: number): Promise<number> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

type SesLocalStart = (o: { port: number; host: string }) => Promise<Server>;

/** aws-ses-v2-local is CommonJS with an `exports.default`; how it surfaces depends on the loader (Node, tsx, vitest). */
async function startSesLocal(port: number): Promise<Server> {
  const mod = (await import('aws-ses-v2-local')) as { default: SesLocalStart | { default: SesLocalStart } };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  return start({ port, host: HOST });
}

export async function startEmbeddedStack(options: EmbeddedStackOptions = {}): Promise<EmbeddedStack> {
  const region = 'us-east-1';
  const tableName = options.tableName ?? 'duban';
  // The stand-ins are development tools, loaded only by the commands that start a stack.
  const { default: dynalite } = await import('dynalite');
  const ddbServer = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dynamoPath ? { path: options.dynamoPath } : {}),
  });
  let sesServer: Server | undefined;
  let ddbPort: number;
  let sesPort: number;
  try {
    ddbPort = await listen(ddbServer, options.dynamoPort ?? 0);
    sesServer = await startSesLocal(options.sesPort ?? 0);
    sesPort = await listen(sesServer, options.sesPort ?? 0);
  } catch (error) {
    // Leave nothing listening behind: a half-started stack would keep the process alive.
    await Promise.all([close(ddbServer), sesServer ? close(sesServer) : undefined]);
    throw error;
  }
  const ses = sesServer;
  const dynamodbEndpoint = `http://${HOST}:${ddbPort}`;
  const sesEndpoint = `http://${HOST}:${sesPort}`;

  const { ddb } = makeDynamoClients({ region, dynamodbEndpoint });
  await ensureTable(ddb, tableName);
  ddb.destroy();

  return {
    region,
    tableName,
    dynamodbEndpoint,
    sesEndpoint,
    mailboxUrl: `${sesEndpoint}/`,
    async stop() {
      await Promise.all([close(ddbServer), close(ses)]);
    },
  };
}

/** An email as the local SES stored it (GET /store). */
export interface StoredEmail {
  readonly messageId: string;
  readonly subject: string;
  readonly destination: { to: string[]; cc: string[]; bcc: string[] };
  readonly body: { text?: string; html?: string };
  readonly attachments?: { filename?: string; contentType?: string; content?: string }[];
  readonly at: number;
}

export async function fetchMailbox(stack: Pick<EmbeddedStack, 'sesEndpoint'>): Promise<StoredEmail[]> {
  const res = await fetch(`${stack.sesEndpoint}/store`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`local SES store answered ${res.status}`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}
