import type { Command } from 'commander';
import { PlanValidationError, zodIssues } from '../../shared/plan/validate.js';
import { type Scenario, scenarioSchema } from '../../shared/simulation/scenario.js';
import { formatInZone } from '../../shared/time/wallClock.js';
import { loadPlanFile, readUserFile } from '../io.js';
import { runSimulation } from '../simulate/engine.js';
import { renderBoard, renderTimeline } from '../simulate/printTimeline.js';

export function loadScenarioFile(file: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(readUserFile(file));
  } catch (cause) {
    if (cause instanceof PlanValidationError) throw cause;
    throw new PlanValidationError([{ path: '(scenario)', message: `is not JSON: ${(cause as Error).message}` }]);
  }
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success)
    throw new PlanValidationError(zodIssues(parsed.error).map((i) => ({ ...i, path: `scenario.${i.path}` })));
  return parsed.data;
}

interface SimulateFlags {
  scenario?: string;
  json?: boolean;
  bodies?: boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate <planFile>')
    .description('run the plan on a virtual clock against the embedded stack (dynalite + local SES)')
    .option('--scenario <file>', 'events to apply at their times: submissions and calendar edits')
    .option('--json', 'print {notices, board} as JSON')
    .option('--bodies', "with --json: include each notice's text and html")
    .action(async (planFile: string, flags: SimulateFlags) => {
      const plan = loadPlanFile(planFile);
      const scenario = flags.scenario ? loadScenarioFile(flags.scenario) : undefined;
      const progress = !flags.json && process.stderr.isTTY !== undefined;
      const wallStart = performance.now();
      const run = await runSimulation({
        plan,
        ...(scenario ? { scenario } : {}),
        bodies: Boolean(flags.bodies),
        onFiring: (firing, total) => {
          if (!progress) return;
          const when = formatInZone(firing.at, plan.timezone).replace('T', ' ').slice(0, 16);
          process.stderr.write(
            `  ${when}  ${firing.payload.milestone} ${firing.payload.stage}${firing.ok ? '' : ' (failed, will retry)'}  [${total} scheduled]\n`,
          );
        },
      });
      const ms = Math.round(performance.now() - wallStart);
      if (flags.json) {
        console.log(JSON.stringify(run.result, null, 2));
      } else {
        console.log(`\n${plan.title} — 督办时间线（模拟，${run.result.notices.length} 封通知）\n`);
        console.log(renderTimeline(plan, run.result.notices));
        console.log('\n督办看板（红/黄/绿）\n');
        console.log(renderBoard(plan, run.result.board, Boolean(process.stdout.isTTY)));
        console.log(
          `\nsimulated ${run.firings.length} firings in ${ms} ms on the embedded stack (dynalite + aws-ses-v2-local)`,
        );
      }
      for (const e of run.scenarioErrors)
        console.error(`scenario event at ${formatInZone(e.at, plan.timezone)} refused: ${e.error}`);
      for (const d of run.deadLetters)
        console.error(`dead letter: ${d.schedule} after ${d.attempts} attempts: ${d.error}`);
      if (run.deadLetters.length > 0) process.exitCode = 3;
    });
}
