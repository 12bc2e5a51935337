import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeStores, type StoreAdapters } from './wiring.js';

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
 * The DynamoDB stores of the CLI working on AWS (`--aws`): the region may be left to the SDK's default
 * chain (AWS_REGION, then the region of the profile in ~/.aws/config), so `AWS_PROFILE=prod` alone works.
 */
export function makeCliAwsStores(tableName: string, region: AwsRegion | undefined): StoreAdapters {
  return makeStores(region === undefined ? {} : { region }, tableName);
}
