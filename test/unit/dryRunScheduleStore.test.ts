import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DryRunScheduleStore } from '../../shared/adapters/aws/scheduler/dryRunScheduleStore.js';
import {
  EventBridgeScheduleStore,
  ScheduleRequestError,
  type ScheduleTarget,
} from '../../shared/adapters/aws/scheduler/eventBridgeScheduleStore.js';
import { placeholderTargets } from '../../shared/adapters/aws/scheduler/placeholderArns.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { ScratchCalendar } from '../../shared/domain/calendar/scratchCalendar.js';
import type { ScheduleSpec, ScheduleStore } from '../../shared/domain/ports.js';
import { reconcilePlan } from '../../shared/domain/schedule/reconcile.js';
import { seedPlan } from '../support/seed.js';

const scheduler = mockClient(SchedulerClient);

const target: ScheduleTarget = { groupPrefix: 'duban-', ...placeholderTargets() };

function spec(name: string, at: string, revision = 1): ScheduleSpec {
  const stage = name.endsWith('circular') ? 'circular' : 'due';
  return {
    name,
    plan: 'jiangmen-2021',
    at,
    timezone: 'Asia/Shanghai',
    payload: { plan: 'jiangmen-2021', milestone: 'district-plans', stage, revision },
  };
}

const circular = spec('district-plans.4-circular', '2021-06-07T10:00:00');
const due = spec('district-plans.2-due', '2021-05-31T09:00:00');

/** One reconcile's worth of calls: a new schedule, a moved one, a dropped one. */
async function reconcileOnce(store: ScheduleStore): Promise<void> {
  await store.create(circular);
  await store.update(spec('district-plans.2-due', '2021-06-01T09:00:00', 2));
  await store.delete('jiangmen-2021', 'district-plans.3-overdue');
}

beforeEach(() => {
  scheduler.reset();
});

describe('DryRunScheduleStore', () => {
  it('records exactly the requests the EventBridge adapter sends for the same calls, and sends nothing', async () => {
    // Prepare
    scheduler.onAnyCommand().resolves({});
    const real = new EventBridgeScheduleStore({ client: new SchedulerClient({ region: 'us-east-1' }), ...target });
    const dryRun = new DryRunScheduleStore(target);

    // Act
    await reconcileOnce(real);
    const sent = scheduler.calls().map((call) => call.args[0]);
    scheduler.reset();
    await reconcileOnce(dryRun);

    // Assess
    expect(dryRun.requests()).toEqual(
      sent.map((command) => ({
        op:
          command instanceof CreateScheduleCommand
            ? 'create'
            : command instanceof UpdateScheduleCommand
              ? 'update'
              : command instanceof DeleteScheduleCommand
                ? 'delete'
                : command.constructor.name,
        request: command.input,
      })),
    );
    expect(dryRun.requests().map((r) => r.op)).toEqual(['create', 'update', 'delete']);
    expect(scheduler).not.toHaveReceivedAnyCommand();
  });

  it('starts empty and lists what this run has created, updated and not deleted', async () => {
    // Prepare
    const dryRun = new DryRunScheduleStore({ groupPrefix: 'duban-' });
    const before = await dryRun.list('jiangmen-2021');
    const moved = spec('district-plans.2-due', '2021-06-01T09:00:00', 2);

    // Act
    await dryRun.create(circular);
    await dryRun.create(due);
    await dryRun.update(moved);
    await dryRun.delete('jiangmen-2021', 'district-plans.4-circular');

    // Assess
    expect(before).toEqual([]);
    expect(await dryRun.list('jiangmen-2021')).toEqual([moved]);
    expect(await dryRun.list('foshan-2021')).toEqual([]);
  });

  it('fills in placeholder ARNs shaped like the deployed ones when given none', async () => {
    // Prepare
    const dryRun = new DryRunScheduleStore({ groupPrefix: 'duban-' });

    // Act
    await dryRun.create(circular);

    // Assess
    expect(dryRun.requests()[0]?.request).toMatchObject({
      GroupName: 'duban-jiangmen-2021',
      Target: {
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:duban-dispatch',
        RoleArn: 'arn:aws:iam::123456789012:role/duban-scheduler',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:duban-schedules-dlq' },
      },
    });
  });

  it('refuses what Scheduler would refuse, as the EventBridge adapter does, and records nothing', async () => {
    // Prepare
    const dryRun = new DryRunScheduleStore({ groupPrefix: 'duban-' });

    // Act
    const creating = dryRun.create(spec('district plans', '2021-06-07T10:00:00'));

    // Assess
    await expect(creating).rejects.toBeInstanceOf(ScheduleRequestError);
    expect(dryRun.requests()).toEqual([]);
    expect(await dryRun.list('jiangmen-2021')).toEqual([]);
  });

  it('reads through to a real store, records what it would take to change it, and leaves it untouched', async () => {
    // Prepare: the real store holds the due and circular schedules.
    const real = new LocalScheduleStore();
    await real.create(due);
    await real.create(circular);
    const dryRun = new DryRunScheduleStore({ groupPrefix: 'duban-', readThrough: real });
    const moved = spec('district-plans.2-due', '2021-06-01T09:00:00', 2);

    // Act
    const listed = await dryRun.list('jiangmen-2021');
    await dryRun.update(moved);
    await dryRun.delete('jiangmen-2021', 'district-plans.4-circular');

    // Assess
    expect(listed).toEqual([due, circular]);
    expect(dryRun.requests().map((r) => [r.op, r.request.Name])).toEqual([
      ['update', 'district-plans.2-due'],
      ['delete', 'district-plans.4-circular'],
    ]);
    expect(dryRun.requests()[0]?.request).toMatchObject({
      ScheduleExpression: 'at(2021-06-01T09:00:00)',
      Target: { Input: JSON.stringify(moved.payload) },
    });
    expect(await dryRun.list('jiangmen-2021')).toEqual([moved]);
    expect(await real.list('jiangmen-2021')).toEqual([due, circular]);
    expect(real.writes).toBe(2);
  });

  it('reconciles against the real store’s schedules, so an in-sync plan needs no request', async () => {
    // Prepare: a plan whose schedules the real store already holds.
    const plan = seedPlan();
    const calendar = new ScratchCalendar();
    await calendar.savePlan({ ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) });
    const clock = { now: () => Date.parse('2021-04-01T00:00:00+08:00') };
    const real = new LocalScheduleStore();
    await reconcilePlan({ calendar, schedules: real, clock }, plan.id);
    const [first] = await real.list(plan.id);
    await real.delete(plan.id, first?.name ?? '');
    const dryRun = new DryRunScheduleStore({ groupPrefix: 'duban-', readThrough: real });

    // Act
    const result = await reconcilePlan({ calendar, schedules: dryRun, clock }, plan.id);

    // Assess: only the schedule missing from the real store is created, and only in the dry run.
    expect(result.created).toEqual([first?.name]);
    expect(dryRun.requests().map((r) => `${r.op} ${r.request.Name}`)).toEqual([`create ${first?.name}`]);
    expect((await real.list(plan.id)).map((s) => s.name)).not.toContain(first?.name);
  });
});
