import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalState } from '../../cli/target.js';
import { makeStores } from '../../shared/adapters/aws/wiring.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { type CliRun, runCli } from './cli.js';
import { seedPlan, shanghai } from './seed.js';
import { endpoints, freshTable } from './stack.js';

/**
 * What the CLI takes for a running `npm run local`: a data directory whose state file names this test
 * run's dynalite (a fresh table) and a schedule file, with the seed imported under each of `planIds` on
 * 1 April 2021 (their schedules in that file). The runner itself is not needed to see what commands change.
 */
export async function localTarget(planIds: readonly string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'duban-cli-target-'));
  const env = { ...process.env, DUBAN_LOCAL_DIR: dir, DUBAN_ACTOR: 'li.ming' };
  const scheduleFile = join(dir, 'schedules.json');
  const stack = endpoints();
  const tableName = await freshTable('cli');
  const state: LocalState = {
    pid: process.pid,
    region: stack.region,
    tableName,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    sesEndpoint: stack.sesEndpoint,
    mailboxUrl: `${stack.sesEndpoint}/`,
    // No portal runs for these tests: links in their notices point here and are never opened.
    portalUrl: 'http://127.0.0.1:9',
    s3Endpoint: 'http://127.0.0.1:9',
    startedAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, 'local.json'), JSON.stringify(state));
  const stores = makeStores(stack, tableName);
  const schedules = new LocalScheduleStore(scheduleFile);
  const deps = { calendar: stores.calendar, schedules, clock: new VirtualClock(shanghai('2021-04-01T00:00:00')) };
  for (const id of planIds) await importPlan(deps, { ...seedPlan(), id }, 'admin');

  return {
    dir,
    stores,
    schedules,
    /** Runs the CLI in its own process; resolves with its exit code and output whether it succeeds or not. */
    cli: (...args: string[]): Promise<CliRun> => runCli(args, { env }),
    /** Everything a command could change: the plans, their audit trails, the schedule file's bytes. */
    snapshot: async () => ({
      plans: await Promise.all(planIds.map((id) => stores.calendar.loadPlan(id))),
      audit: await Promise.all(planIds.map((id) => stores.calendar.listAudit(id))),
      file: readFileSync(scheduleFile, 'utf8'),
    }),
    close: () => {
      stores.ddb.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type LocalTarget = Awaited<ReturnType<typeof localTarget>>;
