import type { Command } from 'commander';
import { planSchedule } from '../../shared/plan/ladder.js';
import { PlanValidationError, zodIssues } from '../../shared/plan/validate.js';
import { type Scenario, scenarioSchema } from '../../shared/simulation/scenario.js';
import { formatInZone } from '../../shared/time/wallClock.js';
import { loadPlanFile, readUserFile } from '../io.js';
import { renderReport } from '../report/renderReport.js';
import { writeReport } from '../report/writeReport.js';
import { runSimulation, type SimulationRun } from '../simulate/engine.js';
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
  report?: string | boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate <planFile>')
    .description('run the plan on a virtual clock against the embedded stack (dynalite + local SES)')
    .option('--scenario <file>', 'events to apply at their times: submissions and calendar edits')
    .option('--json', 'print {notices, board} as JSON')
    .option('--bodies', "with --json: include each notice's text and html")
    .option('--report [path]', 'write a self-contained HTML report (a folder, or a file ending in .html)')
    .action(async (planFile: string, flags: SimulateFlags) => {
      const plan = loadPlanFile(planFile);
      const scenario = flags.scenario ? loadScenarioFile(flags.scenario) : undefined;
      const wallStart = performance.now();
      let fired = 0;
      const run = await runSimulation({
        plan,
        ...(scenario ? { scenario } : {}),
        bodies: Boolean(flags.bodies || flags.report),
        // Progress on stderr, so stdout stays the timeline (or the JSON).
        onFiring: (firing, total) => {
          if (flags.json) return;
          fired += 1;
          const when = formatInZone(firing.at, plan.timezone).replace('T', ' ').slice(0, 16);
          const retry = firing.ok ? '' : '  (failed, will retry)';
          process.stderr.write(
            `  [${fired}/${total}] ${when}  ${firing.payload.milestone} ${firing.payload.stage}${retry}\n`,
          );
        },
      });
      const ms = Math.round(performance.now() - wallStart);
      const reportPath = flags.report ? await writeRunReport(run, flags.report) : undefined;
      if (flags.json) {
        const notices = flags.bodies ? run.result.notices : run.result.notices.map(({ text: _t, html: _h, ...n }) => n);
        console.log(JSON.stringify({ ...run.result, notices }, null, 2));
      } else {
        console.log(`\n${plan.title} — 督办时间线（模拟，${run.result.notices.length} 封通知）\n`);
        console.log(renderTimeline(plan, run.result.notices));
        console.log('\n督办看板（红/黄/绿）\n');
        console.log(renderBoard(plan, run.result.board, Boolean(process.stdout.isTTY)));
        console.log(
          `\nsimulated ${run.firings.length} firings in ${ms} ms on the embedded stack (dynalite + aws-ses-v2-local)`,
        );
      }
      if (reportPath) (flags.json ? console.error : console.log)(`report: ${reportPath}`);
      for (const e of run.scenarioErrors) {
        console.error(`scenario event at ${formatInZone(e.at, plan.timezone)} refused: ${e.error}`);
      }
      for (const d of run.deadLetters)
        console.error(`dead letter: ${d.schedule} after ${d.attempts} attempts: ${d.error}`);
      if (run.deadLetters.length > 0) process.exitCode = 3;
    });
}

async function writeRunReport(run: SimulationRun, target: string | boolean): Promise<string> {
  const html = renderReport({
    plan: run.finalPlan,
    schedule: planSchedule(run.finalPlan),
    result: run.result,
    generatedAt: new Date().toISOString(),
  });
  return writeReport(html, typeof target === 'string' ? target : 'reports');
}
