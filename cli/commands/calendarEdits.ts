import type { Command } from 'commander';
import type { DryRunRequest } from '../../shared/adapters/aws/scheduler/dryRunScheduleStore.js';
import { applyEdit, type EditResult } from '../../shared/domain/calendar/applyEdit.js';
import {
  type DeadlineAdvice,
  deadlineAdvice,
  describeStageDates,
} from '../../shared/domain/calendar/deadlineAdvice.js';
import { calendarEditSchema } from '../../shared/domain/calendar/editSchema.js';
import { resolveMilestone, resolveUnit } from '../../shared/domain/plan/resolve.js';
import type { Contact } from '../../shared/domain/plan/schema.js';
import { PlanValidationError, zodIssues } from '../../shared/domain/plan/validate.js';
import type { StoredPlan } from '../../shared/domain/ports.js';
import { UsageError } from '../errors.js';
import { readUserFile } from '../io.js';
import { describeEdit, describeRequests } from '../output/calendarOutput.js';
import type { Target } from '../target.js';
import { type ChangeFlags, changeClock, changeDeps, changeOptions, loadStored, withTarget } from './calendarRun.js';

/** A milestone file is one milestone of a plan file: a few hundred bytes. */
const MAX_MILESTONE_BYTES = 64 * 1024;

/** Units and milestones named by id or by Chinese name, resolved against the stored plan. */
interface Names {
  milestone(input: string | undefined): string;
  unit(input: string | undefined): string;
}

/** What an edit command makes of its arguments (names resolved) and the stored plan. */
type EditInput = (stored: StoredPlan, names: Names) => unknown;

interface ContactFlags extends ChangeFlags {
  unit?: string;
  email?: string;
  headEmail?: string;
  headName?: string;
  supervisorEmail?: string;
  supervisorName?: string;
}

/** The edit commands: each validates like `plan validate`, bumps revisions, audits and reconciles, or previews. */
export function registerEditCommands(calendar: Command): void {
  const register = (
    usage: string,
    description: string,
    toEdit: (args: string[], flags: ContactFlags) => EditInput,
    extra: (command: Command) => Command = (c) => c,
  ) =>
    extra(changeOptions(calendar.command(usage).description(description))).action(async (...raw: unknown[]) => {
      const command = raw.at(-1) as Command;
      const flags = command.opts<ContactFlags>();
      const [planId, ...rest] = raw.filter((x): x is string => typeof x === 'string') as [string, ...string[]];
      const name = `calendar ${command.name()}`;
      const clock = changeClock(flags, name);
      const input = toEdit(rest, flags);
      await withTarget(flags, async (target) => {
        const stored = await loadStored(target.stores.calendar, planId);
        const change = validEdit(input(stored, namesIn(stored)));
        const deps = changeDeps(target, clock, flags.dryRun);
        const result = await applyEdit(deps, planId, change, await target.actor(flags.actor));
        printEdit(target, result, flags, deps.requests?.requests());
        if (!flags.json && (change.type === 'setDeadline' || change.type === 'setUnitDeadline')) {
          const after = await deps.calendar.loadPlan(planId);
          const milestone = after?.milestones.find((m) => m.id === change.milestone);
          if (after && milestone) {
            const unit = change.type === 'setUnitDeadline' ? change.unit : undefined;
            printDeadlineAdvice(deadlineAdvice(after, milestone, clock.now(), unit), after.timezone);
          }
        }
      });
    });

  register(
    'set-deadline <plan> <milestone> <date>',
    'move a milestone’s deadline (YYYY-MM-DD); with --unit, that unit’s own date only (its ladder alone moves)',
    ([m, d], flags) =>
      (_stored, names) =>
        flags.unit === undefined
          ? { type: 'setDeadline', milestone: names.milestone(m), deadline: d }
          : { type: 'setUnitDeadline', milestone: names.milestone(m), unit: names.unit(flags.unit), deadline: d },
    (command) =>
      command.option('--unit <unit>', 'give this unit (id or 单位名称) its own date instead of moving everyone’s'),
  );
  register('pause <plan> <milestone>', 'stop sending anything for a milestone', ([m]) => (_s, names) => ({
    type: 'pause',
    milestone: names.milestone(m),
  }));
  register('resume <plan> <milestone>', 'resume a paused milestone', ([m]) => (_s, names) => ({
    type: 'resume',
    milestone: names.milestone(m),
  }));
  register(
    'add-responsible <plan> <milestone> <unit>',
    'make a unit responsible for a milestone',
    ([m, u]) =>
      (_s, names) => ({ type: 'addResponsible', milestone: names.milestone(m), unit: names.unit(u) }),
  );
  register(
    'remove-responsible <plan> <milestone> <unit>',
    'release a unit from a milestone',
    ([m, u]) =>
      (_s, names) => ({ type: 'removeResponsible', milestone: names.milestone(m), unit: names.unit(u) }),
  );
  register(
    'add-milestone <plan> <file>',
    'add a milestone: <file> holds one milestone as in a plan file ({"id", "title", "phase", "deadline", …})',
    ([file]) => {
      const milestone = readMilestoneFile(file as string);
      return () => ({ type: 'addMilestone', milestone });
    },
  );
  register(
    'remove-milestone <plan> <milestone>',
    'remove a milestone and its schedules (added again later, its revision carries on)',
    ([m]) =>
      (_s, names) => ({ type: 'removeMilestone', milestone: names.milestone(m) }),
  );
  register(
    'set-contacts <plan> <unit>',
    'change a unit’s addresses or its head’s / supervisor’s contact (read when each notice is sent)',
    ([unit], flags) => contactsEdit(unit, flags),
    (command) =>
      command
        .option('--email <address>', 'the unit’s own address')
        .option('--head-email <address>', 'its head’s (负责人) address: receives summonses')
        .option('--head-name <name>', 'its head’s name')
        .option('--supervisor-email <address>', 'its supervisor’s (分管领导) address: receives escalations')
        .option('--supervisor-name <name>', 'its supervisor’s name'),
  );
}

