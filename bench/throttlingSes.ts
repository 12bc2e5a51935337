import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SES with a send rate, on loopback: a proxy in front of aws-ses-v2-local (which has no rate limit) that
 * answers SES's real throttling error whenever a request would make more than `rate` accepted requests
 * in the last `windowMs` — a sliding window, stricter than a per-second bucket: a client that bunches
 * two requests across a second boundary is caught. Throttled requests do not count towards the window
 * (SES does not send them either), so one burst is refused once, not forever.
 */
export interface ThrottlingSes {
  readonly endpoint: string;
  readonly rate: number;
  /** Requests forwarded and refused since the last reset; `arrivals` are the forwarded ones' times (ms). */
  stats(): { accepted: number; throttled: number; arrivals: readonly number[] };
  reset(): void;
  close(): Promise<void>;
}

export interface ThrottlingSesOptions {
  /**
   * aws-ses-v2-local's endpoint, e.g. `http://127.0.0.1:8005`; absent, the stand-in answers an accepted
   * request itself, as SES does, without parsing or keeping the message (the fan-out bench: 20,000
   * messages parsed for a mailbox nobody reads would take a core from the senders being measured).
   */
  readonly upstream?: string;
  /** Accepted requests per window. */
  readonly rate: number;
  /** @default 1000 */
  readonly windowMs?: number;
}

/** Requests under this path are the bench's own (stats, reset), never throttled or forwarded. */
export const CONTROL_PATH = '/__bench/';

/** The body SES (Query protocol) sends with HTTP 400 when the account's maximum send rate is exceeded. */
export const throttlingXml = (requestId: string) =>
  '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code>' +
  `<Message>Maximum sending rate exceeded.</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;

export async function startThrottlingSes(options: ThrottlingSesOptions): Promise<ThrottlingSes> {
  const windowMs = options.windowMs ?? 1000;
  const upstream = options.upstream === undefined ? undefined : new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  let arrivals: number[] = [];
  // Index of the oldest arrival still inside the window: the array only grows, so pruning is a pointer move.
  let head = 0;
  let throttled = 0;

  const refuse = (req: IncomingMessage, res: ServerResponse) => {
    throttled += 1;
    const requestId = randomUUID();
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(throttlingXml(requestId));
    });
  };

  const accept = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const action = /SendEmail/.test((req.headers['x-amz-target'] as string) ?? '') ? 'SendEmail' : 'SendRawEmail';
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
      res.end(acceptedXml(action, randomUUID()));
    });
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    if (!upstream) {
      accept(req, res);
      return;
    }
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream SES failed: ${error.message}`);
    });
    req.pipe(out);
  };

  const stats = () => ({ accepted: arrivals.length, throttled, arrivals });
  const reset = () => {
    arrivals = [];
    head = 0;
    throttled = 0;
  };
  // Lets a parent process read and reset the counters when the stand-in runs in a child (remoteSes.ts).
  const control = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (req.url === `${CONTROL_PATH}reset`) reset();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats()));
  };

  const server = createServer((req, res) => {
    // The time the request's headers arrived: what a rate limiter at the service sees.
    const now = performance.now();
    if (req.url?.startsWith(CONTROL_PATH)) {
      control(req, res);
      return;
    }
    while (head < arrivals.length && (arrivals[head] as number) <= now - windowMs) head += 1;
    if (arrivals.length - head >= options.rate) {
      refuse(req, res);
      return;
    }
    arrivals.push(now);
    forward(req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    rate: options.rate,
    stats,
    reset,
    async close() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** SES's answer (Query protocol) to an accepted send. */
const acceptedXml = (action: string, messageId: string) =>
  `<${action}Response xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><${action}Result><MessageId>${messageId}</MessageId></${action}Result>` +
  `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;

/** The most accepted requests any window of `windowMs` held (a check on the stand-in and on the client). */
export function peakInWindow(arrivals: readonly number[], windowMs = 1000): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < arrivals.length; end++) {
    while ((arrivals[start] as number) <= (arrivals[end] as number) - windowMs) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
