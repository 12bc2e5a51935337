import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { lambdaEsbuildOptions, REPO_ROOT } from '../infra/lambdaBundling.js';
import { round } from './round.js';

/**
 * The same SDK clients as a function, constructed at init as it does, and nothing else: what the
 * function's bundle and init are measured against. Dispatch reads the table, signs the units' links
 * (KMS) and sends to SQS; the worker writes the ledger, asks SES v2 for the suppression list and sends
 * through SES.
 */
const sdkOnly = (fn: 'dispatch' | 'worker') => `
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
${
  fn === 'worker'
    ? `import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ListSuppressedDestinationsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
const others = [new SESClient({ maxAttempts: 1 }), new SESv2Client({ maxAttempts: 4 })];
const sends = [SendRawEmailCommand, ListSuppressedDestinationsCommand];`
    : `import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
const others = [new SQSClient({}), new KMSClient({ maxAttempts: 4 })];
const sends = [SendMessageBatchCommand, GenerateMacCommand];`
}
const ddb = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
const used = [ConditionalCheckFailedException, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, ...sends];
export const handler = async () => ({ clients: [doc, ...others].length, commands: used.length });
`;

const FUNCTIONS = {
  dispatch: 'functions/dispatch.ts',
  worker: 'functions/dispatch-worker.ts',
  reconcile: 'functions/reconcile.ts',
  calendarApi: 'functions/calendar-api.ts',
  submissionsApi: 'functions/submissions-api.ts',
  portal: 'functions/portal.ts',
  deliveryEvents: 'functions/delivery-events.ts',
} as const;

/** What a cold start reads: the dispatch function refuses to load without its configuration. */
const LAMBDA_ENV = {
  TABLE_NAME: 'duban',
  SENDER_EMAIL: 'duban@example.gov.cn',
  WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/duban-notices',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  // Dispatch signs the personal links in notices, the portal checks them.
  PORTAL_URL: 'https://duban.example.gov.cn',
  LINK_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  SESSION_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab',
  ATTACHMENTS_BUCKET: 'duban-attachments',
  UPLOAD_ORIGIN: 'https://duban-attachments.s3.us-east-1.amazonaws.com',
  // The portal asks the reconcile function to follow an approved extension (it refuses to load without it).
  RECONCILE_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:duban-reconcile',
  // As the deployed functions run (DubanFunction sets it): Node then reads each bundle's source map at load.
  NODE_OPTIONS: '--enable-source-maps',
};

/** Imports a bundle in a fresh process and reports the module's own init time, measured inside it. */
const MEASURE = `
const started = performance.now();
const mod = await import(process.argv[2]);
const ms = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ ms }));
`;

export interface BundleBenchResult {
  /** functions/dispatch.ts: plans a stage and enqueues it (DynamoDB + SQS). */
  readonly dispatchBytes: number | null;
  /** functions/dispatch-worker.ts: sends the notices (DynamoDB + SES); it runs for every batch. */
  readonly workerBytes: number | null;
  readonly reconcileBytes: number | null;
  readonly calendarApiBytes: number | null;
  readonly submissionsApiBytes: number | null;
  /** The portal function (Hono, its pages, S3 and KMS clients): beside dispatch's, for comparison. */
  readonly portalBytes: number | null;
  /** The portal's module init, median of the same fresh-process imports. */
  readonly portalInitMs: number | null;
  /** The SES delivery events function. */
  readonly deliveryEventsBytes: number | null;
  /** The dispatch function's SDK clients alone (DynamoDB + SQS + KMS). */
  readonly sdkOnlyBytes: number;
  /** The worker's SDK clients alone (DynamoDB, SES, and SES v2 for the suppression list). */
  readonly workerSdkOnlyBytes: number;
  /** Median of `runs` fresh-process imports, ms. */
  readonly initMs: InitTimes;
  /** Dispatch against its SDK floor: the goal as measured before the fan-out, for the function Scheduler invokes. */
  readonly bytesRatio: number | null;
  readonly initRatio: number | null;
  /** The worker against its SDK floor, held to the same goals. */
  readonly workerBytesRatio: number | null;
  readonly workerInitRatio: number | null;
  readonly runs: number;
  /** The largest contributors (bytes in the output, by package or source folder). */
  readonly dispatchTop: Record<string, number>;
  readonly workerTop: Record<string, number>;
  readonly errors: Record<string, string>;
}

