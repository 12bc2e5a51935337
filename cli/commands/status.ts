import type { Command } from 'commander';
import {
  FileRunnerJournal,
  type PendingFiring,
  RunnerJournalError,
} from '../../shared/adapters/local/runnerJournal.js';
import type { DeadLetter } from '../../shared/adapters/local/scheduleRunner.js';
import { buildBoard } from '../../shared/domain/board/board.js';
import { exitBoard } from '../../shared/domain/exits/board.js';
import { ledgerOf } from '../../shared/domain/exits/status.js';
import { parseInstant } from '../../shared/domain/time/wallClock.js';
import { renderExitBoard } from '../output/exitOutput.js';
import { renderBoard } from '../output/printTimeline.js';
import { describeDeadLetter, describeDeadLetterStage } from '../output/runnerOutput.js';
import { clockFrom, LOCAL_DIR, openTarget } from '../target.js';
import { loadStored } from './calendarRun.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status <plan>')
    .description('the 红/黄/绿 board of a plan on the running local stack (or AWS)')
    .option('--aws', 'read AWS instead of the local stack')
    .option('--json', 'print the board as JSON')
    .option('--now <iso>', 'the board as of this time (default: now)')
    .action(showStatus);
}

export interface StatusOptions {
  readonly aws?: boolean;
  readonly json?: boolean;
  readonly now?: string;
}

/** `status <plan>`: the board as of now (or `--now`), and beside it what the local runner failed to send. */
export async function showStatus(planId: string, flags: StatusOptions): Promise<void> {
  const target = openTarget(flags.aws);
  try {
    const stored = await loadStored(target.stores.calendar, planId);
    const now = clockFrom(flags.now, parseInstant).now();
    const board = await buildBoard(stored, target.stores, now);
    // The local runner's failures are beside the board, never in it: on stderr with --json.
    const failures = target.kind === 'local' ? localFailures(planId) : [];
    if (flags.json) {
      console.log(JSON.stringify(board, null, 2));
      for (const line of failures) console.error(line);
      return;
    }
    console.log(`${stored.title} — 督办看板\n`);
    console.log(renderBoard(stored, board, Boolean(process.stdout.isTTY)));
    const ledger = ledgerOf(stored);
    if (ledger) {
      const exits = exitBoard(stored, ledger, await target.stores.exits.listItems(planId), now);
      console.log(
        `\n落后产能退出台账（ledger list ${planId} 列出每家企业）\n\n${renderExitBoard(exits, Boolean(process.stdout.isTTY))}`,
      );
    }
    if (failures.length > 0) console.log(`\n${failures.join('\n')}`);
  } finally {
    target.close();
  }
}

/**
 * Firings of the plan that the local runner gave up on (dead letters) or will retry: a board can look
 * calm while notices it implies were never sent, so the operator is told where they are kept.
 */
function localFailures(planId: string): string[] {
  const journal = new FileRunnerJournal(LOCAL_DIR);
  let letters: DeadLetter[];
  let retries: PendingFiring[];
  try {
    letters = journal.deadLetters().filter((d) => d.payload.plan === planId);
    retries = journal.pending().filter((p) => p.spec.plan === planId);
  } catch (error) {
    // The board is still right; what cannot be read is said, not hidden.
    if (error instanceof RunnerJournalError) return [`warning: ${error.message}`];
    throw error;
  }
  const lines: string[] = [];
  if (letters.length > 0) {
    lines.push(
      `死信 dead letters: ${letters.length} firings of ${planId} failed every attempt; their notices were not sent (kept in ${journal.deadLettersFile})`,
    );
    for (const d of letters) lines.push(`  ${describeDeadLetter(d)}`, `    ${describeDeadLetterStage(d)}`);
  }
  if (retries.length > 0) lines.push(`${retries.length} firings of ${planId} are waiting for a retry`);
  return lines;
}
