import { readFileSync } from 'node:fs';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import type { Log } from '../../shared/domain/log.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { parsePlan } from '../../shared/domain/plan/validate.js';
import type { ScheduleStore } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import {
  InvalidReconcileEventError,
  makeReconcileHandler,
  ReconcileFailedError,
} from '../../shared/handlers/reconcileHandler.js';
import { endpoints, realAdapters } from '../support/stack.js';

const scheduler = mockClient(SchedulerClient);

const seed = parsePlan(JSON.parse(readFileSync(new URL('../../plans/jiangmen-2021.json', import.meta.url), 'utf8')));

/** One district, one milestone, two stages, in a year the plan declares itself (always in the future). */
const tiny: Plan = parsePlan({
  id: 'tiny-2099',
  title: '示例工作计划',
  timezone: 'Asia/Shanghai',
  units: [
    {
      id: 'pengjiang',
      name: '蓬江区人民政府',
      kind: 'district',
      email: 'office@pengjiang.example',
      head: { name: '蓬江区主要负责人', email: 'head@pengjiang.example' },
      supervisor: { name: '蓬江区分管领导', email: 'supervisor@pengjiang.example' },
    },
    {
      id: 'gxj',
      name: '区工业和信息化局',
      kind: 'department',
      email: 'office@gxj.example',
      head: { email: 'head@gxj.example' },
      supervisor: { email: 'supervisor@gxj.example' },
    },
  ],
  milestones: [
    {
      id: 'district-plans',
      title: '制定本区工作计划并报送备案',
      phase: '全面部署',
      deadline: '2099-06-30',
      responsible: ['pengjiang'],
      recipient: 'gxj',
      deliverable: '本区工作计划',
      basis: '6月底前，各区制定本区工作计划并报送备案。',
    },
  ],
  ladder: {
    coordinator: { name: '协调小组', email: 'xietiao@example.gov.cn' },
    stages: [
      { stage: 'reminder', offset: -1, hour: 9, appliesTo: ['district'] },
      { stage: 'due', offset: 0, hour: 9, appliesTo: ['district'] },
    ],
  },
  holidays: { years: [2099], off: ['2099-01-01'] },
});

function recordingLog() {
  const entries: { level: string; message: string; attributes?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, attributes?: Record<string, unknown>) => {
    entries.push({ level, message, ...(attributes ? { attributes } : {}) });
  };
  const log: Log = { info: at('info'), warn: at('warn'), error: at('error') };
  return { log, entries };
}

/** Two plans in a fresh table, imported with a schedule store the handler does not see (schedules "lost"). */
async function prepare() {
  const adapters = await realAdapters();
  const clock = new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00'));
  const original = new LocalScheduleStore();
  for (const plan of [seed, tiny]) await importPlan({ ...adapters, schedules: original, clock }, plan, 'test');
  const schedules = new LocalScheduleStore();
  const { log, entries } = recordingLog();
  const handler = makeReconcileHandler({ calendar: adapters.calendar, schedules, clock, log });
  return { adapters, clock, original, schedules, handler, entries };
}

afterEach(() => {
  vi.unstubAllEnvs();
  scheduler.reset();
});
afterAll(() => {
  scheduler.restore();
});

