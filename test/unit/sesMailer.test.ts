import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SesMailer } from '../../shared/adapters/aws/ses/sesMailer.js';

const email = { to: ['office@pengjiang.jiangmen.example'], cc: [], subject: '提醒', text: 't', html: '<p>h</p>' };
const throttled = () =>
  Object.assign(new Error('Maximum sending rate exceeded.'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });

describe('SesMailer', () => {
  it('sends one raw message to the recipients and copies through SendRawEmail', async () => {
    // Prepare
    const ses = mockClient(SESClient);
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({
      client: new SESClient({ region: 'us-east-1' }),
      sender: 'duban@jiangmen.example',
      maxSendRate: 100,
    });

    // Act
    const out = await mailer.send({ ...email, cc: ['supervisor@pengjiang.jiangmen.example'] });

    // Assess
    expect(out).toEqual({ messageId: 'm-1' });
    expect(ses).toHaveReceivedCommandWith(SendRawEmailCommand, {
      Source: 'duban@jiangmen.example',
      Destinations: ['office@pengjiang.jiangmen.example', 'supervisor@pengjiang.jiangmen.example'],
    });
    const raw = Buffer.from(ses.commandCalls(SendRawEmailCommand)[0]?.args[0].input.RawMessage?.Data ?? []).toString();
    expect(raw).toMatch(/^Cc: supervisor@pengjiang\.jiangmen\.example$/m);
    ses.restore();
  });

  it('retries a throttled send with backoff until SES accepts it', async () => {
    // Prepare
    const ses = mockClient(SESClient);
    ses.on(SendRawEmailCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MessageId: 'm-2' });
    const mailer = new SesMailer({
      client: new SESClient({ region: 'us-east-1' }),
      sender: 'duban@jiangmen.example',
      maxSendRate: 100,
      retry: { baseMs: 1, maxMs: 2 },
    });

    // Act
    const out = await mailer.send(email);

    // Assess
    expect(out.messageId).toBe('m-2');
    expect(ses).toHaveReceivedCommandTimes(SendRawEmailCommand, 3);
    ses.restore();
  });

  it('does not retry a message SES rejects, and refuses an injected header before calling SES', async () => {
    // Prepare
    const ses = mockClient(SESClient);
    ses
      .on(SendRawEmailCommand)
      .rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const mailer = new SesMailer({
      client: new SESClient({ region: 'us-east-1' }),
      sender: 'duban@jiangmen.example',
      maxSendRate: 100,
    });

    // Act / Assess
    await expect(mailer.send(email)).rejects.toThrow('Email address is not verified.');
    await expect(mailer.send({ ...email, to: ['a@x.example\r\nBcc: victim@evil.example'] })).rejects.toThrow(
      'a recipient is not a single valid email address',
    );
    expect(ses).toHaveReceivedCommandTimes(SendRawEmailCommand, 1);
    ses.restore();
  });
});
