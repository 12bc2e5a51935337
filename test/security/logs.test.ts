import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { powertoolsLog } from '../../shared/adapters/powertoolsLog.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import type { Log } from '../../shared/domain/log.js';
import { occurrencesOf } from '../../shared/domain/plan/ladder.js';
import type { StageKind } from '../../shared/domain/plan/schema.js';
import type { Mailer, NoticeLedger, NoticeRecord } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { testPortal } from '../support/fakes.js';
import { dispatchAndSend, type FanOutOutcome } from '../support/fanOut.js';
import { realAdapters } from '../support/stack.js';
import { EMAIL_PATTERN, PLAN_ID, seedPlan } from './hostile.js';

const MILESTONE = 'district-plans';
const plan = seedPlan();
const milestone = plan.milestones.find((m) => m.id === MILESTONE) as (typeof plan.milestones)[number];

/** What the SES API says about an unverified identity: the address is in the message. */
const unverified = (address: string) =>
  Object.assign(
    new Error(
      `Email address is not verified. The following identities failed the check in region US-EAST-1: ${address}`,
    ),
    { name: 'MessageRejected' },
  );

/** A mailer that SES refuses for every email to or copied to pengjiang. */
const rejectingPengjiang = (mailer: Mailer): Mailer => ({
  async send(email) {
    const address = [...email.to, ...email.cc].find((a) => a.includes('pengjiang'));
    if (address) throw unverified(address);
    return mailer.send(email);
  },
});

/** A ledger that cannot claim taishan's notices and cannot record kaiping's as sent, naming addresses. */
const failingLedger = (ledger: NoticeLedger): NoticeLedger => ({
  claim: async (key, details, now, leaseMs, intent) => {
    if (key.unit === 'taishan') throw new Error(`claim refused for ${details.to.join(', ')}`);
    return ledger.claim(key, details, now, leaseMs, intent);
  },
  lastDocNumber: (series) => ledger.lastDocNumber(series),
  takeDocNumber: (series, seq, owner) => ledger.takeDocNumber(series, seq, owner),
  renumber: (key, claimedAt, intent) => ledger.renumber(key, claimedAt, intent),
  listDocNumbers: (series) => ledger.listDocNumbers(series),
  markSent: async (key, messageId, now) => {
    if (key.unit === 'kaiping') throw new Error(`cannot record the notice to office@kaiping.jiangmen.example`);
    return ledger.markSent(key, messageId, now);
  },
  markFailed: (key, error, now, claimedAt) => ledger.markFailed(key, error, now, claimedAt),
  listForMilestone: (planId, milestoneId) => ledger.listForMilestone(planId, milestoneId),
  recordDelivery: (key, report) => ledger.recordDelivery(key, report),
  markSuppressed: (key, report, claimedAt) => ledger.markSuppressed(key, report, claimedAt),
  markOfficeTold: (key, recipients) => ledger.markOfficeTold(key, recipients),
});

/**
 * The seed's district plans with two districts delivered in time, then its overdue, circular and
 * summons stages dispatched: five districts missing, one refused by SES, two failing in the ledger.
 */
async function dispatchWithFailures(log: Log) {
  const { calendar, submissions, ledger, mailer } = await realAdapters();
  const clock = new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00'));
  await importPlan({ calendar, schedules: new LocalScheduleStore(), clock }, plan, 'admin');
  for (const unit of ['jianghai', 'xinhui']) {
    await submissions.record({
      plan: PLAN_ID,
      milestone: MILESTONE,
      unit,
      at: Date.parse('2021-05-20T10:00:00+08:00'),
      by: `link:${unit}:v1`,
    });
  }
  const deps = {
    calendar,
    submissions,
    ledger: failingLedger(ledger),
    mailer: rejectingPengjiang(mailer),
    clock,
    log,
    // The dispatcher's own retries of the failing ledger write, without their real waits.
    sleep: async () => undefined,
    portal: testPortal(),
  };
  const outcomes: Partial<Record<StageKind, FanOutOutcome>> = {};
  for (const stage of ['overdue', 'circular', 'summons'] as const) {
    const occurrence = occurrencesOf(plan, milestone).find((o) => o.stage === stage);
    clock.advanceTo(occurrence?.instant ?? Number.NaN);
    outcomes[stage] = await dispatchAndSend(deps, { plan: PLAN_ID, milestone: MILESTONE, stage, revision: 1 });
  }
  return { outcomes, notices: await ledger.listForMilestone(PLAN_ID, MILESTONE) };
}

/** Texts only a notice carries: its opening, its deliverable, its subject's brackets, a unit's name. */
const BODY_FRAGMENTS = [
  '根据《',
  milestone.deliverable,
  milestone.basis.slice(0, 20),
  '【',
  '逾期未报送',
  '蓬江区人民政府',
];

function expectNoAddressOrBody(logs: string) {
  expect(logs).not.toMatch(EMAIL_PATTERN);
  for (const fragment of BODY_FRAGMENTS) expect(logs).not.toContain(fragment);
}

describe('dispatch logs with failures that name addresses', () => {
  it('logs every failure path with ids and counts, never an address or a notice body', async () => {
    // Prepare
    const lines: string[] = [];
    const capture =
      (level: string) =>
      (message: string, attributes?: Record<string, unknown>): void => {
        lines.push(JSON.stringify({ level, message, attributes }));
      };
    const log: Log = { info: capture('info'), warn: capture('warn'), error: capture('error') };

    // Act
    const { outcomes } = await dispatchWithFailures(log);

    // Assess
    expect(outcomes.overdue).toMatchObject({ status: 'done', sent: 4, failed: 6 });
    expect(outcomes.circular).toMatchObject({ status: 'done', sent: 0, failed: 1 });
    expect(outcomes.summons).toMatchObject({ status: 'done', sent: 2, failed: 3 });
    const logs = lines.join('\n');
    expect(logs).toContain('"notice send failed"');
    expect(logs).toContain('"notice claim failed"');
    expect(logs).toContain('"notice sent but not recorded"');
    expect(logs).toContain('MessageRejected: Email address is not verified.');
    expectNoAddressOrBody(logs);
  });

  it('keeps the ledger’s failure reason without the address SES named', async () => {
    // Prepare / Act
    const { notices } = await dispatchWithFailures({ info() {}, warn() {}, error() {} });

    // Assess
    const failed = notices.filter((n: NoticeRecord) => n.state === 'failed' && n.unit === 'pengjiang');
    expect(failed.length).toBeGreaterThan(0);
    for (const record of failed) {
      expect(record.error).toMatch(/^MessageRejected: .*region US-EAST-1: <address>$/);
      expect(record.error).not.toMatch(EMAIL_PATTERN);
    }
  });
});

describe('Powertools Logger output of the same run', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes structured JSON lines without an address or a notice body', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const written: string[] = [];
    const keep = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(keep as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(keep as typeof process.stderr.write);
    const log = powertoolsLog(new Logger({ serviceName: 'duban' }));

    // Act
    await dispatchWithFailures(log);
    vi.restoreAllMocks();

    // Assess
    const output = written.join('');
    const records = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string; service: string });
    expect(records.filter((r) => r.service === 'duban').map((r) => r.message)).toEqual(
      expect.arrayContaining([
        'notice send failed',
        'notice claim failed',
        'notice sent but not recorded',
        'stage dispatched',
      ]),
    );
    expect(records.find((r) => r.message === 'notice send failed')?.level).toBe('ERROR');
    expectNoAddressOrBody(output);
  });
});
