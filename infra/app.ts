import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Node } from 'constructs';
import { DubanStack } from './stack.js';

/** A context value given to the app (`-c key=value`) that is missing or malformed. */
export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

export interface DubanContext {
  readonly senderEmail: string;
  readonly maxSendRate: number;
  readonly dispatchConcurrency: number;
  readonly workerConcurrency: number;
  readonly alarmEmail?: string;
  readonly sandboxRecipients?: string[];
  readonly archiveYears?: number;
  readonly portalDomain?: { readonly name: string; readonly certificateArn: string };
  readonly senderDomain?: string;
  readonly planScope?: string;
}

const email = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;
/** An SES identity: an address or a domain. */
const identity = /^([^@\s,]+@)?[^@\s,]+\.[^@\s,]+$/;
const domain = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * Reads the app's context, failing with what to pass: `-c senderEmail=…` (required),
 * `-c maxSendRate=…`, `-c dispatchConcurrency=…`, `-c workerConcurrency=…`, `-c alarmEmail=…`,
 * `-c sandboxRecipients=a@x.cn,b@y.cn`, `-c senderDomain=example.gov.cn`, `-c planScope=<plan id>`.
 */
export function readContext(node: Node): DubanContext {
  const alarmEmail = readAlarmEmail(node);
  const sandboxRecipients = readSandboxRecipients(node);
  const maxSendRate = readMaxSendRate(node);
  const archiveYears = readArchiveYears(node);
  const portalDomain = readPortalDomain(node);
  const senderEmail = readSenderEmail(node);
  const senderDomain = readSenderDomain(node, senderEmail);
  const planScope = readPlanScope(node);
  return {
    senderEmail,
    maxSendRate,
    dispatchConcurrency: readDispatchConcurrency(node),
    workerConcurrency: readWorkerConcurrency(node, maxSendRate),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    ...(sandboxRecipients === undefined ? {} : { sandboxRecipients }),
    ...(archiveYears === undefined ? {} : { archiveYears }),
    ...(portalDomain === undefined ? {} : { portalDomain }),
    ...(senderDomain === undefined ? {} : { senderDomain }),
    ...(planScope === undefined ? {} : { planScope }),
  };
}

/** `-c archiveYears=10`: how long attachments are kept (档案保存), whole years from 1 to 100. */
function readArchiveYears(node: Node): number | undefined {
  const value: unknown = node.tryGetContext('archiveYears');
  if (value === undefined) return undefined;
  const years = Number(value);
  if (!Number.isInteger(years) || years < 1 || years > 100) {
    throw new ContextError(
      `Context "archiveYears" must be a whole number of years from 1 to 100, got ${String(value)}`,
    );
  }
  return years;
}

/** `-c portalDomain=duban.example.gov.cn -c portalCertificateArn=arn:aws:acm:…`: both or neither. */
function readPortalDomain(node: Node): { name: string; certificateArn: string } | undefined {
  const name: unknown = node.tryGetContext('portalDomain');
  const certificateArn: unknown = node.tryGetContext('portalCertificateArn');
  if (name === undefined && certificateArn === undefined) return undefined;
  if (typeof name !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(name)) {
    throw new ContextError(
      `Context "portalDomain" must be a domain name, e.g. duban.example.gov.cn, got ${String(name)}`,
    );
  }
  if (typeof certificateArn !== 'string' || !certificateArn.startsWith('arn:aws:acm:')) {
    throw new ContextError(
      'Context "portalDomain" needs "portalCertificateArn": the ARN of an ACM certificate for that name (in the stack\'s Region)',
    );
  }
  return { name, certificateArn };
}

function readSenderDomain(node: Node, senderEmail: string): string | undefined {
  const value: unknown = node.tryGetContext('senderDomain');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !domain.test(value)) {
    throw new ContextError(`Context "senderDomain" is not a domain name: ${String(value)}`);
  }
  if (!senderEmail.toLowerCase().endsWith(`@${value.toLowerCase()}`)) {
    throw new ContextError(
      `Context "senderEmail" ${senderEmail} must be an address of "senderDomain" ${value} (the domain signs its mail)`,
    );
  }
  return value;
}

