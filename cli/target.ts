import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { callerArn } from '../shared/adapters/aws/callerIdentity.js';
import { type AwsRegion, defaultRegionChain, makeCliAwsStores } from '../shared/adapters/aws/cliAwsStores.js';
import { KmsMacSigner, makeKmsClient } from '../shared/adapters/aws/kms/kmsMacSigner.js';
import { invokeAndWait } from '../shared/adapters/aws/lambdaInvoker.js';
import { DryRunScheduleStore } from '../shared/adapters/aws/scheduler/dryRunScheduleStore.js';
import type { TargetArns } from '../shared/adapters/aws/scheduler/eventBridgeScheduleStore.js';
import { makeEventBridgeScheduleStore } from '../shared/adapters/aws/scheduler/wiring.js';
import { decodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import { makeMailer, makeStores, type StoreAdapters } from '../shared/adapters/aws/wiring.js';
import { keyFileSigner } from '../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { LocalWorkQueue } from '../shared/adapters/local/localWorkQueue.js';
import { isAlive } from '../shared/adapters/local/processes.js';
import {
  ConfigError,
  readCliAwsConfig,
  readMailConfig,
  readPortalConfig,
  readSchedulingConfig,
  type SchedulingConfig,
} from '../shared/config.js';
import type { DispatchOutcome } from '../shared/domain/dispatch/dispatch.js';
import { noticeWorkSchema } from '../shared/domain/dispatch/noticeWork.js';
import { isUnfinished, type SendResult, sendNotices } from '../shared/domain/dispatch/sendNotices.js';
import type { PortalLinks } from '../shared/domain/links/unitLink.js';
import { silentLog } from '../shared/domain/log.js';
import type { Mailer, SchedulePayload, ScheduleStore } from '../shared/domain/ports.js';
import { systemClock } from '../shared/domain/time/clocks.js';
import { makeDispatchHandler } from '../shared/handlers/dispatchHandler.js';
import { RefusedError, UsageError } from './errors.js';

/** Where `npm run local` keeps its data and tells other commands how to reach it. */
export const LOCAL_DIR = resolve(process.env.DUBAN_LOCAL_DIR ?? '.duban');
export const LOCAL_STATE = resolve(LOCAL_DIR, 'local.json');
export const LOCAL_SCHEDULES = resolve(LOCAL_DIR, 'schedules.json');
/** Notices enqueued by dispatch and not yet sent, and the queue's dead letters. */
export const LOCAL_QUEUE = resolve(LOCAL_DIR, 'queue.json');

export interface LocalState {
  readonly pid: number;
  readonly region: string;
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
  readonly mailboxUrl: string;
  /** The units' portal, which the links in notices point to. */
  readonly portalUrl: string;
  readonly s3Endpoint: string;
  readonly startedAt: string;
}

/** The stores and schedule store a command works on: the running local stack, or AWS. */
export interface Target {
  readonly kind: 'local' | 'aws';
  readonly stores: StoreAdapters;
  /**
   * The schedule store, made on first use: on AWS it needs DISPATCH_FUNCTION_ARN, SCHEDULER_ROLE_ARN and
   * SCHEDULE_DLQ_ARN, which commands that only read the calendar (list, history, status, submit) do not.
   */
  readonly schedules: ScheduleStore;
  /**
   * A dry-run schedule store over this target's schedules: it reads them and records the exact
   * EventBridge requests a change would take (with the stack's ARNs on AWS, placeholders locally),
   * sending nothing.
   */
  previewSchedules(): DryRunScheduleStore;
  /**
   * Where this target's links point and the key that signs them: the local stack's key file and portal, or
   * on AWS the KMS HMAC key and portal URL the stack outputs (LINK_KEY_ID, PORTAL_URL).
   */
  portal(): PortalLinks;
  /**
   * The mailer for answers sent from the command line (办结, 退回, decisions on extensions): the local SES, or
   * on AWS SES with the stack's sender (SENDER_EMAIL).
   */
  mailer(): Mailer;
  /**
   * Runs the dispatch of one payload now. On AWS the dispatch function enqueues the notices and the workers
   * send them; locally this process runs dispatch and then a worker over what it enqueued (the counts).
   */
  dispatch(payload: SchedulePayload): Promise<FiredOutcome>;
  /**
   * Who the audit trail names for a change: on AWS the caller's IAM identity (STS), which `--actor`
   * cannot override; locally `cli:<actor>` (`--actor`, then $DUBAN_ACTOR, then $USER).
   */
  actor(claimed: string | undefined): Promise<string>;
  close(): void;
}

/** What a dispatch run now did; `sent` and the rest only where this process sent the notices itself (locally). */
export type FiredOutcome =
  | Extract<DispatchOutcome, { status: 'skipped' }>
  | (Extract<DispatchOutcome, { status: 'done' }> & {
      readonly sent?: number;
      readonly alreadySent?: number;
      /** Failed, or still in flight elsewhere: not sent by this run. */
      readonly unfinished?: number;
    });

/** The local actor: what the person says, marked as said through the CLI. */
export const localActor = (claimed: string | undefined) =>
  `cli:${claimed ?? process.env.DUBAN_ACTOR ?? process.env.USER ?? 'admin'}`;

/** `--aws` or `DUBAN_TARGET=aws`: AWS through the stack's outputs in the environment; otherwise the local stack. */
export function wantsAws(flag: boolean | undefined): boolean {
  return Boolean(flag) || process.env.DUBAN_TARGET === 'aws';
}

/** Where the README tells how to set the environment for `--aws`. */
const DEPLOY_STEP = 'export the stack outputs as shown in README.md, section "Deploy", step 5';

export function openTarget(aws: boolean | undefined): Target {
  return wantsAws(aws) ? openAws() : openLocal();
}

function openAws(): Target {
  let mail: ReturnType<typeof makeMailer> | undefined;
  const { TABLE_NAME, AWS_REGION } = fromEnvironment(readCliAwsConfig);
  const region: AwsRegion =
    AWS_REGION ??
    defaultRegionChain(
      (cause) =>
        new RefusedError(
          'working on AWS needs a region: set AWS_REGION, or a region for your profile (aws configure set region …)',
          { cause },
        ),
    );
  const stores = makeCliAwsStores(TABLE_NAME, region);
  let scheduling: SchedulingConfig | undefined;
  const schedulingConfig = () => {
    scheduling ??= fromEnvironment(readSchedulingConfig);
    return scheduling;
  };
  let schedules: ScheduleStore | undefined;
  return {
    kind: 'aws',
    stores,
    get schedules() {
      schedules ??= makeEventBridgeScheduleStore(schedulingConfig(), region);
      return schedules;
    },
    portal() {
      const config = fromEnvironment(readPortalConfig);
      return { baseUrl: config.PORTAL_URL, signer: new KmsMacSigner(makeKmsClient(AWS_REGION), config.LINK_KEY_ID) };
    },
    async dispatch(payload) {
      return (await invokeAndWait(schedulingConfig().DISPATCH_FUNCTION_ARN, payload, region)) as FiredOutcome;
    },
    mailer() {
      mail ??= makeMailer(AWS_REGION ? { region: AWS_REGION } : {}, {
        sender: fromEnvironment(readMailConfig).SENDER_EMAIL,
        maxSendRate: 1,
      });
      return mail.mailer;
    },
    previewSchedules() {
      const config = schedulingConfig();
      const arns: TargetArns = {
        targetArn: config.DISPATCH_FUNCTION_ARN,
        roleArn: config.SCHEDULER_ROLE_ARN,
        deadLetterArn: config.SCHEDULE_DLQ_ARN,
      };
      return new DryRunScheduleStore({
        groupPrefix: config.SCHEDULE_GROUP_PREFIX,
        ...arns,
        readThrough: this.schedules,
      });
    },
    async actor(claimed) {
      if (claimed !== undefined) {
        throw new UsageError(
          '--actor works only on the local stack: on AWS the audit trail names your IAM identity (STS GetCallerIdentity)',
        );
      }
      return callerArn(region);
    },
    close: () => {
      stores.ddb.destroy();
      mail?.ses.destroy();
    },
  };
}

function openLocal(): Target {
  const state = readLocalState();
  let mail: ReturnType<typeof makeMailer> | undefined;
  const localPortal = (): PortalLinks => ({
    baseUrl: state.portalUrl,
    signer: keyFileSigner(resolve(LOCAL_DIR, 'keys', 'link.key'), 'local-link'),
  });
  const stores = makeStores({ region: state.region, dynamodbEndpoint: state.dynamodbEndpoint }, state.tableName);
  const schedules = new LocalScheduleStore(LOCAL_SCHEDULES);
  return {
    kind: 'local',
    stores,
    schedules,
    // The local runner is not EventBridge: the requests are shown as the AWS adapter would send them.
    previewSchedules: () => new DryRunScheduleStore({ groupPrefix: 'duban-', readThrough: schedules }),
    portal: localPortal,
    async dispatch(payload) {
      // The fan-out in this process: dispatch enqueues on a queue of its own, one worker sends all of it.
      const queue = new LocalWorkQueue({ clock: systemClock });
      const deps = { ...stores, queue, clock: systemClock, log: silentLog, portal: localPortal() };
      const outcome = await makeDispatchHandler(deps)(payload);
      if (outcome.status !== 'done') return outcome;
      const notices = (await queue.receive(Number.MAX_SAFE_INTEGER)).map((m) =>
        noticeWorkSchema.parse(decodeNotice(m.body)),
      );
      const mailer = this.mailer();
      const results = await sendNotices({ ...stores, mailer, clock: systemClock, log: silentLog }, notices);
      const count = (r: SendResult) => results.filter((x) => x === r).length;
      return {
        ...outcome,
        sent: count('sent'),
        alreadySent: count('already-sent'),
        unfinished: results.filter(isUnfinished).length,
      };
    },
    mailer() {
      mail ??= makeMailer(
        { region: state.region, sesEndpoint: state.sesEndpoint },
        { sender: 'duban@jiangmen.example', maxSendRate: 10 },
      );
      return mail.mailer;
    },
    close: () => {
      stores.ddb.destroy();
      mail?.ses.destroy();
    },
    actor: async (claimed) => localActor(claimed),
  };
}

/** Reads a part of the environment; a missing or malformed variable is the user's to fix, and named. */
function fromEnvironment<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const names = error.variables.length > 0 ? error.variables.join(', ') : 'its variables';
    throw new RefusedError(`working on AWS needs ${names} in the environment (${error.message}): ${DEPLOY_STEP}`, {
      cause: error,
    });
  }
}

export function readLocalState(): LocalState {
  if (!existsSync(LOCAL_STATE)) {
    throw new RefusedError('no local stack is running: start one with `npm run local` (or pass --aws to work on AWS)');
  }
  const state = JSON.parse(readFileSync(LOCAL_STATE, 'utf8')) as LocalState;
  if (!isAlive(state.pid)) {
    throw new RefusedError(
      `the local stack (pid ${state.pid}) is not running any more: start it with \`npm run local\``,
    );
  }
  return state;
}

/** `--now ISO` for commands that depend on the time; the system clock otherwise. */
export function clockFrom(now: string | undefined, parse: (s: string) => number) {
  if (now === undefined) return { now: () => Date.now() };
  const fixed = parse(now);
  return { now: () => fixed };
}
