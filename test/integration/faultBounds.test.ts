import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultOptions } from '../../cli/commands/simulate.js';
import { UsageError } from '../../cli/errors.js';
import { makeSesClient } from '../../shared/adapters/aws/clients.js';
import { SesMailer } from '../../shared/adapters/aws/ses/sesMailer.js';
import { fetchMailbox } from '../../shared/adapters/local/embeddedStack.js';
import { noticeTags } from '../../shared/domain/delivery/noticeTags.js';
import { QUEUE_MAX_RECEIVES, QUEUE_VISIBILITY_S } from '../../shared/domain/dispatch/noticeWork.js';
import { parseFaultSpec } from '../../sim/faults/faultSpec.js';
import { FaultInjector, InvocationCrashedError, scaleSdkRetryWaits } from '../../sim/faults/faults.js';
import { runCli } from '../support/cli.js';
import { ladderNotices, multiset, type Outcome, SEED, simulate } from '../support/faultRuns.js';
import { seedPlan } from '../support/seed.js';
import { endpoints, realAdapters } from '../support/stack.js';

describe('crashes, exhausted retries and seeds, over the seed year with the demo scenario', () => {
  let baseline: Outcome;
  beforeAll(async () => {
    baseline = await simulate();
  });

  it('duplicates up to the sends in flight per crash when an invocation sends several at once', async () => {
    // Act
    const { run, mailbox } = await simulate('crash-after=2', { concurrency: 8 });

    // Assess: the trade-off that makes one send at a time the default.
    const crashes = run.faults?.counts.crashes ?? 0;
    const duplicates = mailbox.length - run.result.notices.length;
    expect(multiset(run.result.notices)).toEqual(multiset(baseline.run.result.notices));
    expect(duplicates).toBeGreaterThan(crashes);
    expect(duplicates).toBeLessThanOrEqual(crashes * 8);
  });

  it('duplicates at most one notice per crash when an invocation sends one at a time', async () => {
    // Act
    const { run, mailbox } = await simulate('crash-after=2', { concurrency: 1 });

    // Assess
    const crashes = run.faults?.counts.crashes ?? 0;
    expect(crashes).toBeGreaterThan(0);
    expect(multiset(run.result.notices)).toEqual(multiset(baseline.run.result.notices));
    expect(run.deadLetters).toEqual([]);
    const duplicates = mailbox.length - run.result.notices.length;
    expect(duplicates).toBeLessThanOrEqual(crashes);
    // The lease at work: a crash fails the worker invocation, so its whole batch comes back after the
    // queue's visibility timeout (well past the dead worker's 2-minute claim), and that delivery finishes it.
    const crashed = run.workerInvocations.filter((w) => w.error?.startsWith('InvocationCrashedError'));
    expect(crashed).toHaveLength(crashes);
    expect(run.firings.every((f) => f.ok)).toBe(true);
    for (const first of crashed) {
      const messages = first.label.slice('worker:'.length).split(',');
      expect(messages.every((m) => m.endsWith('.1'))).toBe(true);
      const again = run.workerInvocations.filter((w) =>
        messages.some((m) => w.label.includes(m.replace(/\.1$/, '.2'))),
      );
      expect(again.length).toBeGreaterThan(0);
      for (const w of again) {
        expect(w.at - first.at).toBe(QUEUE_VISIBILITY_S * 1000);
        expect(w.error).toBeUndefined();
      }
    }
  });

  it("ses-error=1 outlasts every redelivery: each notice is kept in the queue's dead-letter list and failed in the ledger, none lost", async () => {
    // Prepare: as many attempts as Lambda's asynchronous invocation gives dispatch (the first and two retries).
    const lambdaRetries = { retryDelaysMs: [60_000, 120_000], maxSendRate: 10_000, retryWaitScale: 0.001 };

    // Act
    const { run, mailbox } = await simulate('ses-error=1', lambdaRetries);

    // Assess: the ladder's notices (the replies to reviews and extensions go out from the operator's side,
    // which no fault reaches, as in every fault run).
    const owed = ladderNotices(baseline.run.result.notices);
    const replies = baseline.run.result.notices.length - owed.length;
    const stages = new Set(owed.map((n) => `${n.milestone} ${n.stage} ${n.at}`));
    expect(ladderNotices(run.result.notices)).toEqual([]);
    expect(mailbox).toHaveLength(replies);
    // Dispatch itself succeeded (it only enqueues); every owed notice was delivered to a worker as often as
    // the queue allows, then set aside as a dead letter (the alarm's business on AWS).
    expect(run.deadLetters).toEqual([]);
    expect(run.deadNotices).toHaveLength(owed.length);
    expect(new Set(run.deadNotices.map((d) => `${d.milestone} ${d.stage}`)).size).toBe(
      new Set([...stages].map((s) => s.split(' ').slice(0, 2).join(' '))).size,
    );
    expect(run.deadNotices.every((d) => d.receives === QUEUE_MAX_RECEIVES)).toBe(true);
    expect(multiset(ladderNotices(run.unsent))).toEqual(multiset(owed));
    expect(
      run.unsent.every((r) => r.state === 'failed' && /ServiceUnavailable|InternalFailure/.test(r.error ?? '')),
    ).toBe(true);
    // Every owed notice of the year (the exit ledger's too) through every redelivery: longer than 30 s when the
    // 2 cores are shared.
  }, 90_000);

  it('injects the same faults for the same spec and seed, other faults for another seed', async () => {
    // Prepare: one milestone of the seed (all six stages) is enough to tell seeds apart.
    const spec = 'ses-throttle=0.3,ses-error=0.2,ddb-throttle=0.2';
    const plan = seedPlan();
    const oneMilestone = { plan: { ...plan, milestones: plan.milestones.slice(1, 2) }, scenario: { events: [] } };

    // Act
    const first = await simulate(spec, oneMilestone);
    const again = await simulate(spec, oneMilestone);
    const other = await simulate(spec, { ...oneMilestone, seed: 8 });

    // Assess: SES faults are drawn per notice (its key, in the message tags), so they replay exactly. The
    // 文号 register is contended by the concurrent workers: a lost race costs a Query and a put more, and
    // which worker loses depends on timing, so DynamoDB's requests (and the throttles drawn on them) may
    // differ by those few.
    const ses = (o: Outcome) => {
      const counts = o.run.faults?.counts;
      if (!counts) throw new Error('a fault run reports its faults');
      const { requests: _r, ddbThrottle: _d, ...rest } = counts;
      return rest;
    };
    const ddb = (o: Outcome) => o.run.faults?.counts.ddbThrottle ?? 0;
    expect(ses(again)).toEqual(ses(first));
    expect(ses(first).sesError).toBeGreaterThan(0);
    expect(Math.abs(ddb(again) - ddb(first))).toBeLessThanOrEqual(Math.ceil(ddb(first) * 0.1));
    expect(ses(other)).not.toEqual(ses(first));
  });
});