function readPlanScope(node: Node): string | undefined {
  const value: unknown = node.tryGetContext('planScope');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) || value.length > 40) {
    throw new ContextError(`Context "planScope" must be a plan id (a-z, 0-9, single hyphens), got ${String(value)}`);
  }
  return value;
}

function readSenderEmail(node: Node): string {
  const value: unknown = node.tryGetContext('senderEmail');
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ContextError(
      'Missing context "senderEmail": the SES-verified address notices are sent from. ' +
        'Pass it on the command line, e.g. npx cdk deploy -c senderEmail=duban@example.gov.cn',
    );
  }
  if (!email.test(value)) throw new ContextError(`Context "senderEmail" is not an email address: ${value}`);
  return value;
}

function readMaxSendRate(node: Node): number {
  // Values given with -c arrive as strings; cdk.json may hold a number.
  const value: unknown = node.tryGetContext('maxSendRate') ?? 1;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) {
    throw new ContextError(
      `Context "maxSendRate" must be a number of SES messages per second in (0, 1000], got ${String(value)}`,
    );
  }
  return rate;
}

/** How many dispatch instances may plan stages at once (they send nothing themselves). */
function readDispatchConcurrency(node: Node): number {
  const value: unknown = node.tryGetContext('dispatchConcurrency') ?? 1;
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new ContextError(
      `Context "dispatchConcurrency" must be a whole number of dispatch instances in [1, 1000], got ${String(value)}`,
    );
  }
  return concurrency;
}

/**
 * How many workers may send at once; they share `maxSendRate`, each pacing to its share. At least 2:
 * the SQS event source's maximum concurrency cannot be lower. More helps when one worker, with one
 * send in flight, cannot keep up with its share (about 25/s each at SES's latency).
 */
function readWorkerConcurrency(node: Node, maxSendRate: number): number {
  const value: unknown = node.tryGetContext('workerConcurrency') ?? 2;
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000) {
    throw new ContextError(
      `Context "workerConcurrency" must be a whole number of workers in [2, 1000] (the SQS event source runs at least 2), got ${String(value)}`,
    );
  }
  if (maxSendRate / concurrency < 0.001) {
    throw new ContextError(
      `Context "workerConcurrency" ${concurrency} leaves each worker less than 0.001 of maxSendRate ${maxSendRate}/s`,
    );
  }
  return concurrency;
}

function readAlarmEmail(node: Node): string | undefined {
  const value: unknown = node.tryGetContext('alarmEmail');
  if (value !== undefined && (typeof value !== 'string' || !email.test(value))) {
    throw new ContextError(`Context "alarmEmail" is not an email address: ${String(value)}`);
  }
  return value;
}

function readSandboxRecipients(node: Node): string[] | undefined {
  const value: unknown = node.tryGetContext('sandboxRecipients');
  if (value === undefined) return undefined;
  const recipients: unknown = typeof value === 'string' ? value.split(',').map((r) => r.trim()) : value;
  if (!Array.isArray(recipients) || !recipients.every((r) => typeof r === 'string' && identity.test(r))) {
    throw new ContextError(
      `Context "sandboxRecipients" must be comma-separated addresses or domains verified in SES, got ${String(value)}`,
    );
  }
  return recipients;
}

/**
 * The app: one stack, `Duban`, checked by cdk-nag's AwsSolutions pack (any unacknowledged finding
 * fails synth). Exported so tests synthesize exactly what the CLI deploys.
 */
export function createApp(props: AppProps = {}): { app: App; stack: DubanStack } {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new DubanStack(app, 'Duban', {
    ...readContext(app.node),
    // ASCII only: the description ends up in CloudFormation and the console.
    description: 'Duban: deadlines and escalation notices for government work plans',
  });
  return { app, stack };
}

const isEntryPoint = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  try {
    createApp().app.synth();
  } catch (error) {
    // A context mistake is the user's to fix: say what to pass, without a stack trace.
    if (!(error instanceof ContextError)) throw error;
    console.error(`Error: ${error.message}`);
    process.exitCode = 1;
  }
}
