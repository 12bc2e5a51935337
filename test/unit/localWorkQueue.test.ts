import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNotice } from '../../shared/adapters/aws/sqs/messageCodec.js';
import { LocalWorkQueue } from '../../shared/adapters/local/localWorkQueue.js';
import { QueueFileError, readQueueFile, writeQueueFile } from '../../shared/adapters/local/queueFile.js';
import type { NoticeWork } from '../../shared/domain/dispatch/noticeWork.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { describeWorkQueueContract, notice } from '../support/contracts/workQueue.js';

describeWorkQueueContract('the in-process work queue (simulation, local stack)', async () => {
  const clock = new VirtualClock(Date.parse('2021-05-24T09:00:00+08:00'));
  const queue = new LocalWorkQueue({ clock, visibilityMs: 60_000, maxReceives: 3 });
  return { queue, maxReceives: 3, pass: async () => clock.advanceTo(clock.now() + 60_000) };
});

describe("the local stack's work queue on disk (.duban/queue.json)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-queue-'));
  const file = join(dir, 'queue.json');

  it('keeps enqueued and dead-lettered notices across a restart, with their receive counts', async () => {
    // Prepare: one notice received once and not acknowledged, one dead-lettered, when the stack stops.
    const clock = new VirtualClock(Date.parse('2021-05-24T09:00:00+08:00'));
    const persist = (state: Parameters<typeof writeQueueFile>[1]) => writeQueueFile(file, state);
    const before = new LocalWorkQueue({ clock, visibilityMs: 60_000, maxReceives: 1, persist });
    await before.enqueue([notice('enping'), notice('heshan')]);
    await before.receive(1);
    clock.advanceTo(clock.now() + 60_000);
    await before.receive(10);

    // Act: a new process reads the file.
    const after = new LocalWorkQueue({ clock, visibilityMs: 60_000, maxReceives: 2, saved: readQueueFile(file) });
    clock.advanceTo(clock.now() + 60_000);
    const received = await after.receive(10);

    // Assess
    expect(received.map((m) => [(decodeNotice(m.body) as NoticeWork).key.unit, m.receiveCount])).toEqual([
      ['heshan', 2],
    ]);
    expect((await after.deadLetters()).map((m) => (decodeNotice(m.body) as NoticeWork).key.unit)).toEqual(['enping']);
  });

  it('refuses a damaged file rather than start with an empty queue (its notices would be lost)', () => {
    // Prepare
    writeFileSync(file, '{"messages": [');

    // Act / Assess
    expect(() => readQueueFile(file)).toThrow(QueueFileError);
    expect(() => readQueueFile(file)).toThrow(/cannot be read; move it aside/);
    expect(readQueueFile(join(dir, 'absent.json'))).toEqual({ messages: [], deadLetters: [] });
  });
});