export async function runBundleBench(options: { runs: number }): Promise<BundleBenchResult> {
  const out = mkdtempSync(join(tmpdir(), 'duban-bench-bundle-'));
  try {
    const base = lambdaEsbuildOptions();
    const errors: Record<string, string> = {};
    const built = await Promise.all(
      Object.entries(FUNCTIONS).map(async ([name, entry]) => {
        const outfile = join(out, name, 'index.mjs');
        try {
          const result = await build({ ...base, entryPoints: [join(REPO_ROOT, entry)], outfile });
          return [name, { outfile, bytes: statSync(outfile).size, metafile: result.metafile }] as const;
        } catch (error) {
          errors[name] = (error as Error).message.split('\n').slice(0, 3).join(' ');
          return [name, undefined] as const;
        }
      }),
    );
    const bundles = Object.fromEntries(built);
    const floor = async (fn: 'dispatch' | 'worker') => {
      const outfile = join(out, `sdk-only-${fn}`, 'index.mjs');
      await build({
        ...base,
        stdin: { contents: sdkOnly(fn), resolveDir: REPO_ROOT, sourcefile: `sdk-only-${fn}.ts`, loader: 'ts' },
        outfile,
      });
      return { outfile, bytes: statSync(outfile).size };
    };
    const [dispatchFloor, workerFloor] = await Promise.all([floor('dispatch'), floor('worker')]);

    const measure = join(out, 'measure.mjs');
    writeFileSync(measure, MEASURE);
    const { dispatch, worker } = bundles;
    const init = await medianInit(
      measure,
      { dispatch: dispatch?.outfile, worker: worker?.outfile },
      { sdkOnly: dispatchFloor.outfile, workerSdkOnly: workerFloor.outfile },
      options.runs,
      errors,
    );
    const portal = bundles.portal?.outfile;
    const portalInit = portal ? median(Array.from({ length: options.runs }, () => initOnce(measure, portal))) : null;

    const bytes = (name: keyof typeof FUNCTIONS) => bundles[name]?.bytes ?? null;
    const ratio = (a: number | null | undefined, b: number | undefined) =>
      a === null || a === undefined || b === undefined ? null : round(a / b, 3);
    const dispatchBytes = bytes('dispatch');
    const workerBytes = bytes('worker');
    return {
      dispatchBytes,
      workerBytes,
      reconcileBytes: bytes('reconcile'),
      calendarApiBytes: bytes('calendarApi'),
      submissionsApiBytes: bytes('submissionsApi'),
      portalBytes: bytes('portal'),
      deliveryEventsBytes: bytes('deliveryEvents'),
      sdkOnlyBytes: dispatchFloor.bytes,
      workerSdkOnlyBytes: workerFloor.bytes,
      initMs: init,
      portalInitMs: portalInit === null ? null : round(portalInit),
      bytesRatio: ratio(dispatchBytes, dispatchFloor.bytes),
      initRatio: ratio(init.dispatch, init.sdkOnly),
      workerBytesRatio: ratio(workerBytes, workerFloor.bytes),
      workerInitRatio: ratio(init.worker, init.workerSdkOnly),
      runs: options.runs,
      dispatchTop: dispatch?.metafile ? topContributors(dispatch.metafile) : {},
      workerTop: worker?.metafile ? topContributors(worker.metafile) : {},
      errors,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

interface InitTimes {
  readonly dispatch: number | null;
  readonly worker: number | null;
  readonly sdkOnly: number;
  readonly workerSdkOnly: number;
}

/**
 * Medians of fresh-process imports, the bundles alternating run by run so drift in load hits all alike.
 * A bundle that cannot load by itself is named in `errors` and has no time.
 */
async function medianInit(
  measure: string,
  functions: Record<'dispatch' | 'worker', string | undefined>,
  floors: Record<'sdkOnly' | 'workerSdkOnly', string>,
  runs: number,
  errors: Record<string, string>,
): Promise<InitTimes> {
  const candidates = Object.entries(floors).map(([name, bundle]) => ({ name, bundle }));
  for (const [name, bundle] of Object.entries(functions)) {
    if (!bundle) continue;
    try {
      initOnce(measure, bundle);
      candidates.push({ name, bundle });
    } catch (error) {
      errors[`${name}Init`] = (error as Error).message;
    }
  }
  const times = new Map(candidates.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < runs; i++) {
    for (const c of candidates) times.get(c.name)?.push(initOnce(measure, c.bundle));
  }
  const of = (name: string) => {
    const xs = times.get(name);
    return xs && xs.length > 0 ? median(xs) : null;
  };
  return {
    dispatch: of('dispatch'),
    worker: of('worker'),
    sdkOnly: of('sdkOnly') as number,
    workerSdkOnly: of('workerSdkOnly') as number,
  };
}

function initOnce(measure: string, bundle: string): number {
  const child = spawnSync(process.execPath, [measure, pathToFileURL(bundle).href], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (child.status !== 0) {
    const lines = child.stderr.split('\n');
    const cause = lines.find((l) => /^\w*Error\b|Cannot find/.test(l.trim())) ?? lines.slice(-6).join(' ');
    throw new Error(`importing the bundle failed: ${cause.trim()}`);
  }
  return (JSON.parse(child.stdout) as { ms: number }).ms;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return round(
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2,
    1,
  );
};

/** Output bytes by npm package (`zod`, `@aws-sdk/client-ses`) or, for our own code, its top folder. */
function topContributors(metafile: Metafile, count = 8): Record<string, number> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/')[0] ?? path;
      totals.set(pkg, (totals.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).slice(0, count));
}
