import { sleep } from './retry.js';

/**
 * Spaces operations to at most `ratePerSecond`, shared by every concurrent caller. SES drops what
 * exceeds the account's send rate instead of queueing it, so we wait our turn rather than be throttled.
 */
export class Pacer {
  private nextSlot = 0;
  private readonly intervalMs: number;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`send rate must be positive, got ${ratePerSecond}`);
    this.intervalMs = 1000 / ratePerSecond;
  }

  async acquire(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.wait(slot - now);
  }
}
