import type { Command } from 'commander';
import { REVIEW_LABEL } from '../../shared/domain/board/board.js';
import { silentLog } from '../../shared/domain/log.js';
import { ladderDeadline } from '../../shared/domain/plan/ladder.js';
import { resolveMilestone, resolveUnit } from '../../shared/domain/plan/resolve.js';
import { reviewStateOf } from '../../shared/domain/ports.js';
import { approveExtension, type ExtensionDeps, rejectExtension } from '../../shared/domain/review/extensions.js';
import { acceptSubmission, returnSubmission } from '../../shared/domain/review/review.js';
import { systemClock } from '../../shared/domain/time/clocks.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import { EXIT, UsageError } from '../errors.js';
import { renderTable } from '../output/table.js';
import type { Target } from '../target.js';
import { loadStored, type TargetFlags, targetOptions, withTarget } from './calendarRun.js';
import { cliAuthor } from './submit.js';

/** What a review or a decision needs on this target: its stores, schedules, mailer and links. */
const depsOf = (target: Target): ExtensionDeps => ({
  ...target.stores,
  schedules: target.schedules,
  clock: systemClock,
  log: silentLog,
  mailer: target.mailer(),
  portal: target.portal(),
});

/** A failed answer is not lost (the ledger keeps it owed), but it is said, with exit code 3. */
function reportNotice(notice: string, unit: string): void {
  if (notice === 'sent' || notice === 'already-sent') {
    console.log(`  ${unit} was told`);
    return;
  }
  console.error(`  the answer to ${unit} was not sent (${notice}): it stays owed in the ledger`);
  process.exitCode = EXIT.unsent;
}

export function registerReviewCommands(program: Command): void {
  const review = program.command('review').description('复核: close (办结) or send back (退回) what units submitted');
  targetOptions(review.command('list <plan>').description('every submission and its review state; open 延期申请 too'))
    .option('--json', 'print JSON')
    .action(listReviews);
  targetOptions(
    review.command('accept <plan> <milestone> <unit>').description('办结: the matter is closed for the unit'),
  ).action((plan: string, milestone: string, unit: string, flags: TargetFlags) =>
    decide('accept', { plan, milestone, unit }, flags),
  );
  targetOptions(
    review
      .command('return <plan> <milestone> <unit>')
      .description('退回: the submission no longer counts; the unit gets a short date and is chased from it'),
  )
    .option('--reason <text>', 'what the unit must put right (required)')
    .action((plan: string, milestone: string, unit: string, flags: TargetFlags & { reason?: string }) =>
      decide('return', { plan, milestone, unit }, flags),
    );

  const extension = program.command('extension').description('延期申请: decide what units asked for');
  targetOptions(
    extension
      .command('approve <plan> <milestone> <unit>')
      .description('give the unit its own date (the one it asked for, or --deadline); only its ladder moves'),
  )
    .option('--deadline <date>', 'another date than the one asked for (YYYY-MM-DD)')
    .action((plan: string, milestone: string, unit: string, flags: TargetFlags & { deadline?: string }) =>
      decide('approve', { plan, milestone, unit }, flags),
    );
  targetOptions(extension.command('reject <plan> <milestone> <unit>').description('refuse the request; nothing moves'))
    .option('--reason <text>', 'why (required)')
    .action((plan: string, milestone: string, unit: string, flags: TargetFlags & { reason?: string }) =>
      decide('reject', { plan, milestone, unit }, flags),
    );
}

type Ids = { plan: string; milestone: string; unit: string };
type Decision = 'accept' | 'return' | 'approve' | 'reject';

