import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { makeSesClient } from '../shared/adapters/aws/clients.js';
import { CONTROL_PATH } from './throttlingSes.js';

/** The throttling SES stand-in and its aws-ses-v2-local, each in a child process (sesProcess.ts). */
export interface RemoteSes {
  readonly endpoint: string;
  readonly rate: number;
  stats(): Promise<{ accepted: number; throttled: number; arrivals: number[] }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./sesProcess.ts', import.meta.url));

/**
 * Starts both children and warms them up (SES is never cold), so the measured run starts from zero.
 * `emulator: false`: the throttling stand-in alone, answering accepted sends itself (see throttlingSes.ts).
 */
export async function startRemoteSes(rate: number, options: { emulator?: boolean } = {}): Promise<RemoteSes> {
  const emulator = options.emulator === false ? undefined : await startChild(['emulator']);
  let proxy: Child;
  try {
    proxy = await startChild(['proxy', String(rate), emulator?.endpoint ?? 'none']);
  } catch (error) {
    await emulator?.close();
    throw error;
  }
  const call = async (action: string) => {
    const res = await fetch(`${proxy.endpoint}${CONTROL_PATH}${action}`, { signal: AbortSignal.timeout(10_000) });
    return (await res.json()) as { accepted: number; throttled: number; arrivals: number[] };
  };
  const ses: RemoteSes = {
    endpoint: proxy.endpoint,
    rate,
    stats: () => call('stats'),
    reset: async () => {
      await call('reset');
    },
    close: async () => {
      await Promise.all([proxy.close(), emulator?.close()]);
    },
  };
  try {
    await warmUp(proxy.endpoint, Math.min(20, Math.floor(rate / 2)));
    await ses.reset();
  } catch (error) {
    await ses.close();
    throw error;
  }
  return ses;
}

/** A few messages through proxy and emulator, spaced well under the rate, then nothing counted. */
async function warmUp(endpoint: string, messages: number): Promise<void> {
  const client = makeSesClient({ region: 'us-east-1', sesEndpoint: endpoint });
  try {
    for (let i = 0; i < messages; i++) {
      await client.send(
        new SendRawEmailCommand({
          Source: 'warmup@bench.example',
          Destinations: ['warmup@bench.example'],
          RawMessage: {
            Data: Buffer.from(
              'From: warmup@bench.example\r\nTo: warmup@bench.example\r\nSubject: warm-up\r\n\r\nwarm-up',
            ),
          },
        }),
        { abortSignal: AbortSignal.timeout(10_000) },
      );
    }
  } finally {
    client.destroy();
  }
}

export interface Child {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** A stand-in in a child process of its own: `dynamodb` (dynalite) or `sqs` (fauxqs), see sesProcess.ts. */
export const startStandIn = (mode: 'dynamodb' | 'sqs') => startChild([mode]);

async function startChild(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      // Closing stdin lets the child stop its servers and exit; the kill is for a child that hangs.
      child.stdin?.end();
      setTimeout(() => child.kill(), 3_000).unref();
    });
  try {
    const line = await firstLine(child);
    return { endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, close };
  } catch (error) {
    child.kill();
    throw new Error(`SES stand-in (${args[0]}) did not start: ${(error as Error).message}\n${stderr}`);
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('timed out after 30 s')), 30_000);
    child.stdout?.on('data', function onData(chunk: Buffer) {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(out.slice(0, newline));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}`));
    });
  });
}
