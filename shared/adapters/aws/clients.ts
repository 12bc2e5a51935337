import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Where the AWS clients point: real AWS (no endpoints) or the embedded stand-ins. */
export interface AwsEndpoints {
  /**
   * A region, or a provider of one resolved at the first request; left out, the SDK's default chain
   * finds it (AWS_REGION, then the region of the profile), as the CLI's --aws wants.
   */
  readonly region?: string | (() => Promise<string>);
  readonly dynamodbEndpoint?: string;
  readonly sesEndpoint?: string;
  readonly s3Endpoint?: string;
  readonly sqsEndpoint?: string;
}

/** The local stand-ins want signed requests but accept any key. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const localOptions = (endpoint: string | undefined) =>
  endpoint === undefined ? {} : { endpoint, credentials: LOCAL_CREDENTIALS };

const regionOf = (endpoints: AwsEndpoints) => (endpoints.region === undefined ? {} : { region: endpoints.region });

export function makeDynamoClients(endpoints: AwsEndpoints): { ddb: DynamoDBClient; doc: DynamoDBDocumentClient } {
  // DynamoDB throttling is retried by the SDK's standard strategy; a few more attempts than the default 3.
  const ddb = new DynamoDBClient({
    ...regionOf(endpoints),
    maxAttempts: 8,
    ...localOptions(endpoints.dynamodbEndpoint),
  });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  return { ddb, doc };
}

export function makeSesClient(endpoints: AwsEndpoints): SESClient {
  // One attempt: the mailer retries throttling itself, paced, so the attempt count stays exact.
  return new SESClient({ ...regionOf(endpoints), maxAttempts: 1, ...localOptions(endpoints.sesEndpoint) });
}

/**
 * S3 for attachments. A stand-in is addressed by path (`<endpoint>/<bucket>/<key>`), and checksums go only
 * where S3 requires them (the stand-in refuses the streamed default).
 */
export function makeS3Client(
  endpoints: AwsEndpoints,
  /** The stand-in's own account, when it knows only one. */
  credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string },
): S3Client {
  return new S3Client({
    ...regionOf(endpoints),
    ...localOptions(endpoints.s3Endpoint),
    ...(credentials ? { credentials } : {}),
    ...(endpoints.s3Endpoint ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const } : {}),
  });
}

export function makeSqsClient(endpoints: AwsEndpoints): SQSClient {
  // The SDK's standard retries (3 attempts) cover a dropped connection; the work queue retries failed entries itself.
  return new SQSClient({ ...regionOf(endpoints), ...localOptions(endpoints.sqsEndpoint) });
}
