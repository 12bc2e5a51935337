import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planSchedule } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { parsePlan } from '../../shared/domain/plan/validate.js';
import { isOfficialWorkday } from '../support/officialCalendar.js';

// The seed's own text, kept beside the plan it is encoded in (plans/source), so the test needs nothing outside the repo.
const SEED = readFileSync(new URL('../../plans/source/jiangmen-2021.txt', import.meta.url), 'utf8');
const PLAN_TEXT = readFileSync(new URL('../../plans/jiangmen-2021.json', import.meta.url), 'utf8');
const loadPlan = (): Plan => parsePlan(JSON.parse(PLAN_TEXT));

const DISTRICT_NAMES = ['蓬江区', '江海区', '新会区', '台山市', '开平市', '鹤山市', '恩平市'];
const DISTRICTS = ['pengjiang', 'jianghai', 'xinhui', 'taishan', 'kaiping', 'heshan', 'enping'];
const DEPARTMENTS = ['fgj', 'sthjj', 'scjgj', 'yjglj'];

/** What each milestone must say, read off the seed's sentences. */
const EXPECTED = [
  {
    id: 'city-plan',
    deadline: '2021-04-30',
    opens: '4月底前',
    responsible: ['gxj'],
    recipient: 'szf',
    cc: [],
    partners: [...DISTRICTS, ...DEPARTMENTS],
    approver: undefined,
  },
  {
    id: 'district-plans',
    deadline: '2021-05-31',
    opens: '5月底前',
    responsible: DISTRICTS,
    recipient: 'gxj',
    cc: DEPARTMENTS,
    partners: undefined,
    approver: undefined,
  },
  {
    id: 'capacity-report',
    deadline: '2021-06-15',
    opens: '2021年6月15日前',
    responsible: DEPARTMENTS,
    recipient: 'gxj',
    cc: [],
    partners: undefined,
    approver: undefined,
  },
  {
    id: 'annual-summary',
    deadline: '2021-12-15',
    opens: '2021年12月15日前',
    responsible: [...DEPARTMENTS, ...DISTRICTS],
    recipient: 'gxj',
    cc: [],
    partners: undefined,
    approver: undefined,
  },
  {
    id: 'city-summary',
    deadline: '2022-01-05',
    opens: '2022年1月5日前',
    responsible: ['gxj'],
    recipient: 'gdgxt',
    cc: [],
    partners: undefined,
    approver: 'szf',
  },
  {
    // The year-long 执行监管阶段: no date of its own in the seed, so its basis opens with the rules it follows; its
    // items' planned dates drive its ladder, and 15 December (the list of closed enterprises) is its deadline.
    id: 'exit-ledger',
    deadline: '2021-12-15',
    opens: '按照《促进产业结构调整暂行规定》',
    responsible: DISTRICTS,
    recipient: 'gxj',
    cc: [],
    partners: undefined,
    approver: undefined,
  },
];

