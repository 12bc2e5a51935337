import { readFileSync } from 'node:fs';
import { runSimulation } from '../sim/engine.js';
import { scenarioSchema } from '../sim/scenario.js';
import { loadSeedPlan } from './reconcile.js';

const DEMO_SCENARIO = new URL('../plans/jiangmen-2021.demo.json', import.meta.url);

export interface SimulateBenchResult {
  /** Wall time of `runSimulation` on the seed plan and demo scenario, its own embedded stack included. */
  readonly seedPlanMs: number;
  readonly firings: number;
  readonly notices: number;
}

/** The seed plan's whole year, as `npm start` runs it (its own embedded stack, started and stopped). */
export async function runSimulateBench(): Promise<SimulateBenchResult> {
  const plan = loadSeedPlan();
  const scenario = scenarioSchema.parse(JSON.parse(readFileSync(DEMO_SCENARIO, 'utf8')));
  const started = performance.now();
  const run = await runSimulation({ plan, scenario });
  const seedPlanMs = Math.round(performance.now() - started);
  if (run.scenarioErrors.length > 0 || run.deadLetters.length > 0)
    throw new Error(
      `the seed simulation went wrong: ${JSON.stringify({ errors: run.scenarioErrors, deadLetters: run.deadLetters })}`,
    );
  return { seedPlanMs, firings: run.firings.length, notices: run.result.notices.length };
}
