#!/usr/bin/env -S npx tsx
import { Command, CommanderError } from 'commander';
import { PlanValidationError } from '../shared/plan/validate.js';
import { registerPlanCommands } from './commands/plan.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { UsageError } from './io.js';

const program = new Command()
  .name('duban')
  .description('督办 Duban: deadlines, reminders and escalations for a government work plan')
  .exitOverride()
  .showHelpAfterError();

registerPlanCommands(program);
registerSimulateCommand(program);

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
  if (error instanceof UsageError) {
    console.error(error.message);
    return 1;
  }
  console.error(`duban: ${(error as Error)?.message ?? String(error)}`);
  if (process.env.DUBAN_DEBUG) console.error(error);
  return 2;
}
