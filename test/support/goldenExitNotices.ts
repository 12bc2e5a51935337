import { chasedUnits } from '../../shared/domain/exits/chase.js';
import { exitLadder } from '../../shared/domain/exits/ladder.js';
import { ledgerOf } from '../../shared/domain/exits/status.js';
import type { ExitItem } from '../../shared/domain/exits/types.js';
import type { PlannedNotice } from '../../shared/domain/notices/build.js';
import { fillDocNumber, formatDocNumber } from '../../shared/domain/notices/docNumber.js';
import { buildExitNotices } from '../../shared/domain/notices/exitNotices.js';
import type { OutgoingEmail } from '../../shared/domain/ports.js';
import { DEMO_CODES, exitFields } from './exitRows.js';
import { seedPlan, shanghai } from './seed.js';

/**
 * One notice of each kind of the seed plan's exit ledger (退出台账), rendered as a worker sends it (numbered as
 * the 12th of its issuer's year): 鹤山市 with two enterprises not out by 31 August, one with its power cut.
 */
export function goldenExitNotices(): Record<string, OutgoingEmail> {
  const plan = seedPlan();
  const milestone = ledgerOf(plan);
  if (!milestone) throw new Error('the seed plan keeps no exit ledger');
  const [, second, third] = DEMO_CODES.heshan;
  const item = (fields: Parameters<typeof exitFields>[0], steps: ExitItem['steps'] = {}): ExitItem => ({
    ...exitFields(fields),
    plan: plan.id,
    milestone: milestone.id,
    unit: 'heshan',
    steps,
    version: 1,
    createdAt: shanghai('2021-06-01T10:00:00'),
    updatedAt: shanghai('2021-06-01T10:00:00'),
    updatedBy: 'golden',
  });
  const items = [
    item({ name: '鹤山市示例钢铁铸件有限公司（示例）', creditCode: second, exitMethod: '取缔' }),
    item(
      { name: '鹤山市示例化工有限公司（示例）', creditCode: third, exitMethod: '关闭' },
      { 'power-cut': { date: '2021-08-20', at: shanghai('2021-08-20T17:00:00'), by: 'golden' } },
    ),
  ];
  const ladder = exitLadder(
    plan,
    milestone.id,
    items.map((i) => i.plannedDate),
  );
  const firing = (stage: string) => {
    const occurrence = ladder.find((o) => o.stage === stage);
    if (!occurrence) throw new Error(`no ${stage} on the ledger's ladder`);
    const chased = chasedUnits(plan, milestone, occurrence, items, occurrence.instant);
    const links = new Map([
      [
        'heshan',
        stage === 'summons'
          ? 'https://duban.example.gov.cn/r/heshan.TOKEN/exit-ledger'
          : 'https://duban.example.gov.cn/u/heshan.TOKEN',
      ],
    ]);
    return buildExitNotices(plan, milestone, occurrence, chased, links, ladder);
  };
  const pick = (notices: PlannedNotice[], role: string) => {
    const n = notices.find((x) => x.key.role === role);
    if (!n) throw new Error(`no ${role} notice`);
    return n;
  };
  const notices: Record<string, PlannedNotice> = {
    'exit-reminder': pick(firing('reminder'), 'unit'),
    'exit-due': pick(firing('due'), 'unit'),
    'exit-overdue': pick(firing('overdue'), 'unit'),
    'exit-escalation': pick(firing('overdue'), 'supervisor'),
    'exit-circular': pick(firing('circular'), 'all'),
    'exit-summons': pick(firing('summons'), 'head'),
  };
  return Object.fromEntries(
    Object.entries(notices).map(([kind, n]) => [
      kind,
      n.numbering ? fillDocNumber(n.email, formatDocNumber(n.numbering, 12)) : n.email,
    ]),
  );
}
