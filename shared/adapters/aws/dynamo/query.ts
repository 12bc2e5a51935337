import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

import pLimit from 'p-limit';
import { withRetry } from '../../../domain/retry.js';

type Item = Record<string, unknown>;

/** Every item of a Query, following LastEvaluatedKey. */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey as Item | undefined;
  } while (start);
  return items;
}

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** Items DynamoDB left unprocessed (throttling or size), to be sent again after a backoff. */
class UnprocessedItemsError extends Error {
  constructor(table: string, count: number) {
    super(`batch write to ${table}: ${count} items still unprocessed`);
    this.name = 'UnprocessedItemsError';
  }
}

/**
 * Writes in batches of 25 (DynamoDB's limit), up to 8 batches in flight (a plan of 50,000 units is 2,000
 * batches: seconds rather than minutes), re-sending what comes back unprocessed with jittered backoff.
 */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  const pages: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) pages.push(requests.slice(i, i + 25));
  await pLimit(8).map(pages, async (page) => {
    let pending: WriteRequest[] = page;
    await withRetry(
      async () => {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
        if (pending.length > 0) throw new UnprocessedItemsError(table, pending.length);
      },
      { attempts: 10, baseMs: 50, maxMs: 5_000, isRetryable: (error) => error instanceof UnprocessedItemsError },
    );
  });
}
