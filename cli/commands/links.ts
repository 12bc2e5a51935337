import type { Command } from 'commander';
import { recordAudit } from '../../shared/domain/calendar/audit.js';
import { unitLinkUrl } from '../../shared/domain/links/unitLink.js';
import { resolveUnit } from '../../shared/domain/plan/resolve.js';
import { systemClock } from '../../shared/domain/time/clocks.js';
import { loadStored, type TargetFlags, targetOptions, withTarget } from './calendarRun.js';
import { cliAuthor } from './submit.js';

export function registerLinkCommands(program: Command): void {
  const links = program.command('links').description('the personal links units reach their portal page with');
  targetOptions(
    links.command('show <plan> <unit>').description('print a fresh link for the unit (one line), to resend it'),
  ).action(showLink);
  targetOptions(
    links
      .command('rotate <plan> <unit>')
      .description('refuse every link sent so far to the unit (its link version moves)'),
  ).action(rotateLink);
}

/** `links show`: a fresh link at the unit's current version, alone on stdout so it can be piped or pasted. */
export async function showLink(planId: string, unitInput: string, flags: TargetFlags): Promise<void> {
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const unitId = resolveUnit(plan, unitInput);
    console.log(await unitLinkUrl(target.portal(), plan, unitId, systemClock.now()));
  });
}

/** `links rotate`: bumps the unit's link version (audited); the next notice carries a new link. */
export async function rotateLink(planId: string, unitInput: string, flags: TargetFlags): Promise<void> {
  await withTarget(flags, async (target) => {
    const plan = await loadStored(target.stores.calendar, planId);
    const unitId = resolveUnit(plan, unitInput);
    const before = plan.linkVersions?.[unitId] ?? 1;
    // Who, before anything is written (on AWS an unknown identity refuses the change).
    const actor = await cliAuthor(target, flags);
    const version = await target.stores.calendar.rotateLink(planId, unitId);
    const deps = { calendar: target.stores.calendar, clock: systemClock };
    await recordAudit(deps, planId, actor, 'rotateLink', `unit:${unitId}`, { version: before }, { version });
    console.log(`${unitId}: link version ${before} → ${version}; every link sent before is refused (actor ${actor})`);
  });
}