describe('the fault middleware under the real SDK clients', () => {
  it('has an injected DynamoDB throttle retried by the SDK up to the client maxAttempts, as the real one is', async () => {
    // Prepare
    const a = await realAdapters();
    const injector = new FaultInjector(parseFaultSpec('ddb-throttle=1'), SEED);
    scaleSdkRetryWaits(a.ddb, 0.001);
    injector.invocation('test#1.1', true).attach(a.ddb, 'dynamodb');

    // Act: one query (a plan's load also reads the 放假安排 beside it)
    const error = await a.calendar.listPlans().catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      name: expect.stringMatching(/^(ProvisionedThroughputExceeded|Throttling)Exception$/),
    });
    expect((error as { $metadata: { attempts: number } }).$metadata.attempts).toBe(8);
    expect(injector.counts.ddbThrottle).toBe(8);
    a.ddb.destroy();
    a.ses.destroy();
  });

  it('has an injected SES Throttling retried by our mailer, one SDK attempt at a time', async () => {
    // Prepare
    const ses = makeSesClient(endpoints());
    const mailer = new SesMailer({
      client: ses,
      sender: 'a@b.example',
      maxSendRate: 1000,
      retry: { sleep: async () => {} },
    });
    const injector = new FaultInjector(parseFaultSpec('ses-throttle=1'), SEED);
    injector.invocation('test#1.1', true).attach(ses, 'ses');

    // Act
    const error = await mailer.send(email('throttled')).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'Throttling', message: 'Maximum sending rate exceeded.' });
    expect(injector.counts.sesThrottle).toBe(8);
    ses.destroy();
  });

  it('kills an invocation as SES accepts its N-th message: SES has it, and nothing after reaches AWS', async () => {
    // Prepare
    const a = await realAdapters();
    const injector = new FaultInjector(parseFaultSpec('crash-after=1'), SEED);
    const faults = injector.invocation('test#1.1', true);
    faults.attach(a.ddb, 'dynamodb');
    faults.attach(a.ses, 'ses');
    const subject = `crash ${randomUUID()}`;

    // Act
    const sent = await a.mailer.send(email(subject)).catch((e: unknown) => e);
    const write = await a.calendar.listPlans().catch((e: unknown) => e);
    faults.end();

    // Assess
    expect(sent).toBeInstanceOf(InvocationCrashedError);
    expect(write).toBeInstanceOf(InvocationCrashedError);
    expect(faults.crashed).toBe(true);
    expect((await fetchMailbox(endpoints())).filter((e) => e.subject === subject)).toHaveLength(1);
    expect(injector.counts).toMatchObject({ crashes: 1, sesAccepted: 1, unrecorded: 1 });
    a.ddb.destroy();
    a.ses.destroy();
  });
});

