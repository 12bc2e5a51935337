import { type DeliveryDeps, type DeliveryOutcome, recordDeliveryEvent } from '../domain/delivery/recordDelivery.js';
import { deliveryEventOf } from './sesEvent.js';

export type DeliveryEventsResult = { readonly status: 'ignored' } | ({ readonly status: 'recorded' } & DeliveryOutcome);

/**
 * The SES events target (EventBridge): parse the event, record it on its notice, tell the office of a
 * failure. Throws when the ledger or the office message fails, so that EventBridge's and Lambda's
 * retries (then the DLQ and its alarm) take over; repeating an event is safe.
 */
export function makeDeliveryEventsHandler(deps: DeliveryDeps) {
  return async (event: unknown): Promise<DeliveryEventsResult> => {
    const delivery = deliveryEventOf(event);
    if (!delivery) return { status: 'ignored' };
    const outcome = await recordDeliveryEvent(deps, delivery);
    deps.log.info('delivery event recorded', {
      plan: delivery.key.plan,
      milestone: delivery.key.milestone,
      stage: delivery.key.stage,
      occurrence: delivery.key.occurrence,
      unit: delivery.key.unit,
      role: delivery.key.role,
      delivery: outcome.delivery,
      failed: outcome.failed.length,
      told: outcome.told.length,
    });
    return { status: 'recorded', ...outcome };
  };
}
