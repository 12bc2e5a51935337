import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCalendarStore } from './dynamo/calendarStore.js';
import { DynamoNoticeLedger } from './dynamo/noticeLedger.js';
import { DynamoSubmissionStore } from './dynamo/submissionStore.js';
import type { StoreAdapters } from './wiring.js';

/** A region, or how to find it when a request needs it (the SDK accepts either). */
export type AwsRegion = string | (() => Promise<string>);

/**
 * The SDK's default region chain, resolved when the first request needs it; `onMissing` makes the
 * error a person reads when neither AWS_REGION nor the profile names a region.
 */
export function defaultRegionChain(onMissing: (cause: unknown) => Error): () => Promise<string> {
  // A client built without a region resolves it through the chain; only its provider is used.
  const chain = new DynamoDBClient({}).config.region;
  return () =>
    chain().catch((cause: unknown) => {
      throw onMissing(cause);
    });
}

/**
 * The DynamoDB stores of the CLI working on AWS (`--aws`). Unlike `makeStores` (Lambda and the embedded
 * stack, where the region is always known), the region may be left to the SDK's default chain
 * (AWS_REGION, then the region of the profile in ~/.aws/config), so `AWS_PROFILE=prod` alone works.
 * The client options are those of `makeDynamoClients`.
 */
export function makeCliAwsStores(tableName: string, region: AwsRegion | undefined): StoreAdapters {
  const ddb = new DynamoDBClient({ maxAttempts: 8, ...(region ? { region } : {}) });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  return {
    ddb,
    doc,
    calendar: new DynamoCalendarStore(doc, tableName),
    submissions: new DynamoSubmissionStore(doc, tableName),
    ledger: new DynamoNoticeLedger(doc, tableName),
  };
}
