import pLimit from 'p-limit';
import { makeDynamoClients } from '../shared/adapters/aws/clients.js';
import { ensureTable } from '../shared/adapters/aws/dynamo/table.js';
import { makeMailer, makeStores } from '../shared/adapters/aws/wiring.js';
import type { EmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { HmacSigner } from '../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { dispatchStage } from '../shared/domain/dispatch/dispatch.js';
import { silentLog } from '../shared/domain/log.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import { countRequests } from '../sim/requestCounter.js';
import { round } from './round.js';
import { BENCH_MILESTONE, firstReminder, syntheticPlan } from './syntheticPlan.js';

export interface DispatchBenchOptions {
  readonly stack: EmbeddedStack;
  readonly units: number;
  /** Notices in flight at once (DispatchDeps.concurrency). */
  readonly concurrency: number;
  /** High enough that SES is not what is measured. */
  readonly maxSendRate: number;
  readonly progress: (message: string) => void;
}

export interface DispatchBenchResult {
  readonly units: number;
  readonly submitted: number;
  readonly notices: number;
  readonly ddbRequests: number;
  readonly ddbReadRequests: number;
  readonly ddbRequestsPerNotice: number;
  readonly ddbByCommand: Record<string, number>;
  readonly wallMs: number;
  readonly concurrency: number;
  readonly maxSendRate: number;
}

/**
 * One dispatch of a reminder to `units` units, half of which have submitted, against dynalite and the
 * local SES through the real clients. Only the dispatch's own DynamoDB requests are counted.
 */
export async function runDispatchBench(options: DispatchBenchOptions): Promise<DispatchBenchResult> {
  const { stack, progress } = options;
  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint, sesEndpoint: stack.sesEndpoint };
  const table = `bench-dispatch-${options.units}`;
  const { ddb: admin } = makeDynamoClients(endpoints);
  await ensureTable(admin, table);
  admin.destroy();

  const stores = makeStores(endpoints, table);
  const { ses, mailer } = makeMailer(endpoints, {
    sender: 'duban@office.bench.example',
    maxSendRate: options.maxSendRate,
  });
  try {
    const plan = syntheticPlan(options.units);
    const reminder = firstReminder(plan);
    progress(`dispatch: importing a plan of ${options.units} units`);
    const before = new VirtualClock(reminder.instant - 7 * 86_400_000);
    await importPlan({ calendar: stores.calendar, schedules: new LocalScheduleStore(), clock: before }, plan, 'bench');

    // Every other unit delivered the day before the reminder (setup, not counted).
    const delivered = reminder.units.filter((_, i) => i % 2 === 0);
    progress(`dispatch: recording ${delivered.length} submissions`);
    await pLimit(16).map(delivered, (unit) =>
      stores.submissions.record({
        plan: plan.id,
        milestone: BENCH_MILESTONE,
        unit,
        at: reminder.instant - 86_400_000,
        by: 'bench',
      }),
    );
    const stored = await stores.calendar.loadPlan(plan.id);
    const revision = stored?.milestones.find((m) => m.id === BENCH_MILESTONE)?.revision;
    if (revision === undefined) throw new Error('the benchmark plan did not import');

    progress(`dispatch: sending the reminder to ${options.units - delivered.length} units`);
    const counter = countRequests(stores.ddb);
    const started = performance.now();
    const outcome = await dispatchStage(
      {
        ...stores,
        mailer,
        clock: new VirtualClock(reminder.instant),
        log: silentLog,
        concurrency: options.concurrency,
        portal: { baseUrl: 'http://127.0.0.1:8010', signer: HmacSigner.ephemeral('bench') },
      },
      { plan: plan.id, milestone: BENCH_MILESTONE, stage: 'reminder', revision },
    );
    const wallMs = performance.now() - started;
    counter.detach();
    if (outcome.status !== 'done' || outcome.failed > 0 || outcome.sent !== options.units - delivered.length)
      throw new Error(`dispatch did not send every reminder: ${JSON.stringify({ ...outcome, missing: undefined })}`);

    return {
      units: options.units,
      submitted: delivered.length,
      notices: outcome.sent,
      ddbRequests: counter.total(),
      ddbReadRequests: counter.reads(),
      ddbRequestsPerNotice: round(counter.total() / outcome.sent, 4),
      ddbByCommand: counter.byCommand(),
      wallMs: Math.round(wallMs),
      concurrency: options.concurrency,
      maxSendRate: options.maxSendRate,
    };
  } finally {
    stores.ddb.destroy();
    ses.destroy();
  }
}
