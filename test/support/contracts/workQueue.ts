import { describe, expect, it } from 'vitest';
import { decodeNotice } from '../../../shared/adapters/aws/sqs/messageCodec.js';
import type { QueueConsumer, ReceivedMessage } from '../../../shared/adapters/queueConsumer.js';
import type { NoticeWork } from '../../../shared/domain/dispatch/noticeWork.js';
import { type WorkQueue, WorkQueueError } from '../../../shared/domain/ports.js';
import { key } from './noticeLedger.js';

export interface QueueUnderTest {
  readonly queue: WorkQueue & QueueConsumer;
  /** Lets the queue's visibility timeout run out (a clock advanced, or real time waited). */
  pass(): Promise<void>;
  /** The receives the queue allows before a message becomes a dead letter. */
  readonly maxReceives: number;
}

/** A notice as dispatch enqueues it; `unit` tells them apart. */
export const notice = (unit: string, extra: Partial<NoticeWork> = {}): NoticeWork => ({
  key: { ...key(unit), stage: 'reminder' },
  units: [unit],
  fireAt: '2021-05-24T09:00:00+08:00',
  sendBefore: 1_622_163_600_000,
  email: {
    to: [`office@${unit}.jiangmen.example`],
    cc: [],
    subject: '【督办提醒】请于2021年5月31日前报送“2021年淘汰落后产能工作计划”',
    text: `${unit}：根据《江门市2021年推动落后产能退出工作计划》，贵单位须于2021年5月31日前完成……`,
    html: `<p>${unit}：根据《江门市2021年推动落后产能退出工作计划》……</p>`,
  },
  calendar: {
    plan: { id: 'jiangmen-2021', title: '江门市2021年推动落后产能退出工作计划' },
    milestone: {
      id: 'district-plans',
      title: '制定工作计划',
      deliverable: '工作计划',
      deadline: '2021-05-31',
      revision: 1,
    },
    unit,
  },
  ...extra,
});

/** Everything visible now, however many receives it takes (SQS hands out at most 10 at a time). */
async function drain(queue: QueueConsumer): Promise<ReceivedMessage[]> {
  const all: ReceivedMessage[] = [];
  for (let batch = await queue.receive(10); batch.length > 0; batch = await queue.receive(10)) all.push(...batch);
  return all;
}

const units = (messages: readonly ReceivedMessage[]) =>
  messages.map((m) => (decodeNotice(m.body) as NoticeWork).key.unit).sort();

/**
 * The work queue's contract, held by the SQS adapter (against fauxqs, an SQS stand-in spoken to through
 * the real SDK) and the in-process queue of the simulation and the local stack, so the local fan-out
 * behaves as the deployed one does where exactly-once depends on it.
 */
export function describeWorkQueueContract(name: string, open: () => Promise<QueueUnderTest>): void {
  describe(`${name}: the work queue's contract`, () => {
    it('delivers every enqueued notice intact, more than one SQS batch of them, each once while it is handled', async () => {
      // Prepare
      const { queue } = await open();
      const names = Array.from({ length: 23 }, (_, i) => `unit${i}`);

      // Act
      await queue.enqueue(names.map((u) => notice(u)));
      const first = await drain(queue);
      const again = await drain(queue);

      // Assess
      expect(units(first)).toEqual([...names].sort());
      expect(again).toEqual([]);
      const one = first.find((m) => (decodeNotice(m.body) as NoticeWork).key.unit === 'unit7');
      expect(decodeNotice(one?.body ?? '')).toEqual(notice('unit7'));
      expect(first.every((m) => m.receiveCount === 1)).toBe(true);
    });

    it('brings back what was not acknowledged after the visibility timeout, counting the receive, and never what was', async () => {
      // Prepare
      const { queue, pass } = await open();
      await queue.enqueue(['enping', 'heshan', 'kaiping'].map((u) => notice(u)));
      const first = await drain(queue);
      const done = first.filter((m) => (decodeNotice(m.body) as NoticeWork).key.unit !== 'heshan');

      // Act
      await queue.ack(done.map((m) => m.receipt));
      await pass();
      const redelivered = await drain(queue);

      // Assess
      expect(units(redelivered)).toEqual(['heshan']);
      expect(redelivered[0]?.receiveCount).toBe(2);
    });

    it('sets a notice aside as a dead letter once it has been received as often as allowed', async () => {
      // Prepare
      const { queue, pass, maxReceives } = await open();
      await queue.enqueue([notice('heshan')]);

      // Act
      const receives: number[] = [];
      for (let i = 0; i <= maxReceives; i++) {
        receives.push(...(await drain(queue)).map((m) => m.receiveCount));
        await pass();
      }
      const letters = await queue.deadLetters();

      // Assess
      expect(receives).toEqual(Array.from({ length: maxReceives }, (_, i) => i + 1));
      expect(units(letters)).toEqual(['heshan']);
      expect(await drain(queue)).toEqual([]);
    });

    it('carries a circular naming 3,000 units, and refuses one too large even compressed without losing the others', async () => {
      // Prepare: names and addresses in the thousands (compressed); then a body of incompressible noise.
      const { queue } = await open();
      const many = Array.from({ length: 3_000 }, (_, i) => `县级单位${i}`);
      const circular = notice('*', {
        units: many,
        email: {
          ...notice('x').email,
          to: many.map((_, i) => `office@u${i}.example`),
          text: many.join('\n'),
          html: many.join('<br>'),
        },
      });
      const noise = Array.from({ length: 400_000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20_000))).join(
        '',
      );
      const huge = notice('huge', { email: { ...notice('huge').email, text: noise } });

      // Act
      const refused = await queue.enqueue([circular, huge, notice('enping')]).catch((e: unknown) => e);
      const received = await drain(queue);

      // Assess
      expect(refused).toBeInstanceOf(WorkQueueError);
      expect(refused).toMatchObject({ failed: 1, total: 3 });
      expect(units(received)).toEqual(['*', 'enping']);
      const big = received.find((m) => (decodeNotice(m.body) as NoticeWork).key.unit === '*');
      expect((decodeNotice(big?.body ?? '') as NoticeWork).email.to).toHaveLength(3_000);
    });
  });
}
