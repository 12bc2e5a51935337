import type { Command } from 'commander';
import { PlanValidationError, zodIssues } from '../../shared/domain/plan/validate.js';
import { submissionInputSchema, submitDeliverable } from '../../shared/domain/submissions/submit.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import { openTarget } from '../target.js';

interface SubmitFlags {
  plan: string;
  milestone: string;
  unit: string;
  at?: string;
  ref?: string;
  aws?: boolean;
}

export function registerSubmitCommand(program: Command): void {
  program
    .command('submit')
    .description('record that a unit delivered a milestone (报送): it stops the ladder for that unit')
    .requiredOption('--plan <plan>', 'plan id')
    .requiredOption('--milestone <milestone>', 'milestone id')
    .requiredOption('--unit <unit>', 'unit id')
    .option('--at <iso>', 'when it was delivered, ISO with offset (default: now)')
    .option('--ref <text>', 'document reference (文号)')
    .option('--aws', 'work on AWS instead of the local stack')
    .action(recordSubmission);
}

/** `submit`: records a unit's delivery (报送), validated like the API's, with the server's clock unless `--at`. */
export async function recordSubmission(flags: SubmitFlags): Promise<void> {
  const { aws, ...raw } = flags;
  const parsed = submissionInputSchema.safeParse(raw);
  if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
  const target = openTarget(aws);
  try {
    const plan = await target.stores.calendar.loadPlan(parsed.data.plan);
    const zone = plan?.timezone ?? 'Asia/Shanghai';
    const out = await submitDeliverable(
      {
        calendar: target.stores.calendar,
        submissions: target.stores.submissions,
        clock: { now: () => Date.now() },
      },
      parsed.data,
    );
    if (out.recorded) {
      console.log(
        `recorded: ${out.submission.unit} delivered ${out.submission.milestone} at ${formatInZone(out.submission.at, zone)}`,
      );
    } else {
      console.log(`already recorded at ${formatInZone(out.existing.at, zone)}; the first delivery counts`);
    }
  } finally {
    target.close();
  }
}
