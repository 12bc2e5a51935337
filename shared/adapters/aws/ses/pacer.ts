import { sleep } from '../../../domain/retry.js';

/**
 * Keeps operations at or below `ratePerSecond`, shared by every concurrent caller. SES drops what
 * exceeds the account's send rate instead of queueing it, so we wait our turn rather than be throttled.
 *
 * Two rules: starts are spaced 1/rate apart, and operation k + rate may start only one second after
 * operation k was *answered*. SES counts a request somewhere between our send and its answer, so
 * anchoring on the answer holds under any jitter on our side (a GC pause, a cold connection, a timer
 * firing a millisecond early); spacing alone let about one request a second through the limit.
 */
export class Pacer {
  private nextSlot = 0;
  private started = 0;
  private readonly intervalMs: number;
  private readonly rate: number;
  private readonly answered = new Map<number, Promise<number>>();

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`send rate must be positive, got ${ratePerSecond}`);
    this.intervalMs = 1000 / ratePerSecond;
    this.rate = Math.max(1, Math.floor(ratePerSecond));
  }

  /**
   * Runs `operation` when both rules allow it. `weight`: the slots it takes, for SES its recipients (its
   * quotas count recipients, not messages): a message to 3 takes 3 consecutive slots, spaced as 3 sends
   * would be, each answered when it is.
   */
  async run<T>(operation: () => Promise<T>, weight = 1): Promise<T> {
    const slots = Math.max(1, Math.ceil(weight));
    const first = this.started;
    this.started += slots;
    let answer: (at: number) => void = () => undefined;
    const answered = new Promise<number>((resolve) => {
      answer = resolve;
    });
    for (let k = first; k < first + slots; k++) this.answered.set(k, answered);
    await this.spaced(slots);
    const anchors = [];
    // Slot k waits for slot k − rate's answer; slots of this same operation (a message to more recipients
    // than the rate) go out together, as SES counts them.
    for (let k = first; k < first + slots && k - this.rate < first; k++) {
      const anchor = this.answered.get(k - this.rate);
      if (anchor) anchors.push(anchor);
      this.answered.delete(k - this.rate);
    }
    if (anchors.length > 0) {
      const until = Math.max(...(await Promise.all(anchors))) + 1000;
      // Timers may fire early: wait again until the window has really passed.
      for (let left = until - this.now(); left > 0; left = until - this.now()) await this.wait(left);
    }
    try {
      return await operation();
    } finally {
      answer(this.now());
    }
  }

  /** Waits for the last of `slots` consecutive start slots, 1/rate apart. */
  private async spaced(slots: number): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot) + (slots - 1) * this.intervalMs;
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.wait(slot - now);
  }
}
