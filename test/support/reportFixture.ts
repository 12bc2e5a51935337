import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BoardRow } from '../../shared/domain/board/board.js';
import { planSchedule, type StageOccurrence } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { STAGE_LABEL } from '../../shared/domain/plan/stages.js';
import { parsePlanText } from '../../shared/domain/plan/validate.js';
import { addDays } from '../../shared/domain/time/wallClock.js';
import type { SimulatedNotice, SimulationResult } from '../../sim/result.js';

export const SEED_PATH = fileURLToPath(new URL('../../plans/jiangmen-2021.json', import.meta.url));

export function loadSeed(): Plan {
  return parsePlanText(readFileSync(SEED_PATH, 'utf8'));
}

/** The seed's milestones that are delivered as documents: its exit ledger is shown apart (sim/report/exitLedger.ts). */
export const withoutLedger = (plan: Plan): Plan => ({ ...plan, milestones: plan.milestones.filter((m) => !m.ledger) });

/** The one unit that delivers late, and the milestone it is late for. */
export const LATE = { milestone: 'district-plans', unit: 'xinhui' } as const;

export interface ReportFixture {
  plan: Plan;
  schedule: StageOccurrence[];
  result: SimulationResult;
  generatedAt: string;
}

/**
 * A year as the simulation would leave it, without running it: per milestone the first two
 * responsible units deliver the day before the deadline (except the last milestone, where nobody
 * does), xinhui delivers district-plans three days late, everyone else never delivers. Notices are
 * the schedule's stages that still had someone outstanding, with bodies carrying markup.
 */
export function buildReportFixture(plan: Plan = withoutLedger(loadSeed())): ReportFixture {
  const schedule = planSchedule(plan);
  const submittedAt = new Map<string, string>();
  const lastMilestone = plan.milestones[plan.milestones.length - 1]?.id;
  for (const m of plan.milestones) {
    if (m.id === lastMilestone) continue;
    for (const unit of m.responsible.slice(0, 2))
      submittedAt.set(`${m.id}|${unit}`, `${addDays(m.deadline, -1)}T16:30:00+08:00`);
  }
  const late = plan.milestones.find((m) => m.id === LATE.milestone);
  if (late) submittedAt.set(`${late.id}|${LATE.unit}`, `${addDays(late.deadline, 3)}T10:15:00+08:00`);

  const outstanding = (o: StageOccurrence, unit: string) => {
    const at = submittedAt.get(`${o.milestone}|${unit}`);
    return at === undefined || Date.parse(at) > o.instant;
  };
  const units = new Map(plan.units.map((u) => [u.id, u]));
  const notices: SimulatedNotice[] = [];
  const lastStage = new Map<string, BoardRow['lastStage']>();
  for (const o of schedule) {
    const waiting = o.units.filter((u) => outstanding(o, u));
    if (waiting.length === 0) continue;
    for (const u of waiting) lastStage.set(`${o.milestone}|${u}`, o.stage);
    const m = plan.milestones.find((x) => x.id === o.milestone);
    const title = m?.title ?? o.milestone;
    const to = waiting.map((u) => units.get(u)?.email ?? `${u}@example.invalid`);
    const cc =
      o.stage === 'overdue'
        ? waiting.map((u) => units.get(u)?.supervisor.email ?? '')
        : o.stage === 'circular'
          ? [plan.ladder.coordinator.email]
          : [];
    const names = waiting.map((u) => units.get(u)?.name ?? u).join('、');
    notices.push({
      at: o.fireAt,
      milestone: o.milestone,
      stage: o.stage,
      units: waiting,
      to,
      cc,
      subject: `【${STAGE_LABEL[o.stage]}】${title}`,
      messageId: `<${o.milestone}-${o.step}@sim.duban.example>`,
      text: `${names}：\n\n请于 ${m?.deadline} 前完成“${title}”。\n\n${plan.ladder.coordinator.name}`,
      html: `<p>${names}：</p><p>请于 <b>${m?.deadline}</b> 前完成“${title}”。</p><p>${plan.ladder.coordinator.name}</p>`,
    });
  }

  const board: BoardRow[] = plan.milestones.flatMap((m) =>
    m.responsible.map((unit): BoardRow => {
      const key = `${m.id}|${unit}`;
      const at = submittedAt.get(key);
      const stage = lastStage.get(key);
      const status =
        at === undefined ? 'missing' : m.id === LATE.milestone && unit === LATE.unit ? 'late' : 'submitted';
      return {
        milestone: m.id,
        unit,
        status,
        ...(at ? { submittedAt: at } : {}),
        ...(stage ? { lastStage: stage } : {}),
        acknowledged: stage !== undefined,
        deadline: m.deadline,
        extended: false,
      };
    }),
  );
  return { plan, schedule, result: { notices, board }, generatedAt: '2022-01-31T18:00:00+08:00' };
}
