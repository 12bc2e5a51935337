import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { isSingleMailbox } from '../../../domain/notices/mailbox.js';
import type { Mailer, OutgoingEmail } from '../../../domain/ports.js';
import { type RetryOptions, withRetry } from '../../../domain/retry.js';
import { Pacer } from './pacer.js';

export interface SesMailerOptions {
  readonly client: SESClient;
  readonly sender: string;
  /** Messages per second: the account's SES send rate (sandbox: 1). */
  readonly maxSendRate: number;
  readonly configurationSet?: string;
  /** Per request; the local SES never answers some calls, so nothing waits forever. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<Omit<RetryOptions, 'isRetryable'>>;
}

/** An address that is not exactly one mailbox (say, one carrying `\r\nBcc:`). Its value is not repeated: no addresses in errors. */
export class InvalidRecipientError extends Error {
  constructor() {
    super('a recipient is not a single valid email address; nothing was sent');
    this.name = 'InvalidRecipientError';
  }
}

/**
 * nodemailer's MIME composer (138 KB, most of it a MIME-type table) loads on the first send, not when a
 * worker starts: a cold start does not pay for it, and a warm worker has it.
 */
let composer: Promise<typeof import('nodemailer/lib/mail-composer/index.js')> | undefined;
async function mailComposer() {
  composer ??= import('nodemailer/lib/mail-composer/index.js');
  return (await composer).default;
}

/** Throttling and server faults are worth another try; a rejected message or a daily quota is not. */
export function isRetryableSesError(error: unknown): boolean {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  if (/daily message quota/i.test(e?.message ?? '')) return false;
  if (['Throttling', 'ThrottlingException', 'TooManyRequestsException'].includes(e?.name ?? '')) return true;
  if (/maximum sending rate exceeded/i.test(e?.message ?? '')) return true;
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500 || e?.$fault === 'server') return true;
  return ['TimeoutError', 'AbortError', 'ECONNRESET', 'ECONNREFUSED'].includes(e?.name ?? '');
}

/** Sends through SES `SendRawEmail`, MIME built by nodemailer's composer (UTF-8 headers, HTML + text, attachments). */
export class SesMailer implements Mailer {
  private readonly pacer: Pacer;

  constructor(private readonly options: SesMailerOptions) {
    this.pacer = new Pacer(options.maxSendRate);
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    // Plans are validated on the way in; this is the last line of defence before an address becomes a header.
    for (const address of [...email.to, ...email.cc]) {
      if (!isSingleMailbox(address)) throw new InvalidRecipientError();
    }
    const MailComposer = await mailComposer();
    const raw = await new MailComposer({
      from: this.options.sender,
      to: [...email.to],
      cc: [...email.cc],
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: email.attachments?.map((a) => ({ ...a })),
    })
      .compile()
      .build();
    return withRetry(
      async () => {
        const out = await this.pacer.run(
          () =>
            this.options.client.send(
              new SendRawEmailCommand({
                Source: this.options.sender,
                Destinations: [...email.to, ...email.cc],
                RawMessage: { Data: raw },
                ConfigurationSetName: this.options.configurationSet,
                // SES puts these in every event about the message: how the events function finds the notice.
                Tags: email.tags && Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
              }),
              // 8 attempts × 10 s + backoff (≤ 17 s) stays inside the sender's 120 s claim lease.
              { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) },
            ),
          // SES's rate counts recipients: a summons (head, supervisor copied) takes two slots.
          email.to.length + email.cc.length,
        );
        if (!out.MessageId) throw new Error('SES accepted the message but returned no MessageId');
        return { messageId: out.MessageId };
      },
      { attempts: 8, baseMs: 200, maxMs: 5_000, ...this.options.retry, isRetryable: isRetryableSesError },
    );
  }
}