/** A notice's email: it carries its key as SES tags, which is how the fault counters tell notices from other mail. */
const email = (subject: string) => ({
  to: ['unit@x.example'],
  cc: [],
  subject,
  text: 'text',
  html: '<p>html</p>',
  tags: noticeTags({
    plan: 'p',
    milestone: 'm',
    stage: 'reminder',
    occurrence: '2021-05-24T09:00:00',
    unit: 'u',
    role: 'unit',
  }),
});

describe('the CLI under faults', () => {
  it('prints the dead-lettered notices and exits non-zero when faults outlast every redelivery', async () => {
    // Prepare: the seed plan cut to its first milestone, without its partners' 函 and repeated 催办, to keep
    // the run short (every notice fails 5 deliveries of 8 SES attempts each).
    const plan = seedPlan();
    const dir = mkdtempSync(join(tmpdir(), 'duban-faults-'));
    const file = join(dir, 'one-milestone.json');
    const { partners: _partners, ...first } = plan.milestones[0] as (typeof plan.milestones)[number];
    const stages = plan.ladder.stages.map((s) =>
      s.stage === 'overdue' ? { ...s, repeat: { everyWorkdays: 3, times: 0 } } : s,
    );
    writeFileSync(file, JSON.stringify({ ...plan, milestones: [first], ladder: { ...plan.ladder, stages } }));

    // Act
    const { code, stderr } = await runCli(['simulate', file, '--json', '--faults', 'ses-error=1', '--seed', '3']);

    // Assess
    expect(code).toBe(3);
    expect(stderr).toContain('faults ses-error=1 (seed 3)');
    expect(stderr).toMatch(/dead letters: 0 firings, [1-9]\d* notices/);
    expect(stderr).toMatch(/^dead notice: city-plan reminder at 2021-04-25 09:00 to gxj \(unit\) after 5 deliveries$/m);
  });

  it('refuses a wrong spec before anything runs', () => {
    expect(() => faultOptions({ faults: 'ses-throttle=2' })).toThrow(UsageError);
    expect(() => faultOptions({ faults: 'ses-throttle=2' })).toThrow(
      'ses-throttle: must be a probability between 0 and 1',
    );
    expect(() => faultOptions({ seed: '7' })).toThrow('--seed: only means something with --faults');
    expect(faultOptions({ faults: 'crash-after=3' })).toEqual({
      faults: parseFaultSpec('crash-after=3'),
      seed: 1,
    });
  });
});
