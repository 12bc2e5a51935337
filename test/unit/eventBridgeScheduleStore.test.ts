import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createScheduleInput,
  EventBridgeScheduleStore,
  ScheduleRequestError,
  ScheduleStoreError,
  type ScheduleTarget,
  UNREADABLE_REVISION,
} from '../../shared/adapters/aws/scheduler/eventBridgeScheduleStore.js';
import type { ScheduleSpec } from '../../shared/domain/ports.js';

const scheduler = mockClient(SchedulerClient);

const target: ScheduleTarget = {
  groupPrefix: 'duban-',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:duban-dispatch',
  roleArn: 'arn:aws:iam::123456789012:role/duban-scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:duban-schedules-dlq',
};

const GROUP = 'duban-jiangmen-2021';

function spec(overrides: Partial<ScheduleSpec> = {}, payload: Partial<ScheduleSpec['payload']> = {}): ScheduleSpec {
  return {
    name: 'district-plans.2-due',
    plan: 'jiangmen-2021',
    at: '2021-05-31T09:00:00',
    timezone: 'Asia/Shanghai',
    ...overrides,
    payload: { plan: 'jiangmen-2021', milestone: 'district-plans', stage: 'due', revision: 3, ...payload },
  };
}

const store = () => new EventBridgeScheduleStore({ client: new SchedulerClient({ region: 'us-east-1' }), ...target });
const notFound = (message: string) => new ResourceNotFoundException({ message, Message: message, $metadata: {} });
const conflict = (message: string) => new ConflictException({ message, Message: message, $metadata: {} });

