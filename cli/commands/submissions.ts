import type { Command } from 'commander';
import { counts } from '../../shared/domain/ports.js';
import { voidSubmission } from '../../shared/domain/submissions/voidSubmission.js';
import { systemClock } from '../../shared/domain/time/clocks.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../output/table.js';
import { loadStored, type TargetFlags, targetOptions, withTarget } from './calendarRun.js';
import { resolveIds } from './review.js';
import { cliAuthor } from './submit.js';

export function registerSubmissionCommands(program: Command): void {
  const submissions = program.command('submissions').description('what units delivered (报送), and by whom');
  targetOptions(
    submissions.command('list <plan>').description('every submission with its author, voided ones included'),
  )
    .option('--json', 'print JSON')
    .action(listSubmissions);
  targetOptions(
    submissions
      .command('void <plan> <milestone> <unit>')
      .description('strike out a wrong submission (audited): the unit counts as not delivered and its ladder resumes'),
  )
    .option('--reason <text>', 'why (required)')
    .action(voidOne);
}

/** `submissions list`: milestone by milestone, who delivered when, recorded by whom; voided and backdated marked. */
export async function listSubmissions(planId: string, flags: TargetFlags & { json?: boolean }): Promise<void> {
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const all = (
      await Promise.all(plan.milestones.map((m) => target.stores.submissions.listForMilestone(plan.id, m.id)))
    ).flat();
    if (flags.json) return console.log(JSON.stringify(all, null, 2));
    const names = new Map(plan.units.map((u) => [u.id, u.name]));
    const when = (at: number) => formatInZone(at, plan.timezone).replace('T', ' ').slice(0, 16);
    const rows = all.map((s) => [
      s.milestone,
      names.get(s.unit) ?? s.unit,
      `${when(s.at)}${s.backdated ? '（补录）' : ''}`,
      s.ref ?? '—',
      s.by,
      counts(s) ? '有效' : `已作废：${s.voided?.reason ?? ''}`,
    ]);
    console.log(renderTable(['事项', '报送单位', `报送时间（${plan.timezone}）`, '文号', '记录人', '状态'], rows));
  });
}

/** `submissions void`: the submission stays on record, marked voided with who, when and why. */
export async function voidOne(
  planId: string,
  milestone: string,
  unit: string,
  flags: TargetFlags & { reason?: string },
): Promise<void> {
  if (!flags.reason?.trim()) throw new UsageError('submissions void: give the reason with --reason "…"');
  await withTarget(flags, async (target) => {
    const ids = await resolveIds(target, { plan: planId, milestone, unit });
    const voided = await voidSubmission(
      { calendar: target.stores.calendar, submissions: target.stores.submissions, clock: systemClock },
      { ...ids, reason: flags.reason as string },
      await cliAuthor(target, flags),
    );
    console.log(
      `voided: ${unit}'s submission of ${milestone} (seq ${voided.seq}, by ${voided.by}); the unit counts as not delivered and its ladder resumes`,
    );
  });
}
