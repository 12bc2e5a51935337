import type { Command } from 'commander';
import { resolveMilestone, resolveUnit } from '../../shared/domain/plan/resolve.js';
import { PlanValidationError, zodIssues } from '../../shared/domain/plan/validate.js';
import { submissionInputSchema, submitDeliverable } from '../../shared/domain/submissions/submit.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import type { Target } from '../target.js';
import { loadStored, type TargetFlags, withTarget } from './calendarRun.js';

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
    .requiredOption('--milestone <milestone>', 'milestone id or title (事项名称)')
    .requiredOption('--unit <unit>', 'unit id or name (单位名称)')
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
  await withTarget(flags, async (target) => {
    // Milestone and unit by id or by Chinese name.
    const plan = await loadStored(target.stores.calendar, raw.plan);
    const names = { milestone: resolveMilestone(plan, raw.milestone), unit: resolveUnit(plan, raw.unit) };
    const parsed = submissionInputSchema.safeParse({ ...raw, ...names });
    if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
    const zone = plan.timezone;
    const out = await submitDeliverable(
      { calendar: target.stores.calendar, submissions: target.stores.submissions, clock: { now: () => Date.now() } },
      parsed.data,
      { by: await cliAuthor(target, flags) },
    );
    const unitName = plan.units.find((u) => u.id === parsed.data.unit)?.name ?? parsed.data.unit;
    const title = plan.milestones.find((m) => m.id === parsed.data.milestone)?.title ?? parsed.data.milestone;
    const when = (at: number) => `${formatInZone(at, zone).replace('T', ' ').slice(0, 16)}（${zone}）`;
    if (out.recorded) {
      const s = out.submission;
      const backdated = s.backdated ? `（补录：${s.backdated.reason}）` : '';
      console.log(
        `已记录报送：${unitName}（${s.unit}）于 ${when(s.at)} 报送“${title}”（${s.milestone}），记录人 ${s.by}${backdated}`,
      );
    } else {
      console.log(
        `此前已记录：${unitName} 于 ${when(out.existing.at)} 报送，记录人 ${out.existing.by}；以首次报送为准 (already recorded; the first delivery counts)`,
      );
    }
  });
}
