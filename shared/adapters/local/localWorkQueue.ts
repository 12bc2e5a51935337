import type { NoticeWork } from '../../domain/dispatch/noticeWork.js';
import { QUEUE_MAX_RECEIVES, QUEUE_VISIBILITY_S } from '../../domain/dispatch/noticeWork.js';
import { type Clock, type WorkQueue, WorkQueueError } from '../../domain/ports.js';
import { encodeNotice } from '../aws/sqs/messageCodec.js';
import type { QueueConsumer, ReceivedMessage } from '../queueConsumer.js';

/** One message as the local queue keeps it. */
export interface LocalMessage {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
  /** Epoch ms from which it may be received (again). */
  visibleAt: number;
  /** Current receipt: a stale one (from before a redelivery) acknowledges nothing. */
  receipt?: string;
}

export interface LocalWorkQueueOptions {
  /** Visibility and redelivery run on this clock: virtual in the simulation, real in `npm run local`. */
  readonly clock: Clock;
  /** @default QUEUE_VISIBILITY_S × 1000, as on AWS */
  readonly visibilityMs?: number;
  /** @default QUEUE_MAX_RECEIVES, as on AWS */
  readonly maxReceives?: number;
  /** Messages and dead letters a previous run left (`npm run local` keeps them in its data directory). */
  readonly saved?: { readonly messages: readonly LocalMessage[]; readonly deadLetters: readonly LocalMessage[] };
  /** Called after every change with the whole state, to keep it across restarts. */
  readonly persist?: (state: { messages: LocalMessage[]; deadLetters: LocalMessage[] }) => void;
}

/**
 * The work queue in this process, with SQS's semantics where the fan-out depends on them: bodies
 * encoded as for SQS (and held to its size limit), at-least-once delivery, a received message hidden
 * for the visibility timeout and back if not acknowledged, and moved aside as a dead letter on the
 * receive after `maxReceives`. For the simulation (virtual clock) and the local stack.
 */
export class LocalWorkQueue implements WorkQueue, QueueConsumer {
  private messages: LocalMessage[];
  private readonly dead: LocalMessage[];
  private sequence = 0;

  constructor(private readonly options: LocalWorkQueueOptions) {
    this.messages = (options.saved?.messages ?? []).map((m) => ({ ...m }));
    this.dead = (options.saved?.deadLetters ?? []).map((m) => ({ ...m }));
    this.sequence = this.messages.length + this.dead.length;
  }

  async enqueue(notices: readonly NoticeWork[]): Promise<void> {
    const bodies: string[] = [];
    let cause: unknown;
    for (const notice of notices) {
      try {
        bodies.push(encodeNotice(notice));
      } catch (error) {
        cause ??= error;
      }
    }
    const now = this.options.clock.now();
    for (const body of bodies) {
      this.messages.push({ messageId: `local-${++this.sequence}`, body, receiveCount: 0, visibleAt: now });
    }
    this.save();
    if (bodies.length < notices.length)
      throw new WorkQueueError(notices.length - bodies.length, notices.length, { cause });
  }

  async receive(max: number): Promise<ReceivedMessage[]> {
    const now = this.options.clock.now();
    const maxReceives = this.options.maxReceives ?? QUEUE_MAX_RECEIVES;
    const out: ReceivedMessage[] = [];
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (m.receiveCount >= maxReceives) {
        // As SQS's redrive policy does: moved on the receive that would exceed the count.
        this.messages = this.messages.filter((x) => x !== m);
        m.receipt = undefined;
        this.dead.push(m);
        continue;
      }
      m.receiveCount += 1;
      m.visibleAt = now + (this.options.visibilityMs ?? QUEUE_VISIBILITY_S * 1000);
      m.receipt = `${m.messageId}#${m.receiveCount}`;
      out.push({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, receipt: m.receipt });
    }
    this.save();
    return out;
  }

  async ack(receipts: readonly string[]): Promise<void> {
    const done = new Set(receipts);
    this.messages = this.messages.filter((m) => m.receipt === undefined || !done.has(m.receipt));
    this.save();
  }

  async deadLetters(): Promise<ReceivedMessage[]> {
    return this.dead.map((m) => ({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, receipt: '' }));
  }

  /** When the next message becomes visible, if any is waiting. */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((m) => m.visibleAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Messages not yet acknowledged, visible or not. */
  get size(): number {
    return this.messages.length;
  }

  private save(): void {
    this.options.persist?.({ messages: this.messages, deadLetters: this.dead });
  }
}
