import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { WORKER_BATCH_SIZE } from '../../domain/dispatch/noticeWork.js';
import type { Clock } from '../../domain/ports.js';
import type { QueueConsumer, ReceivedMessage } from '../queueConsumer.js';

/** The part of an SQS record the worker reads. */
export type WorkerRecord = Pick<SQSRecord, 'messageId' | 'body'> & {
  readonly attributes: Pick<SQSRecord['attributes'], 'ApproximateReceiveCount'>;
};

/** Which worker invocation this is, for a simulation's faults and its report. */
export interface WorkerInvocationContext {
  /** Stable across runs of the same simulation: the messages' ids and their receive. */
  readonly label: string;
  /** Every message of the batch is on its first delivery. */
  readonly firstDelivery: boolean;
}

/** One worker invocation, as Lambda's event source makes it: a batch of records in, the ones to redeliver out. */
export type WorkerTarget = (
  records: readonly WorkerRecord[],
  context: WorkerInvocationContext,
) => Promise<Pick<SQSBatchResponse, 'batchItemFailures'>>;

export interface WorkerInvocation {
  readonly label: string;
  readonly at: number;
  readonly messages: number;
  /** Messages named for redelivery, or every message when the invocation threw. */
  readonly redelivered: number;
  readonly error?: string;
}

export interface WorkerPoolOptions {
  readonly queue: QueueConsumer & { nextVisibleAt(): number | undefined };
  readonly target: WorkerTarget;
  readonly clock: Clock;
  /** Invocations at once: the worker function's reserved concurrency. @default 2 */
  readonly workers?: number;
  /** @default WORKER_BATCH_SIZE */
  readonly batchSize?: number;
}

/**
 * Lambda's SQS event source, in this process: takes batches off the work queue, runs up to `workers`
 * worker invocations at once, deletes what each finished and leaves the rest (the items it names, or
 * all of them when it throws) to come back after the visibility timeout. Batches are formed in queue
 * order before each round starts, so a simulation's invocations are the same from run to run.
 */
export class LocalWorkerPool {
  readonly invocations: WorkerInvocation[] = [];

  constructor(private readonly options: WorkerPoolOptions) {}

  /** The next instant a message becomes visible, if any waits. */
  nextDue(): number | undefined {
    return this.options.queue.nextVisibleAt();
  }

  /** Runs worker invocations until nothing on the queue is visible now. */
  async runDue(): Promise<void> {
    const workers = this.options.workers ?? 2;
    const batchSize = this.options.batchSize ?? WORKER_BATCH_SIZE;
    for (;;) {
      const batches: ReceivedMessage[][] = [];
      for (let i = 0; i < workers; i++) {
        const batch = await this.options.queue.receive(batchSize);
        if (batch.length === 0) break;
        batches.push(batch);
      }
      if (batches.length === 0) return;
      await Promise.all(batches.map((batch) => this.invoke(batch)));
    }
  }

  private async invoke(batch: ReceivedMessage[]): Promise<void> {
    const at = this.options.clock.now();
    const label = `worker:${batch.map((m) => `${m.messageId}.${m.receiveCount}`).join(',')}`;
    const records: WorkerRecord[] = batch.map((m) => ({
      messageId: m.messageId,
      body: m.body,
      attributes: { ApproximateReceiveCount: String(m.receiveCount) },
    }));
    try {
      const { batchItemFailures } = await this.options.target(records, {
        label,
        firstDelivery: batch.every((m) => m.receiveCount === 1),
      });
      const again = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      await this.options.queue.ack(batch.filter((m) => !again.has(m.messageId)).map((m) => m.receipt));
      this.invocations.push({ label, at, messages: batch.length, redelivered: again.size });
    } catch (error) {
      // A function error returns the whole batch to the queue, as Lambda does.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.invocations.push({ label, at, messages: batch.length, redelivered: batch.length, error: message });
    }
  }
}
