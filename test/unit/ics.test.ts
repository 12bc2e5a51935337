import { describe, expect, it } from 'vitest';
import { buildNotices } from '../../shared/domain/notices/build.js';
import { finishEmail } from '../../shared/domain/notices/finishEmail.js';
import { deadlineIcs } from '../../shared/domain/notices/ics.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import type { StoredMilestone } from '../../shared/domain/ports.js';
import { seedPlan } from '../support/seed.js';

const storedMilestone = (plan: Plan, id: string, revision: number, deadline?: string): StoredMilestone => {
  const m = plan.milestones.find((x) => x.id === id);
  if (!m) throw new Error(`no milestone ${id}`);
  return { ...m, ...(deadline ? { deadline } : {}), revision };
};

/** The `.ics` attached to a unit's reminder, as dispatch plans it from the stored milestone and the worker sends it. */
async function reminderIcs(plan: Plan, milestone: StoredMilestone): Promise<string> {
  const occurrence = occurrencesOf(plan, milestone).find((o) => o.stage === 'reminder');
  if (!occurrence) throw new Error('no reminder');
  const [notice] = buildNotices(plan, milestone, occurrence, occurrence.units);
  if (!notice) throw new Error('no notice');
  const ics = (await finishEmail(notice)).attachments?.find((a) => a.filename === 'deadline.ics');
  if (!ics) throw new Error('no .ics attached');
  return ics.content;
}

const field = (ics: string, name: string) => new RegExp(`^${name}[:;](.*)$`, 'm').exec(ics)?.[1]?.trim();

describe('the deadline .ics attached to reminders', () => {
  it('carries the revision as SEQUENCE, so a moved deadline replaces the entry in the unit calendar', async () => {
    // Prepare: the same milestone before and after its deadline was moved (revision 1 → 2).
    const plan = seedPlan();
    const before = storedMilestone(plan, 'capacity-report', 1);
    const after = storedMilestone(plan, 'capacity-report', 2, '2021-06-18');

    // Act
    const [first, moved] = [await reminderIcs(plan, before), await reminderIcs(plan, after)];

    // Assess: one entry (same UID), a newer version of it, on the new day.
    expect(field(moved, 'UID')).toBe(field(first, 'UID'));
    expect(field(first, 'SEQUENCE')).toBe('1');
    expect(field(moved, 'SEQUENCE')).toBe('2');
    expect(field(first, 'DTSTART')).toContain('20210615');
    expect(field(moved, 'DTSTART')).toContain('20210618');
  });

  it('takes an explicit revision over the milestone, and has no SEQUENCE when none is known', () => {
    // Prepare
    const plan = seedPlan();
    const milestone = storedMilestone(plan, 'city-plan', 4);
    const { revision: _r, ...unstored } = milestone;

    // Act
    const explicit = deadlineIcs(plan, unstored, 'gxj', 7);
    const unknown = deadlineIcs(plan, unstored, 'gxj');

    // Assess
    expect(field(explicit, 'SEQUENCE')).toBe('7');
    expect(field(unknown, 'SEQUENCE')).toBeUndefined();
    expect(field(unknown, 'UID')).toBe(`${plan.id}.city-plan.gxj@duban`);
  });
});
