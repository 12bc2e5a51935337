import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDynamoClients } from '../../shared/adapters/aws/clients.js';
import { DynamoCalendarStore } from '../../shared/adapters/aws/dynamo/calendarStore.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { type CalendarStore, ConcurrentEditError } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { endpoints, freshTable } from '../support/stack.js';

/**
 * dynalite has no TransactWriteItems, so the local path writes an edit's audit record first and the edit
 * after it: no edit ever exists without its record (the AWS path is one transaction:
 * test/unit/auditTransaction.test.ts holds its exact request).
 */
describe('the audit trail on the local stand-in (write-ahead)', () => {
  const plan: Plan = seedPlan();
  const clock = new VirtualClock(shanghai('2021-04-01T00:00:00'));
  let table: string;
  let calendar: CalendarStore;
  /** The same table through a client whose every audit Put fails, as a throttled or refused write would. */
  let failingAudit: CalendarStore;

  beforeAll(async () => {
    table = await freshTable('audit');
    const { doc } = makeDynamoClients(endpoints());
    calendar = new DynamoCalendarStore(doc, table, { edits: 'write-ahead' });
    const refusing = Object.create(doc, {
      send: {
        value: (command: unknown, ...rest: unknown[]) => {
          if (command instanceof PutCommand && String(command.input.Item?.pk).startsWith('AUDIT#')) {
            return Promise.reject(Object.assign(new Error('audit write refused'), { name: 'InternalServerError' }));
          }
          return doc.send(command as never, ...(rest as []));
        },
      },
    });
    failingAudit = new DynamoCalendarStore(refusing, table, { edits: 'write-ahead' });
    await importPlan({ calendar, schedules: new LocalScheduleStore(), clock }, plan, 'admin');
  });

  it('leaves an edit unapplied when its audit record cannot be written', async () => {
    // Act
    const error = await applyEdit(
      { calendar: failingAudit, schedules: new LocalScheduleStore(), clock },
      plan.id,
      { type: 'setDeadline', milestone: 'capacity-report', deadline: '2021-06-18' },
      'cli:li.ming',
    ).catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toBe('audit write refused');
    const stored = await calendar.loadPlan(plan.id);
    expect(stored?.milestones.find((m) => m.id === 'capacity-report')).toMatchObject({
      deadline: plan.milestones.find((m) => m.id === 'capacity-report')?.deadline,
      revision: 1,
    });
    expect((await calendar.listAudit(plan.id)).map((r) => r.action)).toEqual(['import']);
  });

  it('records an edit, and a refusal beside the record of an edit that lost to a concurrent one', async () => {
    // Prepare: the edit read revision 1; another admin moved the milestone to revision 2 meanwhile.
    const schedules = new LocalScheduleStore();
    await applyEdit({ calendar, schedules, clock }, plan.id, { type: 'pause', milestone: 'city-plan' }, 'cli:other');
    const stale: CalendarStore = Object.create(calendar, {
      loadPlan: {
        value: async (id: string) => {
          const current = await calendar.loadPlan(id);
          return current && { ...current, milestones: current.milestones.map((m) => ({ ...m, revision: 1 })) };
        },
      },
    });

    // Act
    const error = await applyEdit(
      { calendar: stale, schedules, clock },
      plan.id,
      { type: 'resume', milestone: 'city-plan' },
      'cli:li.ming',
    ).catch((e: unknown) => e);

    // Assess: the trail says what was done and what was refused; the milestone is as the other admin left it.
    // (Sorted: on the virtual clock every record has the same instant.)
    expect(error).toBeInstanceOf(ConcurrentEditError);
    expect((await calendar.listAudit(plan.id)).map((r) => `${r.actor} ${r.action}`).sort()).toEqual([
      'admin import',
      'cli:li.ming resume',
      'cli:li.ming resume (refused: milestone "city-plan" was changed by someone else; reload and try again)',
      'cli:other pause',
    ]);
    expect((await calendar.loadPlan(plan.id))?.milestones.find((m) => m.id === 'city-plan')).toMatchObject({
      paused: true,
      revision: 2,
    });
  });
});
