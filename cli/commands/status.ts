import type { Command } from 'commander';
import { buildBoard } from '../../shared/board/board.js';
import { parseInstant } from '../../shared/time/wallClock.js';
import { UsageError } from '../io.js';
import { renderBoard } from '../simulate/printTimeline.js';
import { clockFrom, openTarget } from '../target.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status <plan>')
    .description('the 红/黄/绿 board of a plan on the running local stack (or AWS)')
    .option('--aws', 'read AWS instead of the local stack')
    .option('--json', 'print the board as JSON')
    .option('--now <iso>', 'the board as of this time (default: now)')
    .action(async (planId: string, flags: { aws?: boolean; json?: boolean; now?: string }) => {
      const target = openTarget(flags.aws);
      try {
        const stored = await target.stores.calendar.loadPlan(planId);
        if (!stored)
          throw new UsageError(`plan "${planId}" is not in the calendar; import it with \`calendar import <file>\``);
        const board = await buildBoard(stored, target.stores, clockFrom(flags.now, parseInstant).now());
        if (flags.json) return console.log(JSON.stringify(board, null, 2));
        console.log(`${stored.title} — 督办看板\n`);
        console.log(renderBoard(stored, board, Boolean(process.stdout.isTTY)));
      } finally {
        target.close();
      }
    });
}
