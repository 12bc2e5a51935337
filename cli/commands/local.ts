import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { decodeNotice } from '../../shared/adapters/aws/sqs/messageCodec.js';
import { makeMailer, makeStores } from '../../shared/adapters/aws/wiring.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../shared/adapters/local/embeddedStack.js';
import { keyFileSigner } from '../../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { LocalWorkQueue } from '../../shared/adapters/local/localWorkQueue.js';
import { QueueFileError, readQueueFile, writeQueueFile } from '../../shared/adapters/local/queueFile.js';
import {
  type DeadLetter,
  FileRunnerJournal,
  type PendingFiring,
  RunnerJournalError,
} from '../../shared/adapters/local/runnerJournal.js';
import { LocalScheduleRunner } from '../../shared/adapters/local/scheduleRunner.js';
import { LocalWorkerPool } from '../../shared/adapters/local/workerPool.js';
import { powertoolsLog } from '../../shared/adapters/powertoolsLog.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import type { ReconcileResult } from '../../shared/domain/schedule/reconcile.js';
import { systemClock } from '../../shared/domain/time/clocks.js';
import { makeDispatchHandler } from '../../shared/handlers/dispatchHandler.js';
import { makeWorkerHandler } from '../../shared/handlers/dispatchWorkerHandler.js';
import { port, RefusedError, wholeNumber } from '../errors.js';
import { loadPlanFile } from '../io.js';
import { type LocalPortal, startLocalPortal } from '../localPortal.js';
import { describeReconcile } from '../output/calendarOutput.js';
import { describeDeadLetter, describeFiring, describeResumed } from '../output/runnerOutput.js';
import { explainListenError, refuseIfRunning } from '../preflight.js';
import { LOCAL_DIR, LOCAL_QUEUE, LOCAL_SCHEDULES, LOCAL_STATE, type LocalState } from '../target.js';

export interface LocalUpOptions {
  readonly plan: string;
  readonly dynamoPort: number;
  readonly sesPort: number;
  readonly portalPort: number;
  readonly s3Port: number;
  /** Seconds between the runner's looks for due schedules. */
  readonly tick: number;
}

export function registerLocalCommands(program: Command): void {
  const local = program.command('local').description('the embedded stack, kept running on the real clock');
  local
    .command('up')
    .description(
      'run dynalite, the local SES (web mailbox) and the schedule runner until Ctrl-C; data persists in .duban/',
    )
    .option('--plan <file>', 'plan to import at start (kept if already imported)', 'plans/jiangmen-2021.json')
    .option('--dynamo-port <port>', 'DynamoDB (dynalite) port', port, 4567)
    .option('--ses-port <port>', 'SES (aws-ses-v2-local) port and mailbox', port, 8005)
    .option('--portal-port <port>', 'the units’ portal', port, 8010)
    .option('--s3-port <port>', 'S3 for attachments (s3rver behind a policy gate)', port, 8011)
    .option('--tick <seconds>', 'how often the runner looks for due schedules', wholeNumber(1, 3600), 5)
    .action(runLocalUp);
}

/** `local up`: start everything, say where it is, fire due schedules every tick until Ctrl-C, stop cleanly. */
export async function runLocalUp(options: LocalUpOptions): Promise<void> {
  const running = await startLocalStack(options);
  for (const line of describeLocalStack(running)) console.log(line);
  await tickUntilStopped(running, options.tick);
  const waiting = await stopLocalStack(running);
  console.log(
    `stopped; data kept in ${LOCAL_DIR}${waiting > 0 ? ` (${waiting} firings to resume at the next start)` : ''}`,
  );
}

/** What `local up` runs, and what it found at start. */
interface RunningStack {
  readonly plan: Plan;
  readonly stack: EmbeddedStack;
  readonly portal: LocalPortal;
  readonly runner: LocalScheduleRunner;
  readonly workers: LocalWorkerPool;
  readonly journal: FileRunnerJournal;
  readonly schedules: LocalScheduleStore;
  readonly imported: boolean;
  readonly reconcile?: ReconcileResult;
  readonly resumed: readonly PendingFiring[];
  readonly deadLetters: readonly DeadLetter[];
  close(): void;
}

