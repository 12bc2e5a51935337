import { readFileSync } from 'node:fs';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { parsePlanText } from '../../shared/domain/plan/validate.js';
import { instantOf } from '../../shared/domain/time/wallClock.js';
import { type Scenario, scenarioSchema } from '../../sim/scenario.js';

/** The seed plan, parsed exactly as the CLI parses it. */
export const seedPlan = (): Plan => parsePlanText(readFileSync('plans/jiangmen-2021.json', 'utf8'));

export const demoScenario = (): Scenario =>
  scenarioSchema.parse(JSON.parse(readFileSync('plans/jiangmen-2021.demo.json', 'utf8')));

/** An instant from Shanghai wall-clock time, e.g. `shanghai('2021-05-31T09:00:00')`. */
export const shanghai = (wall: string) => instantOf(wall, 'Asia/Shanghai');
