import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll } from 'vitest';
import { makeSqsClient } from '../../shared/adapters/aws/clients.js';
import { SqsWorkQueue } from '../../shared/adapters/aws/sqs/sqsWorkQueue.js';
import { sleep } from '../../shared/domain/retry.js';
import { describeWorkQueueContract } from '../support/contracts/workQueue.js';

/** fauxqs: SQS in this process, spoken to through the real SDK client over SQS's JSON protocol. */
let server: Awaited<ReturnType<typeof startFauxqs>>;
let client: SQSClient;
beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  client = makeSqsClient({ region: 'us-east-1', sqsEndpoint: server.address });
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

const VISIBILITY_S = 1;
const MAX_RECEIVES = 2;

/** A queue and its dead-letter queue, as the Senders construct makes them (short visibility, for the test). */
async function openQueue(): Promise<SqsWorkQueue> {
  const id = randomUUID().slice(0, 8);
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `dlq-${id}` }));
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const main = await client.send(
    new CreateQueueCommand({
      QueueName: `notices-${id}`,
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_S),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: MAX_RECEIVES }),
      },
    }),
  );
  return new SqsWorkQueue({ client, queueUrl: main.QueueUrl ?? '', deadLetterQueueUrl: dlq.QueueUrl ?? '' });
}

describeWorkQueueContract('the SQS work queue against fauxqs', async () => ({
  queue: await openQueue(),
  maxReceives: MAX_RECEIVES,
  pass: () => sleep(VISIBILITY_S * 1000 + 150),
}));
