import { beforeAll, describe, expect, it } from 'vitest';
import { runSimulation, type SimulationRun } from '../../sim/engine.js';
import { demoScenario, seedPlan } from '../support/seed.js';

const PORTAL = 'https://duban.example.gov.cn';

describe('the seed plan over its whole year with the demo scenario', () => {
  it('puts the unit’s own link in every notice to one unit, and none in circulars, summons, escalations or partners’ 函', () => {
    // The 督办函 to a supervisor and the 函 to a partner (会同) unit name no unit's own link.
    const escalationOrPartner = (subject: string) => subject.includes('督办函') || subject.includes('配合做好');
    const personal = run.result.notices.filter(
      (n) =>
        ['reminder', 'due', 'overdue'].includes(n.stage) && n.units.length === 1 && !escalationOrPartner(n.subject),
    );
    expect(personal.length).toBeGreaterThan(0);
    for (const n of personal) {
      expect(n.text).toMatch(new RegExp(`${PORTAL}/u/[\\w-]+\\.[\\w-]+`));
      expect(n.html).toContain(`href="${PORTAL}/u/`);
    }
    const shared = run.result.notices.filter(
      (n) => n.stage === 'circular' || n.stage === 'summons' || escalationOrPartner(n.subject),
    );
    expect(shared.filter((n) => n.subject.includes('配合做好'))).toHaveLength(11);
    for (const n of shared) expect(n.text).not.toContain('/u/');
    // A summons carries the unit's 回执 link instead.
    for (const n of shared.filter((x) => x.stage === 'summons')) expect(n.text).toContain(`${PORTAL}/r/`);
  });

  let run: SimulationRun;
  beforeAll(async () => {
    run = await runSimulation({
      plan: seedPlan(),
      scenario: demoScenario(),
      bodies: true,
      portalUrl: PORTAL,
    });
  });

  const stagesFor = (milestone: string, unit: string) =>
    run.result.notices
      .filter((n) => n.milestone === milestone && n.units.includes(unit))
      .map((n) => `${n.at.slice(0, 16)} ${n.stage}`);

  it('takes a unit that never submits through every stage that applies to it', () => {
    expect(stagesFor('district-plans', 'heshan')).toEqual([
      '2021-05-24T09:00 reminder',
      '2021-05-28T09:00 reminder',
      '2021-05-31T09:00 due',
      '2021-06-01T09:00 overdue',
      '2021-06-01T09:00 overdue',
      '2021-06-07T10:00 circular',
      '2021-06-15T10:00 summons',
    ]);
  });

  it('stops the ladder for a unit at the instant it submits', () => {
    // 台山市 delivered on 3 June, after the 1 June 催办 and before the 7 June 通报.
    expect(stagesFor('district-plans', 'taishan')).toEqual([
      '2021-05-24T09:00 reminder',
      '2021-05-28T09:00 reminder',
      '2021-05-31T09:00 due',
      '2021-06-01T09:00 overdue',
      '2021-06-01T09:00 overdue',
      // The office accepts it the next day: the 办结 notice ends the unit's year on this milestone.
      '2021-06-04T10:00 accepted',
    ]);
    // 市生态环境局 delivered at 08:59 on the deadline day: no 09:00 due reminder.
    expect(stagesFor('capacity-report', 'sthjj')).toEqual(['2021-06-07T09:00 reminder', '2021-06-11T09:00 reminder']);
  });

  it('circulates and summons only the 市（区）, as the seed says', () => {
    const departmentsEscalated = run.result.notices.filter(
      (n) =>
        (n.stage === 'circular' || n.stage === 'summons') &&
        n.units.some((u) => ['fgj', 'sthjj', 'scjgj', 'yjglj', 'gxj'].includes(u)),
    );
    expect(departmentsEscalated).toEqual([]);
    const circular = run.result.notices.find((n) => n.milestone === 'annual-summary' && n.stage === 'circular');
    expect(circular?.units).toEqual(['kaiping', 'heshan']);
  });

  it('keeps pressing a department that misses its date: 催办 repeats every 3 workdays, 3 times', () => {
    // 通报 and 约谈 apply to 市（区） only: without the repeats 市应急管理局 would hear nothing after 16 June.
    expect(stagesFor('capacity-report', 'yjglj').filter((s) => s.endsWith('overdue'))).toEqual([
      '2021-06-16T09:00 overdue',
      '2021-06-16T09:00 overdue',
      '2021-06-21T09:00 overdue',
      '2021-06-21T09:00 overdue',
      '2021-06-24T09:00 overdue',
      '2021-06-24T09:00 overdue',
      '2021-06-29T09:00 overdue',
      '2021-06-29T09:00 overdue',
    ]);
    const repeated = run.result.notices.find(
      (n) =>
        n.milestone === 'capacity-report' &&
        n.at.startsWith('2021-06-21') &&
        n.to[0] === 'office@yjglj.jiangmen.example',
    );
    expect(repeated?.subject).toMatch(/^关于再次督促报送《关闭退出产能情况》的函（江工信督〔2021〕\d+号）$/);
    expect(repeated?.text).toContain('这是第2次催办');
    expect(repeated?.text).toContain('于6月24日前报送');
  });

  it('never sends on a day off and never sends the same notice twice', () => {
    const keys = run.result.notices.map((n) => `${n.at}|${n.milestone}|${n.stage}|${n.units.join()}|${n.to.join()}`);
    expect(new Set(keys).size).toBe(keys.length);
    const dates = new Set(run.result.notices.map((n) => n.at.slice(0, 10)));
    for (const off of ['2021-05-01', '2021-05-03', '2021-06-14', '2022-01-03']) expect(dates.has(off)).toBe(false);
    expect(run.deadLetters).toEqual([]);
  });

  it('shows the board: on time, late and missing, with the last stage that reached each unit', () => {
    const row = (milestone: string, unit: string) =>
      run.result.board.find((r) => r.milestone === milestone && r.unit === unit);
    expect(row('district-plans', 'pengjiang')).toEqual({
      milestone: 'district-plans',
      unit: 'pengjiang',
      status: 'submitted',
      submittedAt: '2021-05-20T10:00:00+08:00',
      by: 'simulate',
      acknowledged: false,
      deadline: '2021-05-31',
      extended: false,
      review: 'accepted',
    });
    // 开平市 asked for 11 June, was granted it, and delivered on the 10th: on time by its own date.
    expect(row('district-plans', 'kaiping')).toMatchObject({
      status: 'submitted',
      deadline: '2021-06-11',
      extended: true,
      dateKind: 'extension',
      review: 'accepted',
    });
    expect(row('annual-summary', 'kaiping')).toMatchObject({ status: 'late', lastStage: 'circular' });
    expect(row('district-plans', 'enping')).toMatchObject({ status: 'missing', lastStage: 'summons' });
    expect(row('capacity-report', 'yjglj')).toMatchObject({ status: 'missing', lastStage: 'overdue' });
    // 24 milestone rows and the 7 districts' exit-ledger rows.
    expect(run.result.board).toHaveLength(31);
  });

  it('keeps the --json contract: notices with fire time, units, recipients and the local SES MessageId', () => {
    const [first] = run.result.notices;
    // This run asked for the bodies (--bodies): text and html come with the contract's fields.
    expect(Object.keys(first ?? {}).sort()).toEqual([
      'at',
      'cc',
      'delivery',
      'html',
      'messageId',
      'milestone',
      'stage',
      'subject',
      'text',
      'to',
      'units',
    ]);
    expect(first).toMatchObject({
      at: '2021-04-25T09:00:00+08:00',
      milestone: 'city-plan',
      stage: 'reminder',
      delivery: 'delivered',
    });
    // The first firing reminds 市工业和信息化局 and tells its 11 partners (会同 units) in 函 of their own.
    expect(run.result.notices.filter((n) => n.at === first?.at).map((n) => n.units.join())).toHaveLength(12);
    expect(
      run.result.notices.filter((n) => n.at === first?.at && n.to.includes('office@gxj.jiangmen.example')),
    ).toHaveLength(1);
    expect(first?.messageId).toMatch(/^ses-/);
    expect(run.result.notices.every((n) => n.delivery === 'delivered')).toBe(true);
    // 95 notices of the milestones' ladders (11 函 to partners, 6 repeated 催办 and 督办函), 13 of the exit
    // ledger's and 8 answers to the units (办结, 退回, decisions on extension requests).
    expect(run.result.notices).toHaveLength(116);
  });
});
