import { createHmac } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { startFauxqs } from 'fauxqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeSqsClient } from '../../shared/adapters/aws/clients.js';
import { createScheduleInput } from '../../shared/adapters/aws/scheduler/eventBridgeScheduleStore.js';
import { PLACEHOLDER_TARGETS } from '../../shared/adapters/aws/scheduler/placeholderArns.js';
import { SqsWorkQueue } from '../../shared/adapters/aws/sqs/sqsWorkQueue.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { wantedSchedules } from '../../shared/domain/schedule/reconcile.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan, shanghai } from '../support/seed.js';
import { emailsWithIds, endpoints, realAdapters } from '../support/stack.js';

const LINK_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('functions/dispatch.ts and functions/dispatch-worker.ts (the Lambda entries), through SQS', () => {
  const plan = seedPlan();
  let table: string;
  let ledger: Awaited<ReturnType<typeof realAdapters>>['ledger'];
  let server: Awaited<ReturnType<typeof startFauxqs>>;
  let sqs: SQSClient;
  let queueUrl: string;

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
    server = await startFauxqs({ port: 0, logger: false });
    sqs = makeSqsClient({ region: endpoints().region, sqsEndpoint: server.address });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'notices' }))).QueueUrl ?? '';
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });
  afterAll(async () => {
    kms.restore();
    sqs?.destroy();
    await server?.stop();
  });

  // KMS has no local stand-in: the HMAC key answers through the SDK's mock, as KMS would.
  const kms = mockClient(KMSClient);
  beforeEach(() => {
    kms.reset();
    kms.on(GenerateMacCommand).callsFake((input: { Message: Uint8Array }) => ({
      Mac: createHmac('sha256', 'test-key').update(input.Message).digest(),
    }));
  });

  /** The environment the CDK gives both functions, pointed at the stand-ins. */
  function stubEnvironment() {
    vi.stubEnv('TABLE_NAME', table);
    vi.stubEnv('AWS_REGION', endpoints().region);
    vi.stubEnv('DYNAMODB_ENDPOINT', endpoints().dynamodbEndpoint);
    vi.stubEnv('SES_ENDPOINT', endpoints().sesEndpoint);
    vi.stubEnv('SQS_ENDPOINT', server.address);
    vi.stubEnv('WORK_QUEUE_URL', queueUrl);
    vi.stubEnv('SENDER_EMAIL', 'duban@jiangmen.example');
    vi.stubEnv('MAX_SEND_RATE', '50');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('PORTAL_URL', 'https://duban.example.gov.cn');
    vi.stubEnv('LINK_KEY_ID', LINK_KEY_ARN);
    vi.resetModules();
  }

  it('enqueues the notices of the payload EventBridge Scheduler delivers, and the worker sends them once each', async () => {
    // Prepare: the exact Target.Input the Scheduler adapter writes for this milestone's reminder.
    const spec = wantedSchedules({ ...plan, milestones: plan.milestones.map((m) => ({ ...m, revision: 1 })) }).find(
      (s) => s.name === 'district-plans.1-reminder',
    );
    const { instant: _i, ...schedule } = spec ?? (undefined as never);
    const event = JSON.parse(
      createScheduleInput(schedule, { ...PLACEHOLDER_TARGETS, groupPrefix: 'duban-' }).Target?.Input ?? '{}',
    );
    stubEnvironment();
    const dispatch = (await import('../../functions/dispatch.js')).handler;
    const worker = (await import('../../functions/dispatch-worker.js')).handler;
    // The Lambda entries run on the system clock: set it to the schedule's minute (the SDK keeps real timers).
    vi.useFakeTimers({ toFake: ['Date'], now: shanghai('2021-05-28T09:00:30') });
    const queue = new SqsWorkQueue({ client: sqs, queueUrl });

    // Act: dispatch; then what Lambda's event source does, a batch of received messages to the worker.
    const outcome = await dispatch(event);
    const messages = [...(await queue.receive(10)), ...(await queue.receive(10))];
    const records = messages.map((m) => ({ messageId: m.messageId, body: m.body }));
    const first = await worker({ Records: records }, { getRemainingTimeInMillis: () => 180_000 });
    const again = await worker({ Records: records }, { getRemainingTimeInMillis: () => 180_000 });

    // Assess
    expect(event).toEqual({ plan: 'jiangmen-2021', milestone: 'district-plans', stage: 'reminder', revision: 1 });
    expect(outcome).toMatchObject({ status: 'done', queued: 7, occurrence: '2021-05-28T09:00:00+08:00' });
    expect(messages).toHaveLength(7);
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    const notices = await ledger.listForMilestone(plan.id, 'district-plans');
    const emails = await emailsWithIds(notices.map((n) => n.messageId ?? ''));
    expect(emails).toHaveLength(7);
    expect(emails.every((e) => e.attachments?.some((a) => a.filename === 'deadline.ics'))).toBe(true);
    // Each unit's reminder carries its link, signed by the KMS key the environment names.
    for (const email of emails) expect(email.body.text).toMatch(/https:\/\/duban\.example\.gov\.cn\/u\/[\w-]+\.[\w-]+/);
    expect(kms).toHaveReceivedCommandTimes(GenerateMacCommand, 7);
    expect(kms).toHaveReceivedCommandWith(GenerateMacCommand, { KeyId: LINK_KEY_ARN, MacAlgorithm: 'HMAC_SHA_256' });
  });

  it('throws for a payload that is not a schedule of ours, so it lands in the dead-letter queue', async () => {
    // Prepare
    stubEnvironment();
    const handler = (await import('../../functions/dispatch.js')).handler;

    // Act / Assess
    await expect(
      handler({ plan: 'jiangmen-2021', milestone: 'district-plans', stage: 'party', revision: 1 }),
    ).rejects.toThrow(/not a schedule payload: stage/);
  });

  it('fails at cold start, naming the variable, when an environment is incomplete', async () => {
    // Prepare
    stubEnvironment();
    vi.stubEnv('SENDER_EMAIL', '');
    vi.stubEnv('WORK_QUEUE_URL', '');

    // Act / Assess
    await expect(import('../../functions/dispatch-worker.js')).rejects.toThrow(/SENDER_EMAIL/);
    await expect(import('../../functions/dispatch.js')).rejects.toThrow(/WORK_QUEUE_URL/);
  });
});
