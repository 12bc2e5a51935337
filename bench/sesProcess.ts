import { startFauxqs } from 'fauxqs';
import { startEmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { startThrottlingSes } from './throttlingSes.js';

/**
 * Child-process entry (see remoteSes.ts), one job per process so none disturbs another's clock:
 * `emulator` runs aws-ses-v2-local (its MIME parsing is the heavy part); `proxy <rate> <upstream>` runs
 * the throttling stand-in in front of it; `dynamodb` runs dynalite and `sqs` fauxqs, for the fan-out
 * bench. None shares the event loop of the senders being measured, as the AWS services would not.
 * Prints `{"endpoint": …}` once listening; exits when its stdin closes (the parent is gone) or on SIGTERM.
 */
const [mode, rateArg, upstream] = process.argv.slice(2);

async function start(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  if (mode === 'emulator') {
    const stack = await startEmbeddedStack();
    return { endpoint: stack.sesEndpoint, stop: () => stack.stop() };
  }
  if (mode === 'dynamodb') {
    const stack = await startEmbeddedStack({ tableName: 'bench' });
    return { endpoint: stack.dynamodbEndpoint, stop: () => stack.stop() };
  }
  if (mode === 'sqs') {
    const server = await startFauxqs({ port: 0, logger: false });
    return { endpoint: server.address, stop: () => server.stop() };
  }
  const rate = Number(rateArg);
  if (mode !== 'proxy' || !(rate > 0) || !upstream)
    throw new Error(
      `usage: sesProcess.ts emulator | proxy <rate> <upstream|none> | dynamodb | sqs, got ${process.argv.slice(2).join(' ')}`,
    );
  const ses = await startThrottlingSes({ rate, ...(upstream === 'none' ? {} : { upstream }) });
  return { endpoint: ses.endpoint, stop: () => ses.close() };
}

const server = await start();
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
