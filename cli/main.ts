#!/usr/bin/env -S npx tsx
import { Command } from 'commander';
import { registerCalendarCommands } from './commands/calendar.js';
import { registerFireCommand } from './commands/fire.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerLinkCommands } from './commands/links.js';
import { registerLocalCommands } from './commands/local.js';
import { registerPlanCommands } from './commands/plan.js';
import { registerReviewCommands } from './commands/review.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSubmissionCommands } from './commands/submissions.js';
import { registerSubmitCommand } from './commands/submit.js';
import { EXIT, explainError } from './errors.js';

const program = new Command()
  .name('duban')
  .description('督办 Duban: deadlines, reminders and escalations for a government work plan')
  .exitOverride()
  .showHelpAfterError();

registerPlanCommands(program);
registerSimulateCommand(program);
registerSubmitCommand(program);
registerCalendarCommands(program);
registerStatusCommand(program);
registerLocalCommands(program);
registerLinkCommands(program);
registerSubmissionCommands(program);
registerFireCommand(program);
registerReviewCommands(program);
registerLedgerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { lines, code } = explainError(error);
  for (const line of lines) console.error(line);
  if (code === EXIT.failed && process.env.DUBAN_DEBUG) console.error(error);
  process.exitCode = code;
}
