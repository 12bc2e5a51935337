#!/usr/bin/env -S npx tsx
import { Command, CommanderError } from 'commander';
import { DomainError } from '../shared/domain/errors.js';
import { PlanValidationError } from '../shared/domain/plan/validate.js';
import { ConcurrentEditError } from '../shared/domain/ports.js';
import { registerCalendarCommands } from './commands/calendar.js';
import { registerLocalCommands } from './commands/local.js';
import { registerPlanCommands } from './commands/plan.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSubmitCommand } from './commands/submit.js';
import { UsageError } from './io.js';

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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/** Every failure a user can cause ends as located messages and exit 1, never a stack trace. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof PlanValidationError) {
    for (const issue of error.issues) console.error(`${issue.path}: ${issue.message}`);
    return 1;
  }
  // What a user asked for that the calendar or the submission rules refuse: said plainly, exit 1.
  if (error instanceof UsageError || error instanceof DomainError || error instanceof ConcurrentEditError) {
    console.error(error.message);
    return 1;
  }
  console.error(`duban: ${(error as Error)?.message ?? String(error)}`);
  if (process.env.DUBAN_DEBUG) console.error(error);
  return 2;
}
