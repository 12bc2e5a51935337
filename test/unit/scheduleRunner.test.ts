import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFiring } from '../../cli/output/runnerOutput.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { FileRunnerJournal } from '../../shared/adapters/local/runnerJournal.js';
import { type FiringHandler, LocalScheduleRunner } from '../../shared/adapters/local/scheduleRunner.js';
import type { SchedulePayload, ScheduleSpec } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { instantOf } from '../../shared/domain/time/wallClock.js';

const ZONE = 'Asia/Shanghai';
const AT = '2026-12-03T09:00:00';
const FIRE = instantOf(AT, ZONE);
const MINUTE = 60_000;
const spec: ScheduleSpec = {
  name: 'annual-summary.0-reminder',
  plan: 'jiangmen-2021',
  at: AT,
  timezone: ZONE,
  payload: { plan: 'jiangmen-2021', milestone: 'annual-summary', stage: 'reminder', revision: 2 },
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A `local up` data directory: its schedule file and the runner's journal, as a restart finds them. */
function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'duban-runner-'));
  dirs.push(dir);
  const open = (clock: VirtualClock, target: FiringHandler) =>
    new LocalScheduleRunner({
      store: new LocalScheduleStore(join(dir, 'schedules.json')),
      target,
      clock,
      journal: new FileRunnerJournal(dir),
      retryDelaysMs: [MINUTE, 2 * MINUTE],
    });
  return { dir, open };
}

const failing: FiringHandler = async () => {
  throw new Error('SES is down');
};

describe('the local runner keeps what it owes across stops', () => {
  it('keeps a firing that failed every attempt as a dead letter on disk, and says no retry is coming', async () => {
    // Prepare
    const { dir, open } = dataDir();
    const clock = new VirtualClock(FIRE);
    const runner = open(clock, failing);
    await new LocalScheduleStore(join(dir, 'schedules.json')).create(spec);

    // Act: the firing and its two retries, one and three minutes later.
    for (const t of [FIRE, FIRE + MINUTE, FIRE + 3 * MINUTE]) {
      clock.advanceTo(t);
      await runner.fireDue();
    }

    // Assess
    const lines = runner.firings.map((f) => describeFiring(f, ZONE));
    expect(lines).toEqual([
      '2026-12-03T09:00:00+08:00  fired annual-summary.0-reminder — failed, will retry at 2026-12-03 09:01',
      '2026-12-03T09:01:00+08:00  fired annual-summary.0-reminder (retry 1) — failed, will retry at 2026-12-03 09:03',
      '2026-12-03T09:03:00+08:00  fired annual-summary.0-reminder (retry 2) — failed: dead letter',
    ]);
    const kept = new FileRunnerJournal(dir).deadLetters();
    expect(kept).toEqual([
      {
        schedule: spec.name,
        payload: spec.payload,
        at: AT,
        timezone: ZONE,
        attempts: 3,
        error: 'Error: SES is down',
        failedAt: FIRE + 3 * MINUTE,
      },
    ]);
    expect(new FileRunnerJournal(dir).pending()).toEqual([]);
    expect(runner.nextDue()).toBeUndefined();
  });

  it('takes up a pending retry after a restart, at its time', async () => {
    // Prepare: the first attempt fails, then the runner stops.
    const { dir, open } = dataDir();
    const clock = new VirtualClock(FIRE);
    await new LocalScheduleStore(join(dir, 'schedules.json')).create(spec);
    const first = open(clock, failing);
    await first.fireDue();
    await first.stop();
    const invoked: { payload: SchedulePayload; attempt: number }[] = [];

    // Act: a new runner on the same data directory.
    const second = open(clock, async (payload, context) => {
      invoked.push({ payload, attempt: context.attempt });
    });
    const dueBefore = second.nextDue();
    await second.fireDue();
    const earlyCalls = invoked.length;
    clock.advanceTo(FIRE + MINUTE);
    await second.fireDue();

    // Assess
    expect(dueBefore).toBe(FIRE + MINUTE);
    expect(earlyCalls).toBe(0);
    expect(invoked).toEqual([{ payload: spec.payload, attempt: 2 }]);
    expect(new FileRunnerJournal(dir).pending()).toEqual([]);
    expect(second.nextDue()).toBeUndefined();
  });

  it('re-fires at the next start a firing that a stop cut short, though its schedule is already gone', async () => {
    // Prepare: a dispatch that never answers while the runner is stopped.
    const { dir, open } = dataDir();
    const clock = new VirtualClock(FIRE);
    await new LocalScheduleStore(join(dir, 'schedules.json')).create(spec);
    const hung = open(clock, () => new Promise(() => {}));
    void hung.fireDue();
    await hung.stop(50);
    const scheduleLeft = new LocalScheduleStore(join(dir, 'schedules.json')).all();
    const invoked: number[] = [];

    // Act
    const next = open(clock, async (_payload, context) => {
      invoked.push(context.attempt);
    });
    await next.fireDue();

    // Assess: the firing was neither lost with its schedule nor counted as a failed attempt.
    expect(scheduleLeft).toEqual([]);
    expect(invoked).toEqual([1]);
    expect(next.firings.map((f) => f.ok)).toEqual([true]);
    expect(JSON.parse(readFileSync(join(dir, 'retries.json'), 'utf8'))).toEqual([]);
    expect(existsSync(join(dir, 'dead-letters.json'))).toBe(false);
  });

  it('does not fire a schedule twice when a slow tick overlaps the next one', async () => {
    // Prepare
    const { dir, open } = dataDir();
    const clock = new VirtualClock(FIRE);
    await new LocalScheduleStore(join(dir, 'schedules.json')).create(spec);
    let calls = 0;
    const runner = open(clock, async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    });

    // Act
    await Promise.all([runner.fireDue(), runner.fireDue(), runner.fireDue()]);

    // Assess
    expect(calls).toBe(1);
    expect(runner.firings).toHaveLength(1);
  });
});
