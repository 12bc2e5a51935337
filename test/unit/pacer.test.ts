import pLimit from 'p-limit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from '../../shared/adapters/aws/ses/pacer.js';
import { mulberry32 } from '../../sim/faults/random.js';

/** One paced operation as SES would see it: when we sent it and when its answer came back. */
interface Span {
  readonly start: number;
  readonly answer: number;
}

/** Runs `count` operations through `pacer` from `senders` concurrent callers, each taking `latency(i)` ms. */
async function runPaced(pacer: Pacer, count: number, senders: number, latency: (i: number) => number) {
  const spans: Span[] = [];
  const done = pLimit(senders).map(
    Array.from({ length: count }, (_, i) => i),
    (i) =>
      pacer.run(async () => {
        const start = Date.now();
        await new Promise((resolve) => setTimeout(resolve, latency(i)));
        spans.push({ start, answer: Date.now() });
      }),
  );
  await vi.runAllTimersAsync();
  await done;
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * The most operations SES could count in one second, whatever instant between our send and its
 * answer it counts each one at: the worst case is counting a window's late sends at their start
 * and its early ones at their answer.
 */
function worstCasePerSecond(spans: readonly Span[]): number {
  let worst = 0;
  for (const window of spans) {
    const from = window.start;
    const inWindow = spans.filter((s) => s.answer >= from && s.start < from + 1000).length;
    worst = Math.max(worst, inWindow);
  }
  return worst;
}

describe('Pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces starts 1/rate apart when answers are instant', async () => {
    // Prepare
    const pacer = new Pacer(10, () => Date.now());

    // Act
    const spans = await runPaced(pacer, 25, 4, () => 0);

    // Assess
    const gaps = spans.slice(1).map((s, i) => s.start - (spans[i] as Span).start);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect((spans.at(-1) as Span).start - (spans[0] as Span).start).toBe(2400);
  });

  it('starts operation k + rate only a second after operation k was answered', async () => {
    // Prepare: slow answers (400 ms), so spacing alone would put 10 requests in flight within 1 s.
    const pacer = new Pacer(10, () => Date.now());

    // Act
    const spans = await runPaced(pacer, 30, 10, () => 400);

    // Assess
    for (let k = 0; k + 10 < spans.length; k++) {
      expect((spans[k + 10] as Span).start).toBeGreaterThanOrEqual((spans[k] as Span).answer + 1000);
    }
  });

  it('never lets SES count more than the rate in any second, under jittery latency', async () => {
    // Prepare
    const random = mulberry32(42);
    const latencies = Array.from({ length: 400 }, () => Math.round(random() * random() * 300));
    const pacer = new Pacer(20, () => Date.now());

    // Act
    const spans = await runPaced(pacer, latencies.length, 8, (i) => latencies[i] ?? 0);

    // Assess
    expect(spans).toHaveLength(400);
    expect(worstCasePerSecond(spans)).toBeLessThanOrEqual(20);
    // …and it is not idle: 400 at 20/s is 20 s of spacing, plus at most one answer time per window.
    const wall = (spans.at(-1) as Span).answer - (spans[0] as Span).start;
    expect(wall).toBeLessThan(20_000 + 20 * 300);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new Pacer(0)).toThrow(RangeError);
    expect(() => new Pacer(Number.NaN)).toThrow(/send rate must be positive/);
  });
});

describe('Pacer with weights (a message counts each recipient against the rate)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces a message to three as three sends, and one to more than the rate without waiting on itself', async () => {
    // Prepare: 2 a second; a message to 1, one to 3, one to 5 (more than the rate), one to 1.
    const pacer = new Pacer(2, () => Date.now());
    const starts: number[] = [];
    const send = (weight: number) =>
      pacer.run(async () => {
        starts.push(Date.now());
      }, weight);
    const t0 = Date.now();

    // Act
    const all = Promise.all([send(1), send(3), send(5), send(1)]);
    await vi.runAllTimersAsync();
    await all;

    // Assess: slots 0 | 1 2 3 | 4 5 6 7 8 | 9, half a second apart, each message at its last slot; the last
    // one also a second after the message to 5 was answered (its slot 7 is slot 9 − rate).
    expect(starts.map((t) => t - t0)).toEqual([0, 1500, 4000, 5000]);
  });

  it('keeps recipients, not messages, at or under the rate in any second', async () => {
    // Prepare: 5 recipients a second; messages to 1–4 recipients, answered after 0–120 ms.
    const pacer = new Pacer(5, () => Date.now());
    const weights = Array.from({ length: 40 }, (_, i) => 1 + (i % 4));
    const spans: { start: number; answer: number; weight: number }[] = [];

    // Act
    const all = pLimit(4).map(weights, (weight, i) =>
      pacer.run(async () => {
        const start = Date.now();
        await new Promise((resolve) => setTimeout(resolve, (i * 37) % 120));
        spans.push({ start, answer: Date.now(), weight });
      }, weight),
    );
    await vi.runAllTimersAsync();
    await all;

    // Assess: however SES places each message between its send and its answer, no second holds more than 5.
    let worst = 0;
    for (const w of spans) {
      const inWindow = spans.filter((s) => s.answer >= w.start && s.start < w.start + 1000);
      worst = Math.max(
        worst,
        inWindow.reduce((n, s) => n + s.weight, 0),
      );
    }
    expect(worst).toBeLessThanOrEqual(5);
  });
});