describe('reconcile handler', () => {
  it('rebuilds the schedules of every plan in the calendar on the daily {} event', async () => {
    // Prepare
    const { original, schedules, handler } = await prepare();

    // Act
    const summary = await handler({});

    // Assess
    expect(await schedules.list(seed.id)).toEqual(await original.list(seed.id));
    expect(await schedules.list(tiny.id)).toEqual(await original.list(tiny.id));
    const created = (await original.list(seed.id)).length;
    expect(summary.plans).toEqual(
      expect.arrayContaining([
        { plan: seed.id, created, updated: 0, deleted: 0, unchanged: 0, skippedPast: 0, writes: created },
        { plan: tiny.id, created: 2, updated: 0, deleted: 0, unchanged: 0, skippedPast: 0, writes: 2 },
      ]),
    );
    expect(summary.writes).toBe(created + 2);
  });

  it('reconciles only the plan an operator names', async () => {
    // Prepare
    const { schedules, handler } = await prepare();

    // Act
    const summary = await handler({ plan: tiny.id });

    // Assess
    expect(summary.plans.map((p) => p.plan)).toEqual([tiny.id]);
    expect(await schedules.list(tiny.id)).toHaveLength(2);
    expect(await schedules.list(seed.id)).toEqual([]);
  });

  it('writes nothing when it runs again', async () => {
    // Prepare
    const { schedules, handler } = await prepare();
    await handler({});
    const writesBefore = schedules.writes;

    // Act
    const again = await handler({});

    // Assess
    expect(again.writes).toBe(0);
    expect(schedules.writes).toBe(writesBefore);
    expect(again.plans.every((p) => p.unchanged > 0)).toBe(true);
  });

  it('logs counts per plan and never an address', async () => {
    // Prepare
    const { handler, entries } = await prepare();

    // Act
    await handler({});

    // Assess
    expect(entries).toContainEqual({
      level: 'info',
      message: 'reconciled plan',
      attributes: { plan: tiny.id, created: 2, updated: 0, deleted: 0, unchanged: 0, skippedPast: 0, writes: 2 },
    });
    expect(entries.at(-1)).toMatchObject({ message: 'reconcile finished', attributes: { plans: 2, failed: 0 } });
    expect(JSON.stringify(entries)).not.toContain('@');
  });

  it.each([
    ['a mistyped key', { plans: 'tiny-2099' }],
    ['a plan id that is not a slug', { plan: 'Tiny 2099' }],
    ['not an object', 'tiny-2099'],
  ])('refuses %s so that the event goes to the DLQ, writing nothing', async (_, event) => {
    // Prepare
    const { schedules, handler } = await prepare();

    // Act
    const run = handler(event);

    // Assess
    await expect(run).rejects.toBeInstanceOf(InvalidReconcileEventError);
    expect(schedules.writes).toBe(0);
  });

  it('reconciles the other plans, then throws so that the invocation is retried, when one plan fails', async () => {
    // Prepare
    const { adapters, clock, schedules } = await prepare();
    const failing: ScheduleStore = {
      list: (plan) => schedules.list(plan),
      create: async (spec) => {
        if (spec.plan === seed.id) throw new Error('Scheduler is throttling');
        await schedules.create(spec);
      },
      update: (spec) => schedules.update(spec),
      delete: (plan, name) => schedules.delete(plan, name),
    };
    const { log, entries } = recordingLog();
    const handler = makeReconcileHandler({ calendar: adapters.calendar, schedules: failing, clock, log });

    // Act
    const run = handler({});

    // Assess
    await expect(run).rejects.toSatisfy((e) => e instanceof ReconcileFailedError && e.failedPlans.includes(seed.id));
    expect(await schedules.list(tiny.id)).toHaveLength(2);
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ plan: seed.id }) }),
    );
  });
});

describe('functions/reconcile.ts (the Lambda entry)', () => {
  const arns = {
    DISPATCH_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:duban-dispatch',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/duban-scheduler',
    SCHEDULE_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:duban-schedules-dlq',
  };

  beforeEach(() => {
    vi.resetModules();
  });

  it('sends one CreateSchedule per stage of a newly imported plan, in its group, targeting dispatch', async () => {
    // Prepare
    const adapters = await realAdapters();
    const clock = new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00'));
    await importPlan({ ...adapters, schedules: new LocalScheduleStore(), clock }, tiny, 'test');
    const env = {
      TABLE_NAME: adapters.table,
      AWS_REGION: endpoints().region,
      DYNAMODB_ENDPOINT: endpoints().dynamodbEndpoint,
      SCHEDULE_GROUP_PREFIX: 'duban-',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...arns,
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    scheduler.on(ListSchedulesCommand).resolves({ Schedules: [] });
    scheduler
      .on(CreateScheduleCommand)
      .resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/x' });
    const { handler } = await import('../../functions/reconcile.js');

    // Act
    const summary = await handler({});

    // Assess
    const request = (step: number, stage: string, at: string) => ({
      Name: `district-plans.${step}-${stage}`,
      GroupName: 'duban-tiny-2099',
      ScheduleExpression: `at(${at})`,
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Description: `duban tiny-2099 district-plans ${stage} rev 1`,
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: arns.DISPATCH_FUNCTION_ARN,
        RoleArn: arns.SCHEDULER_ROLE_ARN,
        Input: `{"plan":"tiny-2099","milestone":"district-plans","stage":"${stage}","revision":1}`,
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 20 },
        DeadLetterConfig: { Arn: arns.SCHEDULE_DLQ_ARN },
      },
      ActionAfterCompletion: 'DELETE',
    });
    expect(scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      // 2099-06-30 is a Tuesday: the reminder goes out the workday before, Monday 29 June.
      request(0, 'reminder', '2099-06-29T09:00:00'),
      request(1, 'due', '2099-06-30T09:00:00'),
    ]);
    expect(scheduler).toHaveReceivedCommandWith(ListSchedulesCommand, { GroupName: 'duban-tiny-2099' });
    expect(scheduler).not.toHaveReceivedCommand(UpdateScheduleCommand);
    expect(scheduler).not.toHaveReceivedCommand(DeleteScheduleCommand);
    expect(summary).toEqual({
      plans: [{ plan: tiny.id, created: 2, updated: 0, deleted: 0, unchanged: 0, skippedPast: 0, writes: 2 }],
      writes: 2,
    });
  });
});
