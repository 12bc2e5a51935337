import { describe, expect, it } from 'vitest';
import type { NoticeRecord } from '../../shared/domain/ports.js';
import { UnitPage } from '../../shared/web/pages/unitPage.js';
import { seedPlan } from '../support/seed.js';

const plan = seedPlan();
const stored = { ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) };
const milestone = stored.milestones.find((m) => m.id === 'district-plans');
const unit = plan.units.find((u) => u.id === 'enping');
if (!milestone || !unit) throw new Error('the seed has district-plans and enping');

const notice = (stage: NoticeRecord['stage'], extra: Partial<NoticeRecord>): NoticeRecord => ({
  plan: plan.id,
  milestone: milestone.id,
  stage,
  occurrence: '2021-05-24T09:00:00',
  unit: 'enping',
  role: 'unit',
  state: 'sent',
  units: ['enping'],
  to: [unit.email],
  cc: [],
  subject: `${stage} notice`,
  fireAt: '2021-05-24T09:00:00+08:00',
  attempts: 1,
  ...extra,
});

describe('the unit page and a notice that did not reach the unit', () => {
  it('says 投递失败 beside a notice SES could not deliver to this unit, and nothing beside a delivered one', async () => {
    // Prepare
    const bounced = notice('reminder', { delivery: 'bounced', failedRecipients: ['enping#unit'] });
    const delivered = notice('due', { delivery: 'delivered' });
    const view = {
      milestone,
      status: 'missing' as const,
      deadline: milestone.deadline,
      mayAskExtension: false,
      stagesAhead: [],
      voided: [],
      notices: [bounced, delivered].map((record, i) => ({ record, id: String(i) })),
    };

    // Act
    const html = String(await UnitPage({ plan: stored, unit, views: [view], csrf: 't' }));

    // Assess
    const rows = html.split('<tr>').slice(2);
    expect(rows[0]).toContain('reminder notice');
    expect(rows[0]).toContain('投递失败：本通知未能送达贵单位邮箱');
    expect(rows[1]).toContain('due notice');
    expect(rows[1]).not.toContain('投递失败');
  });
});
