import { buildNotices, type PlannedNotice, partnerNotices } from '../../shared/domain/notices/build.js';
import { fillDocNumber, formatDocNumber } from '../../shared/domain/notices/docNumber.js';
import { buildReply, type ReplyFacts } from '../../shared/domain/notices/replies.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { Milestone, Plan } from '../../shared/domain/plan/schema.js';
import type { OutgoingEmail } from '../../shared/domain/ports.js';
import { seedPlan } from './seed.js';

/**
 * One notice of each kind of the seed plan, rendered as a worker sends it (its 文号 filled in): the
 * reference renderings kept in test/golden/ (golden.test.ts). Links are fixed placeholders, so that a
 * rendering changes only when a notice does.
 */
export function goldenNotices(): Record<string, OutgoingEmail> {
  const plan = seedPlan();
  const links = new Map(plan.units.map((u) => [u.id, `https://duban.example.gov.cn/u/${u.id}.TOKEN`]));
  const receipts = new Map(
    plan.units.map((u) => [u.id, `https://duban.example.gov.cn/r/${u.id}.TOKEN/district-plans`]),
  );
  const stage = (milestoneId: string, kind: string, nth = 0, links_ = links) => {
    const m = milestoneOf(plan, milestoneId);
    const occurrences = occurrencesOf(plan, m);
    const occurrence = occurrences.filter((o) => o.stage === kind)[nth];
    if (!occurrence) throw new Error(`no ${kind} #${nth} for ${milestoneId}`);
    return {
      m,
      occurrence,
      occurrences,
      notices: buildNotices(plan, m, occurrence, occurrence.units, links_, occurrences),
    };
  };
  const pick = (notices: PlannedNotice[], unit: string, role = 'unit') => {
    const n = notices.find((x) => x.key.unit === unit && x.key.role === role);
    if (!n) throw new Error(`no notice to ${unit} (${role})`);
    return n;
  };
  const cityPlan = stage('city-plan', 'reminder');
  const reply = (m: string, unit: string, facts: ReplyFacts, date: string) =>
    buildReply(plan, milestoneOf(plan, m), unitOf(plan, unit), facts, {
      occurrence: `${date}T10:00:00`,
      date,
      ...(links.get(unit) ? { link: links.get(unit) as string } : {}),
    });
  const notices: Record<string, PlannedNotice> = {
    reminder: pick(stage('district-plans', 'reminder').notices, 'enping'),
    due: pick(stage('district-plans', 'due').notices, 'enping'),
    overdue: pick(stage('district-plans', 'overdue').notices, 'enping'),
    escalation: pick(stage('district-plans', 'overdue').notices, 'enping', 'supervisor'),
    'overdue-repeat': pick(stage('capacity-report', 'overdue', 1).notices, 'yjglj'),
    circular: (() => {
      const { m, occurrence, occurrences } = stage('district-plans', 'circular');
      const [circular] = buildNotices(plan, m, occurrence, ['heshan', 'enping'], new Map(), occurrences);
      return circular as PlannedNotice;
    })(),
    summons: pick(stage('district-plans', 'summons', 0, receipts).notices, 'enping', 'head'),
    partner: pick(partnerNotices(plan, cityPlan.m, cityPlan.occurrence, cityPlan.occurrences), 'enping', 'partner'),
    accepted: reply(
      'district-plans',
      'taishan',
      { kind: 'accepted', submittedOn: '2021-06-03', ref: '台府函〔2021〕22号' },
      '2021-06-04',
    ),
    returned: reply(
      'district-plans',
      'xinhui',
      {
        kind: 'returned',
        submittedOn: '2021-05-31',
        reason: '未明确年度重点任务的时间节点和责任部门，请补充完善。',
        deadline: '2021-06-07',
      },
      '2021-06-02',
    ),
    'extension-approved': reply(
      'district-plans',
      'kaiping',
      { kind: 'extension-approved', asked: '2021-06-11', granted: '2021-06-11' },
      '2021-05-28',
    ),
    'extension-rejected': reply(
      'annual-summary',
      'yjglj',
      {
        kind: 'extension-rejected',
        asked: '2021-12-24',
        reason: '年度工作总结须按期报送，以便汇总上报市政府。',
        deadline: '2021-12-15',
      },
      '2021-12-13',
    ),
  };
  // Each numbered as the 12th of its issuer's year: what a worker puts where the slot is.
  return Object.fromEntries(
    Object.entries(notices).map(([kind, n]) => [
      kind,
      n.numbering ? fillDocNumber(n.email, formatDocNumber(n.numbering, 12)) : n.email,
    ]),
  );
}

function milestoneOf(plan: Plan, id: string): Milestone {
  const m = plan.milestones.find((x) => x.id === id);
  if (!m) throw new Error(`no milestone ${id}`);
  return m;
}

function unitOf(plan: Plan, id: string) {
  const u = plan.units.find((x) => x.id === id);
  if (!u) throw new Error(`no unit ${id}`);
  return u;
}
