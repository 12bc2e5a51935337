import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { lambdaEsbuildOptions, REPO_ROOT } from '../infra/lambdaBundling.js';
import { round } from './round.js';

/** The same SDK clients as the dispatch function, constructed at init as it does, and nothing else. */
const SDK_ONLY = `
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { ListSuppressedDestinationsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
const ddb = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
const ses = new SESClient({ maxAttempts: 1 });
const kms = new KMSClient({ maxAttempts: 4 });
const sesv2 = new SESv2Client({ maxAttempts: 4 });
const used = [ConditionalCheckFailedException, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, SendRawEmailCommand, GenerateMacCommand, ListSuppressedDestinationsCommand];
export const handler = async () => ({ clients: [doc, ses, kms, sesv2].length, commands: used.length });
`;

const FUNCTIONS = {
  dispatch: 'functions/dispatch.ts',
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
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  // Dispatch signs the personal links in notices, the portal checks them.
  PORTAL_URL: 'https://duban.example.gov.cn',
  LINK_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  SESSION_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab',
  ATTACHMENTS_BUCKET: 'duban-attachments',
  UPLOAD_ORIGIN: 'https://duban-attachments.s3.us-east-1.amazonaws.com',
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
  readonly dispatchBytes: number | null;
  readonly reconcileBytes: number | null;
  readonly calendarApiBytes: number | null;
  readonly submissionsApiBytes: number | null;
  /** The portal function (Hono, its pages, S3 and KMS clients): beside dispatch's, for comparison. */
  readonly portalBytes: number | null;
  /** The portal's module init, median of the same fresh-process imports. */
  readonly portalInitMs: number | null;
  readonly deliveryEventsBytes: number | null;
  readonly sdkOnlyBytes: number;
  /** Median of `runs` fresh-process imports, ms. */
  readonly initMs: InitTimes;
  readonly bytesRatio: number | null;
  readonly initRatio: number | null;
  /** Diagnostic only, when the dispatch bundle cannot load by itself (see InitTimes). */
  readonly initRatioWithNodePath?: number;
  readonly runs: number;
  /** The dispatch bundle's largest contributors (bytes in the output, by package or source folder). */
  readonly dispatchTop: Record<string, number>;
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
    const sdkOutfile = join(out, 'sdk-only', 'index.mjs');
    await build({
      ...base,
      stdin: { contents: SDK_ONLY, resolveDir: REPO_ROOT, sourcefile: 'sdk-only.ts', loader: 'ts' },
      outfile: sdkOutfile,
    });
    const sdkOnlyBytes = statSync(sdkOutfile).size;

    const measure = join(out, 'measure.mjs');
    writeFileSync(measure, MEASURE);
    const dispatch = bundles.dispatch;
    const init = await medianInit(measure, dispatch?.outfile, sdkOutfile, options.runs, errors);
    const portal = bundles.portal?.outfile;
    const portalInit = portal ? median(Array.from({ length: options.runs }, () => initOnce(measure, portal))) : null;

    const bytes = (name: keyof typeof FUNCTIONS) => bundles[name]?.bytes ?? null;
    const dispatchBytes = bytes('dispatch');
    return {
      dispatchBytes,
      reconcileBytes: bytes('reconcile'),
      calendarApiBytes: bytes('calendarApi'),
      submissionsApiBytes: bytes('submissionsApi'),
      portalBytes: bytes('portal'),
      deliveryEventsBytes: bytes('deliveryEvents'),
      sdkOnlyBytes,
      initMs: init,
      portalInitMs: portalInit === null ? null : round(portalInit),
      bytesRatio: dispatchBytes === null ? null : round(dispatchBytes / sdkOnlyBytes, 3),
      initRatio: init.dispatch === null ? null : round(init.dispatch / init.sdkOnly, 3),
      ...(init.dispatchWithNodePath === undefined
        ? {}
        : { initRatioWithNodePath: round(init.dispatchWithNodePath / init.sdkOnly, 3) }),
      runs: options.runs,
      dispatchTop: dispatch?.metafile ? topContributors(dispatch.metafile) : {},
      errors,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

interface InitTimes {
  readonly dispatch: number | null;
  readonly sdkOnly: number;
  /**
   * Only when the dispatch bundle cannot load on its own because it requires a package at run time
   * (MODULE_NOT_FOUND): its init with the repository's node_modules on NODE_PATH, a diagnostic of what
   * the ratio would be once the bundle is self-contained. Never a goal value.
   */
  readonly dispatchWithNodePath?: number;
}

/** Medians of fresh-process imports, the bundles alternating run by run so drift in load hits all alike. */
async function medianInit(
  measure: string,
  dispatch: string | undefined,
  sdkOnly: string,
  runs: number,
  errors: Record<string, string>,
): Promise<InitTimes> {
  const candidates: { name: 'dispatch' | 'dispatchWithNodePath' | 'sdkOnly'; bundle: string; env?: object }[] = [
    { name: 'sdkOnly', bundle: sdkOnly },
  ];
  if (dispatch) {
    try {
      initOnce(measure, dispatch);
      candidates.push({ name: 'dispatch', bundle: dispatch });
    } catch (error) {
      const message = (error as Error).message;
      errors.dispatchInit = message;
      if (/MODULE_NOT_FOUND|Cannot find module/.test(message))
        candidates.push({
          name: 'dispatchWithNodePath',
          bundle: dispatch,
          env: { NODE_PATH: join(REPO_ROOT, 'node_modules') },
        });
    }
  }
  const times = new Map(candidates.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < runs; i++) {
    for (const c of candidates) times.get(c.name)?.push(initOnce(measure, c.bundle, c.env));
  }
  const of = (name: (typeof candidates)[number]['name']) => {
    const xs = times.get(name);
    return xs && xs.length > 0 ? median(xs) : undefined;
  };
  const withNodePath = of('dispatchWithNodePath');
  return {
    dispatch: of('dispatch') ?? null,
    sdkOnly: of('sdkOnly') as number,
    ...(withNodePath === undefined ? {} : { dispatchWithNodePath: withNodePath }),
  };
}

function initOnce(measure: string, bundle: string, env: object = {}): number {
  const child = spawnSync(process.execPath, [measure, pathToFileURL(bundle).href], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV, ...env },
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
