import pLimit from 'p-limit';
import { HmacSigner } from '../shared/adapters/local/keyFileSigner.js';
import type { PortalLinks } from '../shared/domain/links/unitLink.js';
import { buildNotices } from '../shared/domain/notices/build.js';
import { occurrencesOf, type StageOccurrence } from '../shared/domain/plan/ladder.js';
import type { Plan, Unit } from '../shared/domain/plan/schema.js';
import { parsePlan } from '../shared/domain/plan/validate.js';
import type { OutgoingEmail, SubmissionStore } from '../shared/domain/ports.js';

export const BENCH_MILESTONE = 'bench-report';

/** Where the bench's notices link to, signed with a key of the run (dispatch signs each unit's link). */
export const BENCH_PORTAL: PortalLinks = { baseUrl: 'http://127.0.0.1:8010', signer: HmacSigner.ephemeral('bench') };

const pad = (i: number) => String(i).padStart(5, '0');

/** A responsible unit with its own slug and mailboxes under bench.example; districts and departments alternate. */
function unit(i: number): Unit {
  const id = `u${pad(i)}`;
  return {
    id,
    name: `责任单位${pad(i)}`,
    kind: i % 2 === 0 ? 'district' : 'department',
    email: `office@${id}.bench.example`,
    head: { name: `责任单位${pad(i)}主要负责人`, email: `head@${id}.bench.example` },
    supervisor: { name: `责任单位${pad(i)}分管领导`, email: `supervisor@${id}.bench.example` },
  };
}

/**
 * A plan with `units` responsible units on one milestone (the default ladder), validated like an
 * imported plan file. The receiving office is a unit of its own, not responsible.
 */
export function syntheticPlan(units: number, id = `bench-${units}`): Plan {
  const office: Unit = {
    id: 'office',
    name: '市督查室',
    kind: 'government',
    email: 'duban@office.bench.example',
    head: { email: 'head@office.bench.example' },
    supervisor: { email: 'supervisor@office.bench.example' },
  };
  const responsible = Array.from({ length: units }, (_, i) => unit(i + 1));
  return parsePlan({
    id,
    title: '基准测试工作计划',
    timezone: 'Asia/Shanghai',
    units: [office, ...responsible],
    milestones: [
      {
        id: BENCH_MILESTONE,
        title: '报送季度工作进展情况',
        phase: '执行监管',
        deadline: '2021-06-15',
        responsible: responsible.map((u) => u.id),
        recipient: 'office',
        deliverable: '季度工作进展情况报告',
        basis: '各责任单位于2021年6月15日前报送季度工作进展情况。',
      },
    ],
    ladder: { coordinator: { name: '基准测试协调小组', email: 'xietiao@office.bench.example' } },
  });
}

/** The milestone's first reminder: what the dispatch benchmark sends. */
export function firstReminder(plan: Plan): StageOccurrence {
  const milestone = plan.milestones[0];
  const occurrence = milestone && occurrencesOf(plan, milestone).find((o) => o.stage === 'reminder');
  if (!occurrence) throw new Error(`plan ${plan.id} has no reminder`);
  return occurrence;
}

/** `count` real reminder emails (Chinese text, HTML, an .ics attachment), one per unit. */
export function reminderEmails(count: number): OutgoingEmail[] {
  const plan = syntheticPlan(count, 'bench-mail');
  const milestone = plan.milestones[0] as Plan['milestones'][number];
  const occurrence = firstReminder(plan);
  return buildNotices(plan, milestone, occurrence, occurrence.units).map((n) => n.email);
}

/** Every other unit of the reminder delivers the day before it (bench setup, never counted); resolves with them. */
export async function halfDelivered(
  submissions: SubmissionStore,
  plan: Pick<Plan, 'id'>,
  reminder: StageOccurrence,
): Promise<string[]> {
  const delivered = reminder.units.filter((_, i) => i % 2 === 0);
  await pLimit(16).map(delivered, (unit) =>
    submissions.record({
      plan: plan.id,
      milestone: BENCH_MILESTONE,
      unit,
      at: reminder.instant - 86_400_000,
      by: 'bench',
    }),
  );
  return delivered;
}
