import { createHmac } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScheduleInput } from '../../shared/adapters/aws/scheduler/eventBridgeScheduleStore.js';
import { PLACEHOLDER_TARGETS } from '../../shared/adapters/aws/scheduler/placeholderArns.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { wantedSchedules } from '../../shared/domain/schedule/reconcile.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { emailsWithIds, endpoints, realAdapters } from '../support/stack.js';

const LINK_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('functions/dispatch.ts (the Lambda entry)', () => {
  const plan = seedPlan();
  let table: string;
  let ledger: Awaited<ReturnType<typeof realAdapters>>['ledger'];

  beforeAll(async () => {
    const a = await realAdapters();
    ({ table, ledger } = a);
    await importPlan(
      {
        calendar: a.calendar,
        schedules: new LocalScheduleStore(),
        clock: new VirtualClock(shanghai('2021-04-01T00:00:00')),
      },
      plan,
      'test',
    );
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  async function loadHandler() {
    vi.stubEnv('TABLE_NAME', table);
    vi.stubEnv('AWS_REGION', endpoints().region);
    vi.stubEnv('DYNAMODB_ENDPOINT', endpoints().dynamodbEndpoint);
    vi.stubEnv('SES_ENDPOINT', endpoints().sesEndpoint);
    vi.stubEnv('SENDER_EMAIL', 'duban@jiangmen.example');
    vi.stubEnv('MAX_SEND_RATE', '50');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('PORTAL_URL', 'https://duban.example.gov.cn');
    vi.stubEnv('LINK_KEY_ID', LINK_KEY_ARN);
    vi.resetModules();
    return (await import('../../functions/dispatch.js')).handler;
  }

  // KMS has no local stand-in: the HMAC key answers through the SDK's mock, as KMS would.
  const kms = mockClient(KMSClient);
  beforeEach(() => {
    kms.reset();
    kms.on(GenerateMacCommand).callsFake((input: { Message: Uint8Array }) => ({
      Mac: createHmac('sha256', 'test-key').update(input.Message).digest(),
    }));
  });
  afterAll(() => kms.restore());

  it('sends the notices of the payload EventBridge Scheduler delivers', async () => {
    // Prepare: the exact Target.Input the Scheduler adapter writes for this milestone's reminder.
    const spec = wantedSchedules({ ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) }).find(
      (s) => s.name === 'district-plans.1-reminder',
    );
    const { instant: _i, ...schedule } = spec ?? (undefined as never);
    const event = JSON.parse(
      createScheduleInput(schedule, { ...PLACEHOLDER_TARGETS, groupPrefix: 'duban-' }).Target?.Input ?? '{}',
    );
    const handler = await loadHandler();
    // The Lambda entry runs on the system clock: set it to the schedule's minute (the SDK keeps real timers).
    vi.useFakeTimers({ toFake: ['Date'], now: shanghai('2021-05-28T09:00:30') });

    // Act
    const outcome = await handler(event);

    // Assess: each unit's reminder carries its link, signed by the KMS key the environment names.
    expect(event).toEqual({ plan: 'jiangmen-2021', milestone: 'district-plans', stage: 'reminder', revision: 1 });
    expect(outcome).toMatchObject({ status: 'done', sent: 7, failed: 0, occurrence: '2021-05-28T09:00:00+08:00' });
    const notices = await ledger.listForMilestone(plan.id, 'district-plans');
    const emails = await emailsWithIds(notices.map((n) => n.messageId ?? ''));
    expect(emails).toHaveLength(7);
    for (const email of emails) expect(email.body.text).toMatch(/https:\/\/duban\.example\.gov\.cn\/u\/[\w-]+\.[\w-]+/);
    expect(kms).toHaveReceivedCommandTimes(GenerateMacCommand, 7);
    expect(kms).toHaveReceivedCommandWith(GenerateMacCommand, { KeyId: LINK_KEY_ARN, MacAlgorithm: 'HMAC_SHA_256' });
  });

  it('throws for a payload that is not a schedule of ours, so it lands in the dead-letter queue', async () => {
    // Prepare
    const handler = await loadHandler();

    // Act / Assess
    await expect(
      handler({ plan: 'jiangmen-2021', milestone: 'district-plans', stage: 'party', revision: 1 }),
    ).rejects.toThrow(/not a schedule payload: stage/);
  });

  it('fails at cold start, naming the variable, when its environment is incomplete', async () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', table);
    vi.stubEnv('SENDER_EMAIL', '');
    vi.resetModules();

    // Act / Assess
    await expect(import('../../functions/dispatch.js')).rejects.toThrow(/SENDER_EMAIL/);
  });
});
