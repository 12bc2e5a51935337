import * as z from 'zod/mini';
import { noticeKeyFromTags } from '../domain/delivery/noticeTags.js';
import type { DeliveryEvent } from '../domain/delivery/recordDelivery.js';

/**
 * An SES event as EventBridge delivers it from the configuration set's event destination: `detail` is
 * SES's event record (eventType, mail with its tags, and the object of that type). Only what Duban reads
 * is checked; the rest passes through untouched.
 */
const address = z.object({ emailAddress: z.string() });
const sesEventSchema = z.object({
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string(),
      timestamp: z.string(),
      destination: z.array(z.string()),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
    }),
    bounce: z.optional(
      z.object({
        bounceType: z.string(),
        bounceSubType: z.string(),
        bouncedRecipients: z.array(z.object({ emailAddress: z.string(), status: z.optional(z.string()) })),
        timestamp: z.string(),
      }),
    ),
    complaint: z.optional(
      z.object({
        complainedRecipients: z.array(address),
        complaintFeedbackType: z.optional(z.string()),
        timestamp: z.string(),
      }),
    ),
    delivery: z.optional(z.object({ recipients: z.array(z.string()), timestamp: z.string() })),
    deliveryDelay: z.optional(
      z.object({ delayType: z.string(), delayedRecipients: z.array(address), timestamp: z.string() }),
    ),
    reject: z.optional(z.object({ reason: z.string() })),
  }),
});
export type SesEvent = z.infer<typeof sesEventSchema>;

/** Not an SES event at all (a misrouted event): retrying cannot help. */
export class InvalidSesEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSesEventError';
  }
}

/** Bounces SES made itself because the address is on a suppression list (it never left SES). */
const SUPPRESSED_SUBTYPES = new Set(['OnAccountSuppressionList', 'OnSuppressionList']);

/**
 * The delivery event an SES event means for a notice: `undefined` for mail that is not a notice (no
 * notice tags: an office message) or an event type Duban does not track (Send, Open, Click …).
 */
export function deliveryEventOf(raw: unknown): DeliveryEvent | undefined {
  const parsed = sesEventSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidSesEventError(
      `not an SES event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { detail } = parsed.data;
  const key = noticeKeyFromTags(detail.mail.tags ?? {});
  if (!key) return undefined;
  const at = (iso: string | undefined) => Date.parse(iso ?? detail.mail.timestamp) || Date.parse(detail.mail.timestamp);
  const { bounce, complaint, delivery, deliveryDelay, reject } = detail;
  switch (detail.eventType) {
    case 'Bounce':
      if (!bounce) break;
      return {
        key,
        delivery: SUPPRESSED_SUBTYPES.has(bounce.bounceSubType) ? 'suppressed' : 'bounced',
        at: at(bounce.timestamp),
        addresses: bounce.bouncedRecipients.map((r) => r.emailAddress),
        reason: [
          `${bounce.bounceType}/${bounce.bounceSubType}`,
          ...new Set(bounce.bouncedRecipients.flatMap((r) => (r.status ? [r.status] : []))),
        ].join(' '),
      };
    case 'Complaint':
      if (!complaint) break;
      return {
        key,
        delivery: 'complained',
        at: at(complaint.timestamp),
        addresses: complaint.complainedRecipients.map((r) => r.emailAddress),
        reason: `complaint${complaint.complaintFeedbackType ? `/${complaint.complaintFeedbackType}` : ''}`,
      };
    case 'Delivery':
      if (!delivery) break;
      return { key, delivery: 'delivered', at: at(delivery.timestamp), addresses: delivery.recipients };
    case 'DeliveryDelay':
      if (!deliveryDelay) break;
      return {
        key,
        delivery: 'delayed',
        at: at(deliveryDelay.timestamp),
        addresses: deliveryDelay.delayedRecipients.map((r) => r.emailAddress),
        reason: deliveryDelay.delayType,
      };
    case 'Reject':
      // SES refused to deliver it (a virus): nobody got it.
      return {
        key,
        delivery: 'bounced',
        at: at(undefined),
        addresses: detail.mail.destination,
        reason: `rejected: ${reject?.reason ?? 'unknown'}`,
      };
  }
  return undefined;
}