async function startLocalStack(options: LocalUpOptions): Promise<RunningStack> {
  const plan = loadPlanFile(options.plan);
  refuseIfRunning(LOCAL_STATE);
  mkdirSync(LOCAL_DIR, { recursive: true });
  const journal = new FileRunnerJournal(LOCAL_DIR);
  // Read before anything starts: a damaged journal is reported, not silently replaced.
  const [resumed, deadLetters] = readJournal(journal);
  const savedQueue = readSavedQueue();
  const ports = { dynamo: options.dynamoPort, ses: options.sesPort, portal: options.portalPort, s3: options.s3Port };
  const stack = await startEmbeddedStack({
    dynamoPath: resolve(LOCAL_DIR, 'dynamo'),
    dynamoPort: ports.dynamo,
    sesPort: ports.ses,
  }).catch((error: unknown) => {
    throw explainListenError(error, ports);
  });
  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint, sesEndpoint: stack.sesEndpoint };
  const stores = makeStores(endpoints, stack.tableName);
  const { mailer, ses } = makeMailer(endpoints, { sender: 'duban@jiangmen.example', maxSendRate: 10 });
  const schedules = new LocalScheduleStore(LOCAL_SCHEDULES);
  const log = powertoolsLog();
  const linkSigner = keyFileSigner(resolve(LOCAL_DIR, 'keys', 'link.key'), 'local-link');
  const portal = await startLocalPortal({
    stores,
    mailer,
    schedules,
    region: stack.region,
    linkSigner,
    sessionSigner: keyFileSigner(resolve(LOCAL_DIR, 'keys', 'session.key'), 'local-session'),
    clock: systemClock,
    log,
    portalPort: ports.portal,
    s3Port: ports.s3,
    s3Directory: resolve(LOCAL_DIR, 's3'),
    // The office's pages beside the portal: sign-in links go to the local mailbox.
    office: {
      ...stores,
      schedules,
      mailer,
      staffSigner: keyFileSigner(resolve(LOCAL_DIR, 'keys', 'staff.key'), 'local-staff'),
      portal: { baseUrl: 'http://127.0.0.1', signer: linkSigner },
    },
  }).catch(async (error: unknown) => {
    await stack.stop();
    throw explainListenError(error, ports);
  });
  // The fan-out as on AWS: dispatch enqueues, one worker sends (the whole local rate is its share).
  const queue = new LocalWorkQueue({
    clock: systemClock,
    saved: savedQueue,
    persist: (state) => writeQueueFile(LOCAL_QUEUE, state),
  });
  const runner = new LocalScheduleRunner({
    store: schedules,
    target: makeDispatchHandler({
      ...stores,
      queue,
      clock: systemClock,
      log,
      portal: { baseUrl: portal.url, signer: linkSigner },
    }),
    clock: systemClock,
    journal,
  });
  const worker = makeWorkerHandler({ ...stores, mailer, decode: decodeNotice, clock: systemClock, log });
  const workers = new LocalWorkerPool({
    queue,
    clock: systemClock,
    workers: 1,
    target: (records) => worker({ Records: records }),
  });
  const state: LocalState = {
    pid: process.pid,
    ...endpoints,
    tableName: stack.tableName,
    mailboxUrl: stack.mailboxUrl,
    portalUrl: portal.url,
    s3Endpoint: portal.s3.endpoint,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(LOCAL_STATE, JSON.stringify(state, null, 2));

  const existing = await stores.calendar.loadPlan(plan.id);
  const { reconcile } = existing
    ? { reconcile: undefined }
    : await importPlan({ calendar: stores.calendar, schedules, clock: systemClock }, plan, 'local-up');
  return {
    plan,
    stack,
    portal,
    runner,
    workers,
    journal,
    schedules,
    imported: !existing,
    ...(reconcile ? { reconcile } : {}),
    resumed,
    deadLetters,
    close() {
      stores.ddb.destroy();
      ses.destroy();
    },
  };
}

