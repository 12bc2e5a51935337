import type { Command } from 'commander';
import { planSchedule } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { STAGE_LABEL } from '../../shared/domain/plan/stages.js';
import { loadPlanFile } from '../io.js';
import { renderTable } from '../output/table.js';
import { loadPlanWithUnits } from '../unitsFile.js';

/** The `plan schedule --json` contract. */
export function scheduleJson(plan: Plan) {
  return {
    plan: plan.id,
    timezone: plan.timezone,
    milestones: plan.milestones.map((m) => ({
      id: m.id,
      deadline: m.deadline,
      responsible: m.responsible,
      recipient: m.recipient,
      cc: m.cc,
    })),
    schedules: planSchedule(plan).map((o) => ({
      milestone: o.milestone,
      stage: o.stage,
      fireAt: o.fireAt,
      units: o.units,
    })),
  };
}

export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('check a plan file and show its schedule');

  plan
    .command('validate <file>')
    .description('validate a plan file; every problem is printed as path: message')
    .option('--units <file>', 'more units from a workbook (.xlsx) or CSV, one row each (README: units from a workbook)')
    .action(validatePlanFile);

  plan
    .command('schedule <file>')
    .description('list every fire time of the plan, as a timeline or as JSON')
    .option('--json', 'print the schedule as JSON')
    .action(showPlanSchedule);
}

/** `plan validate <file>`: one line when the plan is valid; every problem, located, when not (exit 1). */
export async function validatePlanFile(file: string, opts: { units?: string } = {}): Promise<void> {
  const p = await loadPlanWithUnits(file, opts.units);
  const schedules = planSchedule(p).length;
  console.log(
    `${file}: valid — plan "${p.id}" (${p.title}), ${p.units.length} units, ${p.milestones.length} milestones, ${schedules} schedules, ${p.timezone}`,
  );
}

/** `plan schedule <file>`: every fire time as a timeline, or the `--json` contract. */
export function showPlanSchedule(file: string, opts: { json?: boolean }): void {
  const p = loadPlanFile(file);
  if (opts.json) {
    console.log(JSON.stringify(scheduleJson(p), null, 2));
    return;
  }
  const names = new Map(p.units.map((u) => [u.id, u.name]));
  const deadlines = new Map(p.milestones.map((m) => [m.id, m.deadline]));
  console.log(`${p.title} (${p.id}) — ${p.timezone}\n`);
  console.log(
    renderTable(
      ['fire time', 'milestone', 'deadline', 'stage', 'units'],
      planSchedule(p).map((o) => [
        o.fireAt.replace('T', ' ').slice(0, 16),
        o.milestone,
        deadlines.get(o.milestone) ?? '',
        `${o.stage} ${STAGE_LABEL[o.stage]}`,
        o.units.length > 3
          ? `${o.units.length} units: ${o.units
              .map((u) => names.get(u) ?? u)
              .slice(0, 3)
              .join('、')}…`
          : o.units.map((u) => names.get(u) ?? u).join('、'),
      ]),
    ),
  );
}