describe('the seed plan plans/jiangmen-2021.json', () => {
  it('is a valid plan titled as the seed document', () => {
    // Act
    const plan = loadPlan();

    // Assess
    expect(SEED.split('\n')[0]?.trim()).toBe(plan.title);
    expect(plan.timezone).toBe('Asia/Shanghai');
  });

  it('encodes the five dated obligations of the seed and its year-long exit work, with their units, recipients, copies, partners and approver', () => {
    // Act
    const plan = loadPlan();

    // Assess
    const encoded = plan.milestones.map((m) => ({
      id: m.id,
      deadline: m.deadline,
      responsible: m.responsible,
      recipient: m.recipient,
      cc: m.cc,
      partners: m.partners,
      approver: m.approver,
    }));
    expect(encoded).toEqual(EXPECTED.map(({ opens: _opens, ...rest }) => rest));
  });

  it('takes every basis verbatim from the seed, and each dated basis names the deadline its milestone carries', () => {
    // Act
    const plan = loadPlan();

    // Assess
    for (const [i, m] of plan.milestones.entries()) {
      expect(SEED.includes(m.basis), `${m.id}: basis occurs in the seed`).toBe(true);
      expect(m.basis.startsWith(EXPECTED[i]?.opens ?? '?'), `${m.id}: basis opens with its date`).toBe(true);
    }
  });

  it('names the recipients, approver and departments as the seed does', () => {
    // Prepare
    const plan = loadPlan();
    const nameOf = new Map(plan.units.map((u) => [u.id, u.name]));

    // Act
    const named = ['gxj', ...DEPARTMENTS, 'szf', 'gdgxt'].map((id) => nameOf.get(id) ?? `?${id}`);

    // Assess
    expect(named).toEqual([
      '市工业和信息化局',
      '市发展改革局',
      '市生态环境局',
      '市市场监管局',
      '市应急管理局',
      '市政府',
      '省工业和信息化厅',
    ]);
    expect(named.filter((name) => !SEED.includes(name))).toEqual([]);
  });

  it('lists the seven districts by name as district units, and no other district', () => {
    // Act
    const districts = loadPlan().units.filter((u) => u.kind === 'district');

    // Assess
    expect(districts.map((u) => u.id)).toEqual(DISTRICTS);
    expect(districts.map((u) => u.name.slice(0, 3))).toEqual(DISTRICT_NAMES);
  });

  it('uses ASCII slugs for unit ids and example addresses under jiangmen.example for every mailbox', () => {
    // Act
    const plan = loadPlan();

    // Assess
    const mailboxes = [
      ...plan.units.flatMap((u) => [u.email, u.head.email, u.supervisor.email]),
      plan.ladder.coordinator.email,
    ];
    expect(mailboxes).toHaveLength(43);
    expect(mailboxes.filter((e) => !/^[a-z0-9.]+@([a-z0-9-]+\.)*jiangmen\.example$/.test(e))).toEqual([]);
    expect(plan.units.map((u) => u.id).filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))).toEqual([]);
  });

  it('escalates by circular and summons only to districts, as the seed says (通报、约谈 the 市（区）)', () => {
    // Act
    const ladder = loadPlan().ladder;

    // Assess
    expect(ladder.basis).toBe('对未按要求完成淘汰落后产能任务的市（区），采取通报、约谈方式进行督办。');
    expect(SEED).toContain(ladder.basis);
    const escalations = ladder.stages.filter((s) => s.stage === 'circular' || s.stage === 'summons');
    expect(escalations.map((s) => [s.stage, s.appliesTo])).toEqual([
      ['circular', ['district']],
      ['summons', ['district']],
    ]);
    expect(ladder.coordinator.name).toBe('江门市淘汰落后产能工作协调小组');
    expect(SEED).toContain(ladder.coordinator.name);
  });

  it('keeps the exit ledger the seed describes: its steps, and 验收、公告、归档 required for every 退出方式', () => {
    // Act
    const ledger = loadPlan().milestones.find((m) => m.id === 'exit-ledger')?.ledger;

    // Assess: 断电、断水，拆除动力装置，封存主体设备 … 验收、公告和档案保存 (the seed's words).
    expect(ledger?.steps.map((s) => s.name)).toEqual([
      '断电',
      '断水',
      '拆除动力装置',
      '封存主体设备',
      '验收',
      '公告',
      '归档',
    ]);
    for (const name of ['断电', '断水', '拆除动力装置', '封存主体设备', '验收', '公告']) expect(SEED).toContain(name);
    expect(Object.keys(ledger?.required ?? {})).toEqual(['关停', '停业', '关闭', '取缔', '拆除']);
    for (const steps of Object.values(ledger?.required ?? {}))
      expect(steps.slice(-3)).toEqual(['acceptance', 'announcement', 'archived']);
    expect(ledger?.escalation.minItems).toBe(1);
  });

  it('schedules nothing on a day off of the State Council arrangements', () => {
    // Prepare
    const plan = loadPlan();

    // Act
    const days = planSchedule(plan).map((o) => o.fireAt.slice(0, 10));

    // Assess
    expect(days).toHaveLength(36);
    expect(days.filter((d) => !isOfficialWorkday(d))).toEqual([]);
  });
});
