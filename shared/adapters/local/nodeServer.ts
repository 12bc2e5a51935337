import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, Hono } from 'hono';

export interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serves a Hono app on 127.0.0.1 (a fixed port for `npm run local`, a free one for tests). */
export async function serveApp(app: Pick<Hono, 'fetch'>, port = 0): Promise<RunningServer> {
  let server: ServerType | undefined;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => resolve(info));
    server.once('error', reject);
  });
  const running = server as ServerType;
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in running) running.closeAllConnections();
        running.close(() => resolve());
      }),
  };
}

/** The client's address on the local server: the socket's peer. */
export const socketIp = (c: Context) => getConnInfo(c).remote.address;
