import { beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStack } from '../../shared/adapters/local/embeddedStack.js';
import { LIGHT } from '../../shared/domain/board/lights.js';
import { planSchedule } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { stageKinds } from '../../shared/domain/plan/schema.js';
import { STAGE_LABEL } from '../../shared/domain/plan/stages.js';
import { parsePlan } from '../../shared/domain/plan/validate.js';
import { runSimulation, type SimulationRun } from '../../sim/engine.js';
import { renderReport } from '../../sim/report/renderReport.js';
import { demoScenario, seedPlan } from '../support/seed.js';
import { endpoints, freshTable } from '../support/stack.js';

/** The dynalite + local SES of the test run (globalSetup), on a table of this file's own; left running. */
async function sharedStack(): Promise<EmbeddedStack> {
  const e = endpoints();
  return { ...e, tableName: await freshTable('report'), mailboxUrl: `${e.sesEndpoint}/`, stop: async () => {} };
}

/** The report `simulate --report` writes, from a real run: notices with bodies, dead letters and unsent. */
function reportOf(run: SimulationRun): string {
  return renderReport({
    plan: run.finalPlan,
    schedule: planSchedule(run.finalPlan),
    result: run.result,
    failures: { deadLetters: run.deadLetters, unsent: run.unsent },
    generatedAt: '2022-01-31T18:00:00+08:00',
  });
}

const HOSTILE_NAME = '<script>alert("鹤山")</script>鹤山市人民政府';

/** The seed plan with markup in the name of a unit that is reminded, escalated and summoned. */
function hostileSeed(): Plan {
  const plan = structuredClone(seedPlan());
  const heshan = plan.units.find((u) => u.id === 'heshan');
  if (!heshan) throw new Error('the seed has no heshan');
  heshan.name = HOSTILE_NAME;
  return parsePlan(plan);
}

describe('the HTML report of a real seed run (jiangmen-2021 with its demo scenario)', () => {
  let run: SimulationRun;
  let html: string;
  let hostile: string;
  beforeAll(async () => {
    // Prepare + Act: the seed year through dispatch, DynamoDB and SES, as `npm start` runs it.
    run = await runSimulation({ plan: seedPlan(), scenario: demoScenario(), bodies: true, stack: await sharedStack() });
    html = reportOf(run);
    const bad = await runSimulation({
      plan: hostileSeed(),
      scenario: demoScenario(),
      bodies: true,
      stack: await sharedStack(),
    });
    hostile = reportOf(bad);
  }, 120_000);

  it('shows every notice the run sent, with its subject, in the notices list', () => {
    // 95 notices of the milestones' ladders (with the partners' 函 and the repeated 催办), 13 of the exit
    // ledger's and 8 answers to the units (办结, 退回, decisions on extension requests).
    expect(run.result.notices).toHaveLength(116);
    expect(html.split('<details class="notice"').length - 1).toBe(116);
    expect(html).toContain('<div class="big">116 封</div>');
  });

  it('names every unit and every milestone of the plan', () => {
    for (const u of run.finalPlan.units) expect(html, u.id).toContain(u.name);
    for (const m of run.finalPlan.milestones) {
      expect(html, m.id).toContain(m.title);
      expect(html).toContain(`<g class="tl-row" data-milestone="${m.id}">`);
    }
  });

  it('shows every stage of the ladder, on the timeline and on the notices, as many as were sent', () => {
    for (const s of stageKinds) {
      const sent = run.result.notices.filter((n) => n.stage === s).length;
      expect(sent, s).toBeGreaterThan(0);
      expect(html).toContain(`${STAGE_LABEL[s]}</span> <b>${sent}</b>`);
      expect(html).toContain(`<g class="tl-mark" data-stage="${s}">`);
    }
  });

  it('shows each board row as its light: the demo year has green, yellow and red', () => {
    const count = (status: string) => run.result.board.filter((r) => r.status === status).length;
    for (const [status, className] of [
      ['submitted', 'green'],
      ['late', 'yellow'],
      ['missing', 'red'],
    ] as const) {
      expect(count(status), status).toBeGreaterThan(0);
      const cells = html.split(`<td class="cell ${className}">`).length - 1;
      expect(cells, status).toBe(count(status));
      expect(html).toContain(`<b>${LIGHT[status].light}</b> ${LIGHT[status].word}`);
    }
  });

  it('has no failure section on a run that delivered everything', () => {
    expect(run.deadLetters).toEqual([]);
    expect(run.unsent).toEqual([]);
    expect(html).not.toContain('id="failures"');
  });

  it('shows markup in a unit name as text, on the board, in the timeline and in the emails', () => {
    const escaped = '&lt;script&gt;alert(&quot;鹤山&quot;)&lt;/script&gt;鹤山市人民政府';
    expect(hostile).toContain(`<span class="unit-name">${escaped}</span>`);
    expect(hostile).toMatch(/<title>[^<]*&lt;script&gt;alert/);
    expect(hostile).not.toMatch(/<script\b/i);
    // The emails' own HTML sits escaped inside srcdoc; it carries the name escaped once more.
    expect(hostile).toContain('&amp;lt;script&amp;gt;');
  });
});
