import type { Command } from 'commander';
import { PlanValidationError, zodIssues } from '../../shared/domain/plan/validate.js';
import { submissionInputSchema, submitDeliverable } from '../../shared/domain/submissions/submit.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import { openTarget, type Target } from '../target.js';
import type { TargetFlags } from './calendarRun.js';

interface SubmitFlags extends TargetFlags {
  plan: string;
  milestone: string;
  unit: string;
  at?: string;
  reason?: string;
  ref?: string;
}

export function registerSubmitCommand(program: Command): void {
  program
    .command('submit')
    .description('record that a unit delivered a milestone (报送): it stops the ladder for that unit')
    .requiredOption('--plan <plan>', 'plan id')
    .requiredOption('--milestone <milestone>', 'milestone id')
    .requiredOption('--unit <unit>', 'unit id')
    .option('--at <iso>', 'when it was delivered, ISO with offset (default: now); a past time needs --reason')
    .option('--reason <text>', 'why a past time is recorded: the submission is marked as backdated')
    .option('--ref <text>', 'document reference (文号)')
    .option('--actor <name>', 'who is recording it, for the submission’s author (locally; AWS uses your identity)')
    .option('--aws', 'work on AWS instead of the local stack')
    .action(recordSubmission);
}

/**
 * Who an admin's CLI change is by: `cli:<actor>` on the local stack, the STS caller identity on AWS
 * (where `--actor` is refused: a name the caller chooses is no author).
 */
export const cliAuthor = (target: Pick<Target, 'actor'>, flags: TargetFlags) => target.actor(flags.actor);

/** `submit`: records a unit's delivery (报送), validated like the API's, with the server's clock unless `--at`. */
export async function recordSubmission(flags: SubmitFlags): Promise<void> {
  const { aws, actor: _actor, now: _now, ...raw } = flags;
  const parsed = submissionInputSchema.safeParse(raw);
  if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
  const target = openTarget(aws);
  try {
    const plan = await target.stores.calendar.loadPlan(parsed.data.plan);
    const zone = plan?.timezone ?? 'Asia/Shanghai';
    const out = await submitDeliverable(
      { calendar: target.stores.calendar, submissions: target.stores.submissions, clock: { now: () => Date.now() } },
      parsed.data,
      { by: await cliAuthor(target, flags) },
    );
    if (out.recorded) {
      const s = out.submission;
      const backdated = s.backdated ? ` (backdated: ${s.backdated.reason})` : '';
      console.log(`recorded: ${s.unit} delivered ${s.milestone} at ${formatInZone(s.at, zone)} by ${s.by}${backdated}`);
    } else {
      console.log(
        `already recorded at ${formatInZone(out.existing.at, zone)} by ${out.existing.by}; the first delivery counts`,
      );
    }
  } finally {
    target.close();
  }
}
