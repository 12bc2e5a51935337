import pLimit from 'p-limit';
import { makeSesClient } from '../shared/adapters/aws/clients.js';
import { SesMailer } from '../shared/adapters/aws/ses/sesMailer.js';
import { sleep } from '../shared/domain/retry.js';
import { startRemoteSes } from './remoteSes.js';
import { round } from './round.js';
import { reminderEmails } from './syntheticPlan.js';
import { peakInWindow } from './throttlingSes.js';

export interface PacingOptions {
  readonly region: string;
  /** The stand-in's send rate: SES's maximum send rate. */
  readonly rate: number;
  /** The mailer's `maxSendRate`. @default rate */
  readonly maxSendRate?: number;
  readonly notices: number;
  /** Senders sharing the one mailer (as dispatch's pool does). */
  readonly senders: number;
}

export interface PacingResult {
  readonly rate: number;
  readonly maxSendRate: number;
  readonly notices: number;
  readonly senders: number;
  /** Notices per second, end to end: the first send started to the last one answered. */
  readonly achievedRate: number;
  /** Requests the stand-in refused with SES's Throttling error (each was retried by the mailer). */
  readonly throttled: number;
  readonly ratio: number;
  /** Most requests the stand-in accepted within any one second. */
  readonly peakPerSecond: number;
  readonly wallMs: number;
}

/** Sends `notices` real reminders through one SesMailer at `maxSendRate` against SES limited to `rate`. */
export async function runPacing(options: PacingOptions): Promise<PacingResult> {
  const emails = reminderEmails(options.notices);
  const maxSendRate = options.maxSendRate ?? options.rate;
  const ses = await startRemoteSes(options.rate);
  const client = makeSesClient({ region: options.region, sesEndpoint: ses.endpoint });
  const mailer = () => new SesMailer({ client, sender: 'duban@office.bench.example', maxSendRate });
  try {
    // Warm up what a running Lambda has warm (keep-alive sockets, JIT-compiled SDK and MIME code): one
    // send per sender, then a quiet second so that SES's window is empty when the measurement starts.
    const warm = mailer();
    await pLimit(options.senders).map(reminderEmails(options.senders), (email) => warm.send(email));
    await sleep(1_100);
    const measured = mailer();
    const started = performance.now();
    await pLimit(options.senders).map(emails, (email) => measured.send(email));
    const wallMs = performance.now() - started;
    const { throttled, arrivals } = await ses.stats();
    const achievedRate = options.notices / (wallMs / 1000);
    return {
      rate: options.rate,
      maxSendRate,
      notices: options.notices,
      senders: options.senders,
      achievedRate: round(achievedRate, 1),
      throttled,
      ratio: round(achievedRate / options.rate, 3),
      peakPerSecond: peakInWindow(arrivals),
      wallMs: Math.round(wallMs),
    };
  } finally {
    client.destroy();
    await ses.close();
  }
}
