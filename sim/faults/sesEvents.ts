import type { OutgoingEmail } from '../../shared/domain/ports.js';

/** The SES event types a simulation produces, as SES names them in `detail.eventType`. */
export type SesEventType = 'Delivery' | 'Bounce' | 'Complaint' | 'DeliveryDelay' | 'Reject';

const DETAIL_TYPE: Record<SesEventType, string> = {
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  DeliveryDelay: 'Email Delivery Delayed',
  Reject: 'Email Rejected',
};

export interface SentMessage {
  readonly messageId: string;
  /** Epoch ms SES accepted it. */
  readonly sentAt: number;
  readonly email: Pick<OutgoingEmail, 'to' | 'cc' | 'tags'>;
}

/**
 * An SES event as EventBridge delivers it from a configuration set's event destination (`source`
 * `aws.ses`, SES's event record in `detail`, tags as lists of values), for the simulation and the tests:
 * the events handler reads exactly this shape on AWS.
 */
export function sesEvent(
  type: SesEventType,
  message: SentMessage,
  recipients: readonly string[],
  at: number,
  options: { bounceSubType?: string } = {},
): Record<string, unknown> {
  const iso = new Date(at).toISOString();
  const mail = {
    timestamp: new Date(message.sentAt).toISOString(),
    source: 'duban@example.gov.cn',
    messageId: message.messageId,
    destination: [...message.email.to, ...message.email.cc],
    tags: {
      'ses:configuration-set': ['duban'],
      ...Object.fromEntries(Object.entries(message.email.tags ?? {}).map(([name, value]) => [name, [value]])),
    },
  };
  const body: Record<SesEventType, Record<string, unknown>> = {
    Delivery: { delivery: { timestamp: iso, recipients: [...recipients], smtpResponse: '250 2.0.0 OK' } },
    Bounce: {
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: options.bounceSubType ?? 'General',
        bouncedRecipients: recipients.map((emailAddress) => ({
          emailAddress,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        })),
        timestamp: iso,
      },
    },
    Complaint: {
      complaint: {
        complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
        complaintFeedbackType: 'abuse',
        timestamp: iso,
      },
    },
    DeliveryDelay: {
      deliveryDelay: {
        delayType: 'MailboxFull',
        delayedRecipients: recipients.map((emailAddress) => ({ emailAddress, status: '4.2.2' })),
        timestamp: iso,
      },
    },
    Reject: { reject: { reason: 'Bad content' } },
  };
  return {
    version: '0',
    id: `sim-${message.messageId}-${type}`,
    'detail-type': DETAIL_TYPE[type],
    source: 'aws.ses',
    time: iso,
    region: 'cn-north-1',
    resources: [],
    detail: { eventType: type, mail, ...body[type] },
  };
}