/** The banner: where everything is, what was imported or resumed, and what to try next. */
function describeLocalStack(running: RunningStack): string[] {
  const { plan, stack, journal } = running;
  const upcoming = running.schedules.all().filter((s) => s.plan === plan.id);
  const lines = [
    'Duban local stack (real clock) — Ctrl-C stops everything',
    `  mailbox (aws-ses-v2-local web UI): ${stack.mailboxUrl}`,
    `  portal: ${running.portal.url}`,
    `  DynamoDB (dynalite):               ${stack.dynamodbEndpoint}  table ${stack.tableName}`,
    `  data:                              ${LOCAL_DIR}`,
    `  plan ${plan.id}: ${running.imported ? 'imported' : 'already imported'}; ${upcoming.length} schedules ahead`,
    ...(running.reconcile ? describeReconcile(running.reconcile).map((line) => `    ${line}`) : []),
  ];
  if (upcoming.length === 0) {
    lines.push(
      `    every fire time of ${plan.id} is in the past; move a deadline to watch the ladder run, e.g.`,
      `    npm run -s cli -- calendar set-deadline ${plan.id} annual-summary <a workday next week>`,
    );
  }
  lines.push(...describeResumed(running.resumed, systemClock.now()));
  if (running.deadLetters.length > 0) {
    lines.push(
      `  dead letters: ${running.deadLetters.length} firings failed every attempt and were not sent, kept in ${journal.deadLettersFile}`,
    );
  }
  lines.push(`  board: npm run -s cli -- status ${plan.id}`);
  return lines;
}

/** Fires what is due every `tickSeconds`, printing each firing, until SIGINT or SIGTERM. */
async function tickUntilStopped(running: RunningStack, tickSeconds: number): Promise<void> {
  const { runner, workers, journal, plan } = running;
  let stopping = false;
  let ticking = false;
  const tick = async () => {
    // A tick slower than the interval is not joined by the next one (it would print its lines twice).
    if (stopping || ticking) return;
    ticking = true;
    try {
      const before = runner.firings.length;
      const letters = runner.deadLetters.length;
      await runner.fireDue().catch((error: Error) => console.error(`runner: ${error.message}`));
      // Notices enqueued by this tick's firings, and any coming back after their visibility timeout.
      await workers.runDue().catch((error: Error) => console.error(`workers: ${error.message}`));
      for (const f of runner.firings.slice(before)) console.log(`  ${describeFiring(f, plan.timezone)}`);
      for (const d of runner.deadLetters.slice(letters)) {
        console.error(`  ${describeDeadLetter(d)}`);
        console.error(`    kept in ${journal.deadLettersFile}; nothing more is sent for it`);
      }
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(tick, tickSeconds * 1000);
  await tick();
  await new Promise<void>((done) => {
    const stop = () => {
      stopping = true;
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(timer);
}

/** Stops the runner (a firing under way stays journalled for the next start), the clients and the stand-ins. */
async function stopLocalStack(running: RunningStack): Promise<number> {
  await running.runner.stop();
  await running.portal.stop();
  running.close();
  await running.stack.stop();
  rmSync(LOCAL_STATE, { force: true });
  return running.runner.waiting().length;
}

function readSavedQueue() {
  try {
    return readQueueFile(LOCAL_QUEUE);
  } catch (error) {
    if (error instanceof QueueFileError) throw new RefusedError(error.message, { cause: error });
    throw error;
  }
}

function readJournal(journal: FileRunnerJournal) {
  try {
    return [journal.pending(), journal.deadLetters()] as const;
  } catch (error) {
    if (error instanceof RunnerJournalError) throw new RefusedError(error.message, { cause: error });
    throw error;
  }
}
