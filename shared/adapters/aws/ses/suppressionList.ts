import { ListSuppressedDestinationsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { SuppressionList } from '../../../domain/ports.js';

export interface SesSuppressionListOptions {
  readonly client: SESv2Client;
  /**
   * How long one read of the list serves (a dispatch invocation sends a whole stage on it). An address
   * suppressed within this window is still dropped by SES, which then publishes a Bounce
   * (`OnAccountSuppressionList`) that the events function records as `suppressed`.
   * @default 300000 (5 minutes)
   */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * The account-level suppression list (SES v2), read whole with ListSuppressedDestinations (1,000 per
 * page) and kept for a few minutes, rather than one GetSuppressedDestination per recipient: a stage of
 * thousands of notices would otherwise make thousands of control-plane calls at the send rate, which
 * SES throttles far below its sending quota. A government office's list is small: one page, one call
 * per stage.
 */
export class SesSuppressionList implements SuppressionList {
  private snapshot: { readonly at: number; readonly entries: Promise<Map<string, string>> } | undefined;

  constructor(private readonly options: SesSuppressionListOptions) {}

  async suppressed(addresses: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const entries = await this.entries();
    const found = new Map<string, string>();
    for (const address of addresses) {
      const reason = entries.get(address.toLowerCase());
      if (reason !== undefined) found.set(address, reason);
    }
    return found;
  }

  private entries(): Promise<Map<string, string>> {
    const now = (this.options.now ?? Date.now)();
    if (!this.snapshot || now - this.snapshot.at > (this.options.maxAgeMs ?? 300_000)) {
      const entries = this.read();
      this.snapshot = { at: now, entries };
      // A failed read is not kept: the next notice asks again.
      entries.catch(() => {
        if (this.snapshot?.entries === entries) this.snapshot = undefined;
      });
    }
    return this.snapshot.entries;
  }

  private async read(): Promise<Map<string, string>> {
    const entries = new Map<string, string>();
    let NextToken: string | undefined;
    do {
      const page = await this.options.client.send(
        new ListSuppressedDestinationsCommand({ PageSize: 1000, ...(NextToken ? { NextToken } : {}) }),
        { abortSignal: AbortSignal.timeout(10_000) },
      );
      for (const s of page.SuppressedDestinationSummaries ?? []) {
        if (s.EmailAddress) entries.set(s.EmailAddress.toLowerCase(), s.Reason ?? 'UNKNOWN');
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return entries;
  }
}

/** The account's list in a Region (or the SDK's default one), through its own SES v2 client. */
export const awsSuppressionList = (region: string | undefined) =>
  new SesSuppressionList({ client: new SESv2Client({ ...(region ? { region } : {}), maxAttempts: 4 }) });
