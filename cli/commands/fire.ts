import type { Command } from 'commander';
import { occurrenceToFire } from '../../shared/domain/dispatch/fireNow.js';
import { resolveMilestone } from '../../shared/domain/plan/resolve.js';
import { STAGE_LABEL, type StageKind, stageKinds } from '../../shared/domain/plan/stages.js';
import { systemClock } from '../../shared/domain/time/clocks.js';
import { EXIT, RefusedError, UsageError } from '../errors.js';
import { loadStored, type TargetFlags, targetOptions, withTarget } from './calendarRun.js';

const SKIPPED: Record<string, string> = {
  superseded:
    'the ladder has moved past this stage (a later step is due, or the deadline has passed): nothing was sent',
  'not-due': 'no occurrence of this stage is due',
  paused: 'the milestone is paused: nothing is sent for it',
  'stale-revision': 'the milestone changed meanwhile: fire again',
  'unknown-plan': 'the plan is not in the calendar',
  'unknown-milestone': 'the plan has no such milestone',
};

export function registerFireCommand(program: Command): void {
  targetOptions(
    program
      .command('fire <plan> <milestone> <stage>')
      .description(
        `dispatch one stage now (${stageKinds.join(', ')}), under every usual rule: nobody who submitted, nothing twice`,
      ),
  ).action(fireStage);
}

/**
 * `fire`: the stage's occurrence that is due, or else its next one ahead of time; locally through the
 * dispatch handler in this process, with --aws by invoking the dispatch function (what a DLQ replay does).
 */
export async function fireStage(
  planId: string,
  milestoneInput: string,
  stage: string,
  flags: TargetFlags,
): Promise<void> {
  if (!(stageKinds as readonly string[]).includes(stage)) {
    throw new UsageError(`fire: stage must be one of ${stageKinds.join(', ')}, got "${stage}"`);
  }
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const milestoneId = resolveMilestone(plan, milestoneInput);
    const choice = occurrenceToFire(plan, milestoneId, stage as StageKind, systemClock.now());
    if (!choice.fire) {
      const why = {
        'unknown-milestone': `plan "${planId}" has no milestone "${milestoneId}"`,
        paused: `milestone "${milestoneId}" is paused: resume it first`,
        'no-such-stage': `the ladder of "${milestoneId}" has no ${stage} stage for any of its units`,
      }[choice.reason];
      throw new RefusedError(why);
    }
    const when = choice.occurrence.fireAt.replace('T', ' ').slice(0, 16);
    const label = `${milestoneId} ${STAGE_LABEL[choice.occurrence.stage]} (${when}${choice.early ? ', sent ahead of its time' : ''})`;
    const outcome = await target.dispatch(choice.payload);
    if (outcome.status === 'skipped') {
      console.log(`${label}: skipped — ${SKIPPED[outcome.reason] ?? outcome.reason}`);
      return;
    }
    const waived = choice.occurrence.units.length - outcome.missing.length;
    const owed = `${outcome.missing.length} units owed it, ${waived} had delivered`;
    if (outcome.sent === undefined) {
      // On AWS the workers send what dispatch enqueued, at the SES rate.
      console.log(`${label}: ${outcome.queued} notices queued for the workers; ${owed}`);
      return;
    }
    console.log(`${label}: ${outcome.sent} notices sent, ${outcome.alreadySent} already sent before; ${owed}`);
    if (outcome.unfinished) {
      console.error(`${label}: ${outcome.unfinished} notices failed or are still in flight elsewhere: fire again`);
      process.exitCode = EXIT.unsent;
    }
  });
}