/** One review or decision by an admin: done through the domain, the unit told, what happened printed. */
export async function decide(
  what: Decision,
  given: Ids,
  flags: TargetFlags & { reason?: string; deadline?: string },
): Promise<void> {
  let ids = given;
  if ((what === 'return' || what === 'reject') && !flags.reason?.trim()) {
    throw new UsageError(
      `${what === 'return' ? 'review return' : 'extension reject'}: give the reason with --reason "…"`,
    );
  }
  await withTarget(flags, async (target) => {
    ids = await resolveIds(target, ids);
    const deps = depsOf(target);
    const admin = { by: await cliAuthor(target, flags) };
    switch (what) {
      case 'accept': {
        const out = await acceptSubmission(deps, ids, admin);
        console.log(`办结: ${ids.unit}'s submission of ${ids.milestone} (seq ${out.submission.seq}) is closed`);
        return reportNotice(out.notice, ids.unit);
      }
      case 'return': {
        const out = await returnSubmission(deps, ids, flags.reason as string, admin);
        console.log(
          `退回: ${ids.unit}'s submission of ${ids.milestone} no longer counts; new deadline ${out.deadline} ` +
            `(${out.reconcile?.created.length ?? 0} schedules created, ${out.reconcile?.updated.length ?? 0} updated)`,
        );
        return reportNotice(out.notice, ids.unit);
      }
      case 'approve': {
        const out = await approveExtension(deps, ids, admin, flags.deadline);
        const writes = out.reconcile?.writes ?? 0;
        console.log(
          `延期: ${ids.unit} now has ${out.request.decision?.deadline} for ${ids.milestone}; its ladder moved (${writes} schedule writes, nobody else's)`,
        );
        return reportNotice(out.notice, ids.unit);
      }
      case 'reject': {
        const out = await rejectExtension(deps, ids, admin, flags.reason as string);
        console.log(`不予延期: ${ids.unit} keeps its date for ${ids.milestone} (asked ${out.request.deadline})`);
        return reportNotice(out.notice, ids.unit);
      }
    }
  });
}

/** The milestone and unit as named (id or Chinese name), as ids of the stored plan. */
export async function resolveIds(target: Target, ids: Ids): Promise<Ids> {
  const plan = await loadStored(target.stores.calendar, ids.plan);
  return { plan: plan.id, milestone: resolveMilestone(plan, ids.milestone), unit: resolveUnit(plan, ids.unit) };
}

/** `review list`: the queue of the office and the reviewers — who delivered what, reviewed or not, and open requests. */
export async function listReviews(planId: string, flags: TargetFlags & { json?: boolean }): Promise<void> {
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const responses = await Promise.all(
      plan.milestones.map(async (m) => ({ m, ...(await target.stores.submissions.listResponses(plan.id, m.id)) })),
    );
    const submissions = responses.flatMap((r) => r.submissions.filter((s) => !s.voided));
    const extensions = responses.flatMap((r) => r.extensions);
    if (flags.json) {
      return console.log(
        JSON.stringify(
          {
            submissions: submissions.map((s) => ({ ...s, review: reviewStateOf(s), reviewed: s.review })),
            extensions,
          },
          null,
          2,
        ),
      );
    }
    const names = new Map(plan.units.map((u) => [u.id, u.name]));
    const when = (at: number) => formatInZone(at, plan.timezone).replace('T', ' ').slice(0, 16);
    console.log(
      renderTable(
        ['事项', '报送单位', '报送时间', '文号', '复核', '复核人'],
        submissions.map((s) => [
          s.milestone,
          names.get(s.unit) ?? s.unit,
          when(s.at),
          s.ref ?? '—',
          `${REVIEW_LABEL[reviewStateOf(s)]}${s.review?.reason ? `：${s.review.reason}` : ''}`,
          s.review?.by ?? '—',
        ]),
      ),
    );
    const open = extensions.filter((e) => !e.decision);
    if (open.length > 0) {
      const deadlineOf = (e: (typeof open)[number]) => {
        const m = responses.find((r) => r.m.id === e.milestone)?.m;
        return m ? ladderDeadline(m, e.unit) : '';
      };
      console.log('\n待处理的延期申请\n');
      console.log(
        renderTable(
          ['事项', '申请单位', '现截止日', '申请延至', '理由', '申请时间'],
          open.map((e) => [e.milestone, names.get(e.unit) ?? e.unit, deadlineOf(e), e.deadline, e.reason, when(e.at)]),
        ),
      );
    }
  });
}
