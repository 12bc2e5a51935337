import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import type { NoticeWork } from '../../../domain/dispatch/noticeWork.js';
import { type WorkQueue, WorkQueueError } from '../../../domain/ports.js';
import { withRetry } from '../../../domain/retry.js';
import type { QueueConsumer, ReceivedMessage } from '../../queueConsumer.js';
import { encodeNotice } from './messageCodec.js';

/** SendMessageBatch and DeleteMessageBatch take at most 10 entries. */
const SQS_BATCH = 10;

export interface SqsWorkQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** SendMessageBatch calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** For the receiving side (local runs and tests): the dead-letter queue's URL. */
  readonly deadLetterQueueUrl?: string;
}

/** Entries SQS refused for a reason on its side, to be sent again. */
class RetryableEntriesError extends Error {
  constructor(readonly entries: SendMessageBatchRequestEntry[]) {
    super(`${entries.length} entries failed on the SQS side`);
    this.name = 'RetryableEntriesError';
  }
}

/**
 * The work queue on SQS: each notice one message (a batch item of its own for the worker's partial
 * failures), sent 10 to a SendMessageBatch. Entries SQS fails on its side are retried; entries it
 * refuses as ours to fix, and notices too large for a message, are not: the enqueue throws, naming how
 * many, and dispatch's retry enqueues the stage again (the ledger keeps that from sending twice).
 */
export class SqsWorkQueue implements WorkQueue, QueueConsumer {
  constructor(private readonly options: SqsWorkQueueOptions) {}

  async enqueue(notices: readonly NoticeWork[]): Promise<void> {
    let failed = 0;
    let cause: unknown;
    const entries: SendMessageBatchRequestEntry[] = [];
    for (const [i, notice] of notices.entries()) {
      try {
        entries.push({ Id: String(i), MessageBody: encodeNotice(notice) });
      } catch (error) {
        failed += 1;
        cause ??= error;
      }
    }
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let i = 0; i < entries.length; i += SQS_BATCH) batches.push(entries.slice(i, i + SQS_BATCH));
    const results = await pLimit(this.options.concurrency ?? 8).map(batches, (batch) =>
      this.sendBatch(batch).catch((error: unknown) => {
        cause ??= error;
        return batch.length;
      }),
    );
    failed += results.reduce((a, b) => a + b, 0);
    if (failed > 0) throw new WorkQueueError(failed, notices.length, { cause });
  }

  /** Sends one batch, re-sending what SQS failed on its side; resolves with the entries refused for good. */
  private async sendBatch(batch: SendMessageBatchRequestEntry[]): Promise<number> {
    let pending = batch;
    let refused = 0;
    await withRetry(
      async () => {
        const out = await this.options.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: pending }),
        );
        const failed = out.Failed ?? [];
        refused += failed.filter((f) => f.SenderFault).length;
        const retry = new Set(failed.filter((f) => !f.SenderFault).map((f) => f.Id));
        pending = pending.filter((e) => retry.has(e.Id));
        if (pending.length > 0) throw new RetryableEntriesError(pending);
      },
      { attempts: 5, baseMs: 100, maxMs: 2_000, isRetryable: (e) => e instanceof RetryableEntriesError },
    ).catch((error: unknown) => {
      if (!(error instanceof RetryableEntriesError)) throw error;
      refused += error.entries.length;
    });
    return refused;
  }

  async receive(max: number): Promise<ReceivedMessage[]> {
    return this.receiveFrom(this.options.queueUrl, max);
  }

  async ack(receipts: readonly string[]): Promise<void> {
    for (let i = 0; i < receipts.length; i += SQS_BATCH) {
      const chunk = receipts.slice(i, i + SQS_BATCH);
      await this.options.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: chunk.map((ReceiptHandle, j) => ({ Id: String(j), ReceiptHandle })),
        }),
      );
    }
  }

  async deadLetters(): Promise<ReceivedMessage[]> {
    const url = this.options.deadLetterQueueUrl;
    if (!url) throw new Error('this work queue was opened without its dead-letter queue URL');
    // Received with no visibility: looking at a dead letter does not hide it from the next look.
    return this.receiveFrom(url, 10, 0);
  }

  private async receiveFrom(queueUrl: string, max: number, visibility?: number): Promise<ReceivedMessage[]> {
    const out = await this.options.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(max, SQS_BATCH),
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        WaitTimeSeconds: 0,
        ...(visibility === undefined ? {} : { VisibilityTimeout: visibility }),
      }),
    );
    return (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
      receipt: m.ReceiptHandle ?? '',
    }));
  }
}
