import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Where the AWS clients point: real AWS (no endpoints) or the embedded stand-ins. */
export interface AwsEndpoints {
  readonly region: string;
  readonly dynamodbEndpoint?: string;
  readonly sesEndpoint?: string;
}

/** The local stand-ins want signed requests but accept any key. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const localOptions = (endpoint: string | undefined) =>
  endpoint === undefined ? {} : { endpoint, credentials: LOCAL_CREDENTIALS };

export function makeDynamoClients(endpoints: AwsEndpoints): { ddb: DynamoDBClient; doc: DynamoDBDocumentClient } {
  // DynamoDB throttling is retried by the SDK's standard strategy; a few more attempts than the default 3.
  const ddb = new DynamoDBClient({
    region: endpoints.region,
    maxAttempts: 8,
    ...localOptions(endpoints.dynamodbEndpoint),
  });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  return { ddb, doc };
}

export function makeSesClient(endpoints: AwsEndpoints): SESClient {
  // One attempt: the mailer retries throttling itself, paced, so the attempt count stays exact.
  return new SESClient({ region: endpoints.region, maxAttempts: 1, ...localOptions(endpoints.sesEndpoint) });
}
