/**
 * The receiving side of the work queue, as Lambda's SQS event source works it on AWS: receive a batch,
 * delete what was done, leave the rest to come back after the visibility timeout, and move a message
 * received too often to the dead-letter queue. On AWS Lambda does this; locally the worker pool
 * (shared/adapters/local/workerPool.ts) and the tests use it, against the in-process queue or SQS.
 */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly body: string;
  /** 1 on the first delivery. */
  readonly receiveCount: number;
  readonly receipt: string;
}

export interface QueueConsumer {
  /** Up to `max` visible messages, hidden for the visibility timeout from now. */
  receive(max: number): Promise<ReceivedMessage[]>;
  /** Deletes messages that were handled. */
  ack(receipts: readonly string[]): Promise<void>;
  /** Messages moved to the dead-letter queue after too many receives (read without removing them). */
  deadLetters(): Promise<ReceivedMessage[]>;
}
