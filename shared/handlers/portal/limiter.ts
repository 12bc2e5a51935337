/**
 * Counts failures per client in a fixed window and says when a client has had too many: bad links are
 * refused for a while after 20 in 10 minutes. In-process: on the local portal it is the limit; on AWS
 * API Gateway throttles the portal's routes in front of it, and this only slows one container's guessing.
 */
export class FailureLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 10 * 60_000,
  ) {}

  blocked(client: string, now: number): boolean {
    const w = this.#windows.get(client);
    return w !== undefined && now - w.start < this.windowMs && w.count >= this.limit;
  }

  fail(client: string, now: number): void {
    const w = this.#windows.get(client);
    if (!w || now - w.start >= this.windowMs) this.#windows.set(client, { start: now, count: 1 });
    else w.count += 1;
    // Forget old windows, so a flood of clients cannot grow the map without bound.
    if (this.#windows.size > 10_000) {
      for (const [key, value] of this.#windows) if (now - value.start >= this.windowMs) this.#windows.delete(key);
    }
  }
}
