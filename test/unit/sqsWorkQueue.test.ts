import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeNotice, encodeNotice } from '../../shared/adapters/aws/sqs/messageCodec.js';
import { SqsWorkQueue } from '../../shared/adapters/aws/sqs/sqsWorkQueue.js';
import { WorkQueueError } from '../../shared/domain/ports.js';
import { notice } from '../support/contracts/workQueue.js';

const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/Duban-Notices';
const open = () => new SqsWorkQueue({ client: new SQSClient({ region: 'us-east-1' }), queueUrl: QUEUE_URL });
const units = Array.from({ length: 12 }, (_, i) => `unit${i}`);

describe('the SQS work queue, request by request', () => {
  beforeEach(() => sqs.reset());

  it('sends each notice as one message, ten to a SendMessageBatch, the body the notice as JSON', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
      Failed: [],
    }));

    // Act
    await open().enqueue(units.map((u) => notice(u)));

    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 1, {
      QueueUrl: QUEUE_URL,
      Entries: units.slice(0, 10).map((u, i) => ({ Id: String(i), MessageBody: JSON.stringify(notice(u)) })),
    });
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 2, {
      QueueUrl: QUEUE_URL,
      Entries: units.slice(10).map((u, i) => ({ Id: String(i + 10), MessageBody: JSON.stringify(notice(u)) })),
    });
  });

  it('sends again only the entries SQS failed on its side, and gives up on those it refused as ours', async () => {
    // Prepare: the first answer fails entry 1 on SQS's side and entry 2 as a sender fault; the retry succeeds.
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: '0', MessageId: 'a', MD5OfMessageBody: 'x' }],
        Failed: [
          { Id: '1', SenderFault: false, Code: 'InternalError' },
          { Id: '2', SenderFault: true, Code: 'InvalidParameterValue' },
        ],
      })
      .resolves({ Successful: [{ Id: '1', MessageId: 'b', MD5OfMessageBody: 'y' }], Failed: [] });

    // Act
    const error = await open()
      .enqueue(['enping', 'heshan', 'kaiping'].map((u) => notice(u)))
      .catch((e: unknown) => e);

    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 2, {
      QueueUrl: QUEUE_URL,
      Entries: [{ Id: '1', MessageBody: JSON.stringify(notice('heshan')) }],
    });
    expect(error).toBeInstanceOf(WorkQueueError);
    expect(error).toMatchObject({ failed: 1, total: 3, message: '1 of 3 notices could not be enqueued' });
  });

  it('counts a whole batch as not enqueued when its request fails, and still sends the others', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: 'x' })),
      }));

    // Act
    const error = await open()
      .enqueue(units.map((u) => notice(u)))
      .catch((e: unknown) => e);

    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(error).toMatchObject({ name: 'WorkQueueError', failed: 10, total: 12 });
  });

  it('receives with the receive count, and deletes by receipt, ten at a time', async () => {
    // Prepare
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          MessageId: 'm1',
          ReceiptHandle: 'r1',
          Body: encodeNotice(notice('enping')),
          Attributes: { ApproximateReceiveCount: '2' },
        },
      ],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = open();

    // Act
    const [message] = await queue.receive(10);
    await queue.ack(Array.from({ length: 11 }, (_, i) => `r${i}`));

    // Assess
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: QUEUE_URL,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      WaitTimeSeconds: 0,
    });
    expect(message).toMatchObject({ messageId: 'm1', receipt: 'r1', receiveCount: 2 });
    expect(decodeNotice(message?.body ?? '')).toEqual(notice('enping'));
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageBatchCommand, 2);
    expect(sqs).toHaveReceivedNthCommandWith(DeleteMessageBatchCommand, 2, {
      QueueUrl: QUEUE_URL,
      Entries: [{ Id: '0', ReceiptHandle: 'r10' }],
    });
  });
});

describe('the queue message codec', () => {
  it('keeps a notice as JSON, and compresses a large one below the SQS limit', () => {
    // Prepare
    const names = Array.from({ length: 3_000 }, (_, i) => `广东省某市某县人民政府${i}`);
    const circular = notice('*', { units: names, email: { ...notice('x').email, text: names.join('\n') } });

    // Act
    const small = encodeNotice(notice('enping'));
    const large = encodeNotice(circular);

    // Assess
    expect(small).toBe(JSON.stringify(notice('enping')));
    expect(large.startsWith('gz:')).toBe(true);
    expect(Buffer.byteLength(large)).toBeLessThan(Buffer.byteLength(JSON.stringify(circular)) / 3);
    expect(decodeNotice(large)).toEqual(circular);
  });
});
