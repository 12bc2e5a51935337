import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { makeMailer, makeStores } from '../../shared/adapters/aws/wiring.js';
import { startEmbeddedStack } from '../../shared/adapters/local/embeddedStack.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { FileRunnerJournal, RunnerJournalError } from '../../shared/adapters/local/runnerJournal.js';
import { LocalScheduleRunner } from '../../shared/adapters/local/scheduleRunner.js';
import { powertoolsLog } from '../../shared/adapters/powertoolsLog.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { systemClock } from '../../shared/domain/time/clocks.js';
import { makeDispatchHandler } from '../../shared/handlers/dispatchHandler.js';
import { loadPlanFile, UsageError } from '../io.js';
import { describeReconcile } from '../output/calendarOutput.js';
import { describeDeadLetter, describeFiring, describeResumed } from '../output/runnerOutput.js';
import { explainListenError, refuseIfRunning } from '../preflight.js';
import { LOCAL_DIR, LOCAL_SCHEDULES, LOCAL_STATE, type LocalState } from '../target.js';

interface LocalFlags {
  plan: string;
  dynamoPort: string;
  sesPort: string;
  tick: string;
}

export function registerLocalCommands(program: Command): void {
  const local = program.command('local').description('the embedded stack, kept running on the real clock');
  local
    .command('up')
    .description(
      'run dynalite, the local SES (web mailbox) and the schedule runner until Ctrl-C; data persists in .duban/',
    )
    .option('--plan <file>', 'plan to import at start (kept if already imported)', 'plans/jiangmen-2021.json')
    .option('--dynamo-port <port>', 'DynamoDB (dynalite) port', '4567')
    .option('--ses-port <port>', 'SES (aws-ses-v2-local) port and mailbox', '8005')
    .option('--tick <seconds>', 'how often the runner looks for due schedules', '5')
    .action(async (flags: LocalFlags) => {
      const plan = loadPlanFile(flags.plan);
      refuseIfRunning(LOCAL_STATE);
      mkdirSync(LOCAL_DIR, { recursive: true });
      const journal = new FileRunnerJournal(LOCAL_DIR);
      // Read before anything starts: a damaged journal is reported, not silently replaced.
      const [resumed, deadLetters] = readJournal(journal);
      const ports = { dynamo: Number(flags.dynamoPort), ses: Number(flags.sesPort) };
      const stack = await startEmbeddedStack({
        dynamoPath: resolve(LOCAL_DIR, 'dynamo'),
        dynamoPort: ports.dynamo,
        sesPort: ports.ses,
      }).catch((error: unknown) => {
        throw explainListenError(error, ports);
      });
      const endpoints = {
        region: stack.region,
        dynamodbEndpoint: stack.dynamodbEndpoint,
        sesEndpoint: stack.sesEndpoint,
      };
      const stores = makeStores(endpoints, stack.tableName);
      const { mailer, ses } = makeMailer(endpoints, { sender: 'duban@jiangmen.example', maxSendRate: 10 });
      const schedules = new LocalScheduleStore(LOCAL_SCHEDULES);
      const log = powertoolsLog();
      const runner = new LocalScheduleRunner({
        store: schedules,
        target: makeDispatchHandler({ ...stores, mailer, clock: systemClock, log }),
        clock: systemClock,
        journal,
      });
      const state: LocalState = {
        pid: process.pid,
        ...endpoints,
        tableName: stack.tableName,
        mailboxUrl: stack.mailboxUrl,
        startedAt: new Date().toISOString(),
      };
      writeFileSync(LOCAL_STATE, JSON.stringify(state, null, 2));

      const existing = await stores.calendar.loadPlan(plan.id);
      const deps = { calendar: stores.calendar, schedules, clock: systemClock };
      const { reconcile } = existing ? { reconcile: undefined } : await importPlan(deps, plan, 'local-up');
      const upcoming = schedules.all().filter((s) => s.plan === plan.id);

      console.log('Duban local stack (real clock) — Ctrl-C stops everything');
      console.log(`  mailbox (aws-ses-v2-local web UI): ${stack.mailboxUrl}`);
      console.log(`  DynamoDB (dynalite):               ${stack.dynamodbEndpoint}  table ${stack.tableName}`);
      console.log(`  data:                              ${LOCAL_DIR}`);
      console.log(
        `  plan ${plan.id}: ${existing ? 'already imported' : 'imported'}; ${upcoming.length} schedules ahead`,
      );
      if (reconcile) for (const line of describeReconcile(reconcile)) console.log(`    ${line}`);
      if (upcoming.length === 0) {
        console.log(`    every fire time of ${plan.id} is in the past; move a deadline to watch the ladder run, e.g.`);
        console.log(`    npm run -s cli -- calendar set-deadline ${plan.id} annual-summary <a workday next week>`);
      }
      for (const line of describeResumed(resumed, systemClock.now())) console.log(line);
      if (deadLetters.length > 0) {
        console.log(
          `  dead letters: ${deadLetters.length} firings failed every attempt and were not sent, kept in ${journal.deadLettersFile}`,
        );
      }
      console.log(`  board: npm run -s cli -- status ${plan.id}`);

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
          for (const f of runner.firings.slice(before)) console.log(`  ${describeFiring(f, plan.timezone)}`);
          for (const d of runner.deadLetters.slice(letters)) {
            console.error(`  ${describeDeadLetter(d)}`);
            console.error(`    kept in ${journal.deadLettersFile}; nothing more is sent for it`);
          }
        } finally {
          ticking = false;
        }
      };
      const timer = setInterval(tick, Number(flags.tick) * 1000);
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
      // A firing under way is finished if it can be; if not, it stays journalled and runs at the next start.
      await runner.stop();
      stores.ddb.destroy();
      ses.destroy();
      await stack.stop();
      rmSync(LOCAL_STATE, { force: true });
      const waiting = runner.waiting().length;
      console.log(
        `stopped; data kept in ${LOCAL_DIR}${waiting > 0 ? ` (${waiting} firings to resume at the next start)` : ''}`,
      );
    });
}

function readJournal(journal: FileRunnerJournal) {
  try {
    return [journal.pending(), journal.deadLetters()] as const;
  } catch (error) {
    if (error instanceof RunnerJournalError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}
