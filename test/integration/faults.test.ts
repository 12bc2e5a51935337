import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultOptions } from '../../cli/commands/simulate.js';
import { UsageError } from '../../cli/io.js';
import { fetchMailbox, type StoredEmail, startEmbeddedStack } from '../../cli/local/embeddedStack.js';
import { runSimulation, type SimulationOptions, type SimulationRun } from '../../cli/simulate/engine.js';
import { makeSesClient } from '../../shared/adapters/aws/clients.js';
import { parseFaultSpec } from '../../shared/adapters/aws/faultSpec.js';
import { FaultInjector, InvocationCrashedError, scaleSdkRetryWaits } from '../../shared/adapters/aws/faults.js';
import { SesMailer } from '../../shared/adapters/ses/sesMailer.js';
import type { NoticeRecord } from '../../shared/ports.js';
import type { SimulatedNotice } from '../../shared/simulation/result.js';
import { demoScenario, seedPlan } from '../support/seed.js';
import { endpoints, realAdapters } from '../support/stack.js';

/** Real retry waits would only cost wall time: the clock is virtual (attempts and order are unchanged). */
const WAIT_SCALE = 0.01;
const SEED = 7;

interface Outcome {
  readonly run: SimulationRun;
  /** Everything the run's own SES stand-in received. */
  readonly mailbox: readonly StoredEmail[];
}

/** The seed year with the demo scenario on a stack of its own, its mailbox holding only its mail. */
async function simulate(spec?: string, options: Partial<SimulationOptions> = {}): Promise<Outcome> {
  const stack = await startEmbeddedStack();
  try {
    // aws-ses-v2-local keeps one store per process, whichever server received the mail.
    const cleared = await fetch(`${stack.sesEndpoint}/clear-store`, { method: 'POST' });
    if (!cleared.ok) throw new Error(`local SES clear-store answered ${cleared.status}`);
    const run = await runSimulation({
      plan: seedPlan(),
      scenario: demoScenario(),
      stack,
      retryWaitScale: WAIT_SCALE,
      ...(spec ? { faults: parseFaultSpec(spec), seed: SEED } : {}),
      ...options,
    });
    return { run, mailbox: await fetchMailbox(stack) };
  } finally {
    await stack.stop();
  }
}

/** A notice as the guarantee compares it: everything but SES's MessageId. */
const identity = (n: SimulatedNotice | NoticeRecord) =>
  JSON.stringify([n.milestone, n.stage, 'at' in n ? n.at : n.fireAt, n.units, n.to, n.cc, n.subject]);
/** What a recipient sees of an email: subject and addresses (several notices may share them). */
const letter = (subject: string, to: readonly string[], cc: readonly string[]) =>
  JSON.stringify([subject, addresses(to), addresses(cc)]);
/** The local SES keeps a header's addresses as one comma-separated string. */
const addresses = (list: readonly string[]) => list.flatMap((a) => a.split(',').map((x) => x.trim())).filter(Boolean);
const countBy = (keys: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
};
const multiset = (notices: readonly (SimulatedNotice | NoticeRecord)[]) => notices.map(identity).sort();