/** Ids as given, or Chinese names turned into them (an unknown one refused with "did you mean" and the list). */
export const namesIn = (stored: StoredPlan): Names => ({
  milestone: (input) => resolveMilestone(stored, input ?? ''),
  unit: (input) => resolveUnit(stored, input ?? ''),
});

/** What a new date means: the warnings first, then every stage with its date, the ones past marked. */
function printDeadlineAdvice(advice: DeadlineAdvice, zone: string): void {
  for (const warning of advice.warnings) console.error(`注意：${warning}`);
  console.log(`督办环节（时间为 ${zone}）：`);
  for (const line of describeStageDates(advice.stages)) console.log(`  ${line}`);
}

function validEdit(input: unknown) {
  const parsed = calendarEditSchema.safeParse(input);
  if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
  return parsed.data;
}

function readMilestoneFile(file: string): unknown {
  const text = readUserFile(file, MAX_MILESTONE_BYTES);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PlanValidationError([{ path: '(file)', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
}

/**
 * `setContacts` from the flags. A head or supervisor is one contact (name and address): a flag for one
 * of its fields keeps the other as stored, so `--head-name` alone renames the head.
 */
function contactsEdit(unitInput: string | undefined, flags: ContactFlags): EditInput {
  const given = [flags.email, flags.headEmail, flags.headName, flags.supervisorEmail, flags.supervisorName];
  if (given.every((v) => v === undefined)) {
    throw new UsageError(
      'calendar set-contacts: give at least one of --email, --head-email, --head-name, --supervisor-email, --supervisor-name',
    );
  }
  const contact = (stored: Contact | undefined, name: string | undefined, email: string | undefined) =>
    name === undefined && email === undefined
      ? undefined
      : { ...stored, ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email }) };
  return (stored, names) => {
    const unitId = names.unit(unitInput);
    const unit = stored.units.find((u) => u.id === unitId);
    const head = contact(unit?.head, flags.headName, flags.headEmail);
    const supervisor = contact(unit?.supervisor, flags.supervisorName, flags.supervisorEmail);
    return {
      type: 'setContacts',
      unit: unitId,
      ...(flags.email === undefined ? {} : { email: flags.email }),
      ...(head ? { head } : {}),
      ...(supervisor ? { supervisor } : {}),
    };
  };
}

function printEdit(
  target: Target,
  result: EditResult,
  flags: ChangeFlags,
  requests: readonly DryRunRequest[] | undefined,
): void {
  const dryRun = Boolean(flags.dryRun);
  if (flags.json) {
    console.log(JSON.stringify({ dryRun, ...result, ...(requests ? { requests } : {}) }, null, 2));
    return;
  }
  if (dryRun) console.log(`dry run on the ${target.kind} stack: the edit is valid; nothing was written`);
  for (const line of describeEdit(result)) console.log(line);
  if (requests) for (const line of describeRequests(requests)) console.log(line);
}
