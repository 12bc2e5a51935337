import type { Clock } from '../ports.js';

/** A clock that only moves when told: simulations run a year in a second. */
export class VirtualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  /** Moves forward (never back: time does not reverse for a schedule store). */
  advanceTo(instant: number): void {
    if (instant > this.current) this.current = instant;
  }
}

export const systemClock: Clock = { now: () => Date.now() };