describe('dispatch under injected faults, over the seed year with the demo scenario', () => {
  let baseline: Outcome;
  beforeAll(async () => {
    baseline = await simulate();
  });

  it('has a fault-free yardstick: every notice sent once', () => {
    expect(baseline.run.result.notices).toHaveLength(78);
    expect(baseline.mailbox).toHaveLength(78);
    expect(baseline.run.deadLetters).toEqual([]);
  });

  it.each([
    'ses-throttle=0.3',
    'ses-error=0.2',
    'ddb-throttle=0.2',
    // Hard enough that some ledger writes outlast the SDK's own 8 attempts: the dispatcher's retry of
    // the write after SES must keep that from becoming a second email.
    'ddb-throttle=0.6',
    'duplicate-delivery=3',
    'crash-after=2',
    'ses-throttle=0.3,ses-error=0.1,ddb-throttle=0.2,duplicate-delivery=2,crash-after=3',
  ])('%s: sends the fault-free notices, duplicating only what a crash caught, leaving nothing unsent', async (text) => {
    // Prepare
    const spec = parseFaultSpec(text);

    // Act
    const { run, mailbox } = await simulate(text);

    // Assess: the faults really happened (a test of nothing would pass too).
    const counts = run.faults?.counts;
    if (!counts) throw new Error('a fault run reports its faults');
    if (spec.sesThrottle > 0) expect(counts.sesThrottle).toBeGreaterThan(0);
    if (spec.sesError > 0) expect(counts.sesError).toBeGreaterThan(0);
    if (spec.ddbThrottle > 0) expect(counts.ddbThrottle).toBeGreaterThan(0);
    if (spec.crashAfter !== undefined) expect(counts.crashes).toBeGreaterThan(0);
    // Light throttles and 5xx are absorbed inside the invocation (SDK and mailer retries): no firing fails
    // on them. Heavy ones may fail a firing, and then its retries must finish the job.
    const light = Math.max(spec.sesThrottle + spec.sesError, spec.ddbThrottle) <= 0.3;
    if (light && spec.crashAfter === undefined && spec.duplicateDelivery === 1)
      expect(run.firings.every((f) => f.ok)).toBe(true);
    // The same notices as without faults, and the same board; nothing dead-lettered or left owed.
    expect(multiset(run.result.notices)).toEqual(multiset(baseline.run.result.notices));
    expect(run.result.board).toEqual(baseline.run.result.board);
    expect(run.deadLetters).toEqual([]);
    expect(run.unsent).toEqual([]);
    expect(run.scenarioErrors).toEqual([]);
    // Every notice the ledger calls sent is an email SES has.
    const received = new Set(mailbox.map((e) => e.messageId));
    for (const n of run.result.notices) expect(received.has(n.messageId)).toBe(true);
    // Each email is an owed notice, and no notice went out more than twice.
    const owed = countBy(run.result.notices.map((n) => letter(n.subject, n.to, n.cc)));
    for (const [key, copies] of countBy(mailbox.map((e) => letter(e.subject, e.destination.to, e.destination.cc))))
      expect(copies, key).toBeLessThanOrEqual(2 * (owed.get(key) ?? 0));
    // Duplicates: every extra email is a message SES accepted while its sender died before the ledger
    // write (the crash window), each re-sent once the lease expired; one send in flight at a time, so at
    // most one per crash; no crash, no duplicate.
    const duplicates = mailbox.length - run.result.notices.length;
    expect(run.faults?.duplicates).toBe(duplicates);
    expect(duplicates).toBe(counts.unrecorded);
    expect(duplicates).toBeLessThanOrEqual(counts.crashes);
    if (spec.crashAfter === undefined) expect(duplicates).toBe(0);
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
    // The lease at work: the retry a minute after the crash finds the dead sender's claim still fresh
    // (in flight: it fails and waits); the one two minutes later re-takes it and finishes the stage.
    const crashed = run.firings.filter((f) => f.attempt === 1 && !f.ok);
    expect(crashed).toHaveLength(crashes);
    for (const first of crashed) {
      const attempts = run.firings.filter((f) => f.schedule === first.schedule);
      expect(attempts.map((f) => [f.attempt, (f.at - first.at) / 60_000, f.ok])).toEqual([
        [1, 0, false],
        [2, 1, false],
        [3, 3, true],
      ]);
    }
  });

  it('ses-error=1 outlasts every retry: each stage it defeats is kept in the dead-letter list and its notices failed in the ledger, none lost', async () => {
    // Prepare: as many attempts as Lambda's asynchronous invocation gives (the first and two retries).
    const lambdaRetries = { retryDelaysMs: [60_000, 120_000], maxSendRate: 10_000, retryWaitScale: 0.001 };

    // Act
    const { run, mailbox } = await simulate('ses-error=1', lambdaRetries);

    // Assess
    const owed = baseline.run.result.notices;
    const stages = new Set(owed.map((n) => `${n.milestone} ${n.stage} ${n.at}`));
    expect(run.result.notices).toEqual([]);
    expect(mailbox).toEqual([]);
    expect(run.deadLetters).toHaveLength(stages.size);
    for (const d of run.deadLetters) {
      expect(d.attempts).toBe(3);
      expect(d.error).toMatch(/^DispatchIncompleteError: stage .*: \d+ notices failed/);
    }
    expect(multiset(run.unsent)).toEqual(multiset(owed));
    expect(
      run.unsent.every((r) => r.state === 'failed' && /ServiceUnavailable|InternalFailure/.test(r.error ?? '')),
    ).toBe(true);
  });

  it('injects the same faults for the same spec and seed, other faults for another seed', async () => {
    // Prepare
    const spec = 'ses-throttle=0.3,ses-error=0.2,ddb-throttle=0.2';

    // Act
    const [first, again, other] = [await simulate(spec), await simulate(spec), await simulate(spec, { seed: 8 })];

    // Assess
    expect(again.run.faults?.counts).toEqual(first.run.faults?.counts);
    expect(other.run.faults?.counts).not.toEqual(first.run.faults?.counts);
  });
});

describe('the fault middleware under the real SDK clients', () => {
  it('has an injected DynamoDB throttle retried by the SDK up to the client maxAttempts, as the real one is', async () => {
    // Prepare
    const a = await realAdapters();
    const injector = new FaultInjector(parseFaultSpec('ddb-throttle=1'), SEED);
    scaleSdkRetryWaits(a.ddb, 0.001);
    injector.invocation('test#1.1', true).attach(a.ddb, 'dynamodb');

    // Act
    const error = await a.calendar.loadPlan('any').catch((e: unknown) => e);

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

const email = (subject: string) => ({ to: ['unit@x.example'], cc: [], subject, text: 'text', html: '<p>html</p>' });

describe('the CLI under faults', () => {
  it('prints the dead letters and exits non-zero when faults outlast every retry', async () => {
    // Prepare: the seed plan cut to its first milestone, to keep the run short.
    const plan = seedPlan();
    const dir = mkdtempSync(join(tmpdir(), 'duban-faults-'));
    const file = join(dir, 'one-milestone.json');
    writeFileSync(file, JSON.stringify({ ...plan, milestones: plan.milestones.slice(0, 1) }));

    // Act
    const { code, stderr } = await cli(['simulate', file, '--json', '--faults', 'ses-error=1', '--seed', '3']);

    // Assess
    expect(code).toBe(3);
    expect(stderr).toContain('faults ses-error=1 (seed 3)');
    expect(stderr).toMatch(/dead letters: [1-9]/);
    expect(stderr).toMatch(/^dead letter: city-plan\.\S+ after 3 attempts: DispatchIncompleteError/m);
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

/** Runs the CLI as a user would (tsx, the project's entry point). */
function cli(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node_modules/.bin/tsx', ['cli/main.ts', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