/** What GetSchedule answers for a schedule created with `input`. */
function stored(input: CreateScheduleCommandInput): GetScheduleCommandOutput {
  return {
    ...input,
    Arn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${input.GroupName}/${input.Name}`,
    CreationDate: new Date('2021-05-01T00:00:00Z'),
    $metadata: {},
  };
}

const inputs = <T>(command: new (input: T) => { input: T }) =>
  scheduler.commandCalls(command as never).map((call) => call.args[0].input);

beforeEach(() => {
  scheduler.reset();
});

describe('EventBridgeScheduleStore', () => {
  it("creates a one-time at() schedule in the plan's zone that deletes itself after firing", async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });

    // Act
    await store().create(spec());

    // Assess
    expect(inputs(CreateScheduleCommand)).toEqual([
      {
        Name: 'district-plans.2-due',
        GroupName: GROUP,
        ScheduleExpression: 'at(2021-05-31T09:00:00)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        Description: 'duban jiangmen-2021 district-plans due rev 3',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: target.targetArn,
          RoleArn: target.roleArn,
          Input: '{"plan":"jiangmen-2021","milestone":"district-plans","stage":"due","revision":3}',
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 20 },
          DeadLetterConfig: { Arn: target.deadLetterArn },
        },
        ActionAfterCompletion: 'DELETE',
      },
    ]);
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
  });

  it('writes the payload keys in a fixed order whatever order the spec has them in', () => {
    // Prepare
    const shuffled = spec({
      payload: { revision: 3, stage: 'due', milestone: 'district-plans', plan: 'jiangmen-2021' },
    });

    // Act
    const input = createScheduleInput(shuffled, target);

    // Assess
    expect(input.Target?.Input).toBe(
      '{"plan":"jiangmen-2021","milestone":"district-plans","stage":"due","revision":3}',
    );
  });

  it('uses a retry policy given at construction', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const client = new SchedulerClient({ region: 'us-east-1' });
    const retryPolicy = { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 };

    // Act
    await new EventBridgeScheduleStore({ client, ...target, retryPolicy }).create(spec());

    // Assess
    expect(inputs(CreateScheduleCommand)[0]?.Target?.RetryPolicy).toEqual({
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 5,
    });
  });

  it('updates a schedule by sending every field again, since UpdateSchedule replaces them all', async () => {
    // Prepare
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const moved = spec({ at: '2021-06-02T09:00:00' }, { revision: 4 });

    // Act
    await store().update(moved);

    // Assess
    expect(inputs(UpdateScheduleCommand)).toEqual([createScheduleInput(moved, target)]);
    expect(inputs(UpdateScheduleCommand)[0]?.ScheduleExpression).toBe('at(2021-06-02T09:00:00)');
    expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it('deletes a schedule by name in the plan group', async () => {
    // Prepare
    scheduler.on(DeleteScheduleCommand).resolves({});

    // Act
    await store().delete('jiangmen-2021', 'district-plans.4-circular');

    // Assess
    expect(inputs(DeleteScheduleCommand)).toEqual([{ Name: 'district-plans.4-circular', GroupName: GROUP }]);
  });

  it('treats deleting a schedule that is already gone as done', async () => {
    // Prepare
    scheduler.on(DeleteScheduleCommand).rejects(notFound('Schedule district-plans.4-circular does not exist.'));

    // Act
    const deleting = store().delete('jiangmen-2021', 'district-plans.4-circular');

    // Assess
    await expect(deleting).resolves.toBeUndefined();
    expect(scheduler).toHaveReceivedCommandTimes(DeleteScheduleCommand, 1);
  });

  it('reports any other failure as a ScheduleStoreError that keeps the SDK error as its cause', async () => {
    // Prepare
    const throttled = new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: {} });
    scheduler.on(DeleteScheduleCommand).rejects(throttled);

    // Act
    const error = await store()
      .delete('jiangmen-2021', 'district-plans.4-circular')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ScheduleStoreError);
    expect(error).toMatchObject({
      message: `DeleteSchedule ${GROUP}/district-plans.4-circular failed`,
      cause: throttled,
    });
  });

  it("creates the plan's schedule group when it is missing, then creates the schedule", async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(notFound(`Schedule group ${GROUP} does not exist.`))
      .resolves({ ScheduleArn: 'arn' });
    scheduler.on(CreateScheduleGroupCommand).resolves({ ScheduleGroupArn: 'arn' });

    // Act
    await store().create(spec());

    // Assess
    expect(inputs(CreateScheduleGroupCommand)).toEqual([{ Name: GROUP }]);
    expect(inputs(CreateScheduleCommand)).toEqual([
      createScheduleInput(spec(), target),
      createScheduleInput(spec(), target),
    ]);
    expect(scheduler).not.toHaveReceivedCommand(UpdateScheduleCommand);
  });

  it('tolerates another reconcile creating the same group at the same time', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).rejectsOnce(notFound('no group')).resolves({ ScheduleArn: 'arn' });
    scheduler.on(CreateScheduleGroupCommand).rejects(conflict(`Schedule group ${GROUP} already exists.`));

    // Act
    await store().create(spec());

    // Assess
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleGroupCommand, 1);
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
  });

  it('gives up after one retry when the schedule still cannot be created', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).rejects(notFound('no group'));
    scheduler.on(CreateScheduleGroupCommand).resolves({});

    // Act
    const creating = store().create(spec());

    // Assess
    await expect(creating).rejects.toBeInstanceOf(ScheduleStoreError);
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
  });

  it('updates a schedule that already exists instead of failing to create it', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).rejects(conflict('Schedule district-plans.2-due already exists.'));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });

    // Act
    await store().create(spec());

    // Assess
    expect(inputs(UpdateScheduleCommand)).toEqual([createScheduleInput(spec(), target)]);
  });

  it('refuses a name Scheduler would refuse, before sending anything', async () => {
    // Act
    const creating = store().create(spec({ name: 'district plans/2' }));

    // Assess
    await expect(creating).rejects.toThrow(ScheduleRequestError);
    await expect(creating).rejects.toThrow(/Name: "district plans\/2" must be 1-64 of \[0-9a-zA-Z-_\.\]/);
    expect(scheduler).not.toHaveReceivedAnyCommand();
  });

  it('refuses an oversized payload before sending anything', async () => {
    // Prepare
    const huge = spec({}, { milestone: 'm'.repeat(9000) });

    // Act
    const error = await store()
      .create(huge)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ScheduleRequestError);
    expect((error as ScheduleRequestError).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Target\.Input: \d+ > 8192 chars$/)]),
    );
    expect(scheduler).not.toHaveReceivedAnyCommand();
  });

  it.each([
    ['a UTC instant instead of wall-clock time', spec({ at: '2021-05-31T01:00:00.000Z' }), /^at: /],
    ['a date that does not exist', spec({ at: '2021-02-30T09:00:00' }), /^at: /],
    ['an unknown time zone', spec({ timezone: 'Asia/Beijing' }), /^ScheduleExpressionTimezone: /],
    ['a payload for another plan', spec({}, { plan: 'foshan-2021' }), /^payload\.plan: /],
    ['a negative revision', spec({}, { revision: -1 }), /^payload\.revision: /],
  ])('refuses %s before sending anything', async (_case, bad, problem) => {
    // Act
    const error = await store()
      .update(bad)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ScheduleRequestError);
    expect((error as ScheduleRequestError).problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
    expect(scheduler).not.toHaveReceivedAnyCommand();
  });

  it('refuses a retry policy outside what Scheduler accepts', () => {
    // Prepare
    const retryPolicy = { maximumEventAgeInSeconds: 30, maximumRetryAttempts: 186 };

    // Act
    const build = () => createScheduleInput(spec(), { ...target, retryPolicy });

    // Assess
    expect(build).toThrow(/MaximumEventAgeInSeconds: 30 not in 60-86400; MaximumRetryAttempts: 186 not in 0-185/);
  });
});

describe('EventBridgeScheduleStore.list', () => {
  const specs = [
    spec({ name: 'district-plans.1-reminder', at: '2021-05-28T09:00:00' }, { stage: 'reminder' }),
    spec({ name: 'district-plans.2-due' }),
    spec({ name: 'district-plans.3-overdue', at: '2021-06-01T09:00:00' }, { stage: 'overdue' }),
    spec({ name: 'district-plans.4-circular', at: '2021-06-07T10:00:00' }, { stage: 'circular' }),
  ];

  /** Stores every created schedule and answers ListSchedules two at a time, GetSchedule from the store. */
  function fakeScheduler(extra: GetScheduleCommandOutput[] = []) {
    const byName = new Map<string, GetScheduleCommandOutput>();
    for (const s of specs) {
      const input = createScheduleInput(s, target);
      byName.set(input.Name, stored(input));
    }
    for (const s of extra) byName.set(s.Name ?? '', s);
    const names = [...byName.keys()];
    scheduler.on(ListSchedulesCommand).callsFake(({ NextToken }: { NextToken?: string }) => {
      const from = NextToken ? Number(NextToken) : 0;
      const next = from + 2 < names.length ? String(from + 2) : undefined;
      const Schedules = names.slice(from, from + 2).map((Name) => ({ Name, GroupName: GROUP, State: 'ENABLED' }));
      return { Schedules, NextToken: next };
    });
    scheduler.on(GetScheduleCommand).callsFake(({ Name }: { Name: string }) => {
      const found = byName.get(Name);
      if (!found) throw notFound(`Schedule ${Name} does not exist.`);
      return found;
    });
  }

  it('reads back every schedule of the plan across pages as the specs they were created from', async () => {
    // Prepare
    fakeScheduler();

    // Act
    const listed = await store().list('jiangmen-2021');

    // Assess
    expect(listed).toEqual(specs);
    expect(inputs(ListSchedulesCommand)).toEqual([
      { GroupName: GROUP, MaxResults: 100 },
      { GroupName: GROUP, MaxResults: 100, NextToken: '2' },
    ]);
    expect(inputs(GetScheduleCommand)).toEqual(specs.map((s) => ({ Name: s.name, GroupName: GROUP })));
  });

  it('returns nothing for a plan whose schedule group does not exist yet', async () => {
    // Prepare
    scheduler.on(ListSchedulesCommand).rejects(notFound(`Schedule group ${GROUP} does not exist.`));

    // Act
    const listed = await store().list('jiangmen-2021');

    // Assess
    expect(listed).toEqual([]);
    expect(scheduler).not.toHaveReceivedCommand(GetScheduleCommand);
  });

  it('reports schedules it did not write with revision -1 so reconcile replaces or deletes them', async () => {
    // Prepare
    const base = stored(createScheduleInput(spec({ name: 'x' }), target));
    const ours = { Arn: target.targetArn, RoleArn: target.roleArn };
    const drifted: Record<string, Partial<GetScheduleCommandOutput>> = {
      'by-hand': { Target: { ...base.Target, ...ours, Input: '{"hello":1}' } },
      'not-json': { Target: { ...base.Target, ...ours, Input: 'hello' } },
      'other-plan': { Target: { ...base.Target, ...ours, Input: base.Target?.Input?.replace('jiangmen', 'foshan') } },
      recurring: { ScheduleExpression: 'cron(0 9 * * ? *)' },
      'old-target': { Target: { ...base.Target, ...ours, Arn: `${target.targetArn}-old` } },
      'old-role': { Target: { ...base.Target, ...ours, RoleArn: `${target.roleArn}-old` } },
      'disabled-by-hand': { State: 'DISABLED' },
    };
    fakeScheduler(Object.entries(drifted).map(([Name, change]) => ({ ...base, ...change, Name })));

    // Act
    const listed = await store().list('jiangmen-2021');

    // Assess
    const foreign = listed.filter((s) => s.name in drifted);
    expect(foreign.map((s) => [s.name, s.payload.revision])).toEqual(
      Object.keys(drifted).map((name) => [name, UNREADABLE_REVISION]),
    );
    expect(foreign.every((s) => s.plan === 'jiangmen-2021' && s.payload.plan === 'jiangmen-2021')).toBe(true);
    expect(listed.filter((s) => !(s.name in drifted))).toEqual(specs);
  });

  it('skips a schedule that fired and deleted itself between the listing and the read', async () => {
    // Prepare
    fakeScheduler();
    scheduler.on(GetScheduleCommand, { Name: 'district-plans.1-reminder' }).rejects(notFound('gone'));

    // Act
    const listed = await store().list('jiangmen-2021');

    // Assess
    expect(listed.map((s) => s.name)).toEqual(specs.slice(1).map((s) => s.name));
  });

  it('reads at most five schedules at a time', async () => {
    // Prepare
    const Schedules = Array.from({ length: 12 }, (_, i) => ({ Name: `m.${i}-due` }));
    scheduler.on(ListSchedulesCommand).resolves({ Schedules });
    let inFlight = 0;
    let most = 0;
    scheduler.on(GetScheduleCommand).callsFake(async ({ Name }: { Name: string }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return stored(createScheduleInput(spec({ name: Name }), target));
    });

    // Act
    const listed = await store().list('jiangmen-2021');

    // Assess
    expect(most).toBe(5);
    expect(listed.map((s) => s.name)).toEqual(Schedules.map((s) => s.Name));
  });
});
