import type { SESClient } from '@aws-sdk/client-ses';
import { Pacer } from '../shared/pacer.js';

/**
 * A client whose every send goes through its own `Pacer` at `rate`: what a fan-out worker does with its
 * share of the account's rate (the mailer already paces its own sends the same way).
 */
export function guardSendWindow(client: SESClient, rate: number): SESClient {
  const pacer = new Pacer(rate);
  const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const guarded = (...args: unknown[]) => pacer.run(() => send(...args));
  return new Proxy(client, {
    get: (target, key, receiver) => (key === 'send' ? guarded : Reflect.get(target, key, receiver)),
  });
}
