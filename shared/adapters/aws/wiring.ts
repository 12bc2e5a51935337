import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MailConfig } from '../../config.js';
import type { ExitLedger } from '../../domain/exits/types.js';
import type { LinkVersions } from '../../domain/links/ports.js';
import type { SignInStore } from '../../domain/people/signIn.js';
import type {
  AcknowledgementStore,
  CalendarStore,
  ExtensionStore,
  Mailer,
  NoticeLedger,
  ReceiptStore,
  SubmissionStore,
  SuppressionList,
} from '../../domain/ports.js';
import { type AwsEndpoints, makeDynamoClients, makeSesClient, makeSqsClient } from './clients.js';
import { DynamoCalendarStore } from './dynamo/calendarStore.js';
import { DynamoExitLedger, DynamoExitReader } from './dynamo/exitLedger.js';
import { DynamoNoticeLedger } from './dynamo/noticeLedger.js';
import { DynamoNoticeReader } from './dynamo/noticeReader.js';
import { DynamoPlanReader } from './dynamo/planReader.js';
import { DynamoSignInStore } from './dynamo/signInStore.js';
import { DynamoSubmissionReader } from './dynamo/submissionReader.js';
import { DynamoSubmissionStore } from './dynamo/submissionStore.js';
import { SesMailer } from './ses/sesMailer.js';
import { awsSuppressionList } from './ses/suppressionList.js';
import { SqsWorkQueue } from './sqs/sqsWorkQueue.js';

export interface StoreAdapters {
  readonly ddb: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly calendar: CalendarStore & LinkVersions;
  readonly submissions: SubmissionStore & AcknowledgementStore & ExtensionStore & ReceiptStore;
  readonly ledger: NoticeLedger;
  readonly signIns: SignInStore;
  /** The exit ledger (退出台账): not the notice ledger above. */
  readonly exits: ExitLedger;
}

/**
 * The DynamoDB-backed stores, against AWS or the embedded dynalite: only the endpoint differs, and with
 * it how an edit and its audit record are written together (dynalite has no TransactWriteItems; see
 * DynamoCalendarStore.commitEdit).
 */
export function makeStores(endpoints: AwsEndpoints, tableName: string): StoreAdapters {
  const { ddb, doc } = makeDynamoClients(endpoints);
  return {
    ddb,
    doc,
    calendar: new DynamoCalendarStore(doc, tableName, {
      edits: endpoints.dynamodbEndpoint === undefined ? 'transaction' : 'write-ahead',
    }),
    submissions: new DynamoSubmissionStore(doc, tableName),
    ledger: new DynamoNoticeLedger(doc, tableName),
    signIns: new DynamoSignInStore(doc, tableName),
    exits: new DynamoExitLedger(doc, tableName),
  };
}

/**
 * What dispatch reads: the plan (through the plan reader, not the calendar store, so its bundle leaves
 * the edit path out), the submissions, the ledger, and the exit ledger's items.
 */
export function makeDispatchStores(endpoints: AwsEndpoints, tableName: string) {
  const { ddb, doc } = makeDynamoClients(endpoints);
  return {
    ddb,
    doc,
    calendar: new DynamoPlanReader(doc, tableName),
    ledger: new DynamoNoticeReader(doc, tableName),
    submissions: new DynamoSubmissionReader(doc, tableName),
    exits: new DynamoExitReader(doc, tableName),
  };
}

/** What a worker touches: the ledger, and the plan when an address is suppressed. */
export function makeSenderStores(endpoints: AwsEndpoints, tableName: string) {
  const { ddb, doc } = makeDynamoClients(endpoints);
  return { ddb, doc, calendar: new DynamoPlanReader(doc, tableName), ledger: new DynamoNoticeLedger(doc, tableName) };
}

export interface MailSettings {
  readonly sender: string;
  readonly maxSendRate: number;
  readonly configurationSet?: string;
}

export function makeMailer(endpoints: AwsEndpoints, settings: MailSettings): { ses: SESClient; mailer: Mailer } {
  const ses = makeSesClient(endpoints);
  return { ses, mailer: new SesMailer({ client: ses, ...settings }) };
}

/** The mailer a function sends with, from its mail settings (sender, its share of the rate, the event set). */
export function mailerFromConfig(endpoints: AwsEndpoints, mail: MailConfig): Mailer {
  return makeMailer(endpoints, {
    sender: mail.SENDER_EMAIL,
    maxSendRate: mail.MAX_SEND_RATE,
    ...(mail.SES_CONFIGURATION_SET ? { configurationSet: mail.SES_CONFIGURATION_SET } : {}),
  }).mailer;
}

/** The work queue dispatch enqueues notices on, for the workers (SQS on AWS). */
export function makeWorkQueue(endpoints: AwsEndpoints, queueUrl: string): SqsWorkQueue {
  return new SqsWorkQueue({ client: makeSqsClient(endpoints), queueUrl });
}

/**
 * The account's suppression list on AWS; none on the local SES, which has no such list (a simulation
 * brings its own).
 */
export function makeSuppressionList(endpoints: AwsEndpoints): SuppressionList | undefined {
  if (endpoints.sesEndpoint !== undefined) return undefined;
  return awsSuppressionList(typeof endpoints.region === 'string' ? endpoints.region : undefined);
}
