import { beforeAll, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../sim/faults/faultSpec.js';
import {
  contiguous,
  countBy,
  docNumbersOf,
  ladderNotices,
  letter,
  multiset,
  type Outcome,
  simulate,
} from '../support/faultRuns.js';

describe('dispatch under injected faults, over the seed year with the demo scenario', () => {
  let baseline: Outcome;
  beforeAll(async () => {
    baseline = await simulate();
  });

  it('has a fault-free yardstick: every notice sent once', () => {
    // 95 notices of the milestones' ladders, 13 of the exit ledger's and 8 answers to the units.
    expect(ladderNotices(baseline.run.result.notices)).toHaveLength(108);
    expect(baseline.run.result.notices).toHaveLength(116);
    expect(baseline.mailbox).toHaveLength(116);
    expect(baseline.run.deadLetters).toEqual([]);
    // Every notice carries a 文号 of its issuer's series for the year it is dated: 市工业和信息化局's, or
    // 市政府办公室's (the 函 to partners of the city's plan, the city's summary due to the province, whose
    // January reminder starts 2022's series); each number once, none skipped.
    const series = docNumbersOf(baseline.run.result.notices);
    expect([...series.keys()].sort()).toEqual(['江工信督〔2021〕', '江府办督〔2021〕', '江府办督〔2022〕']);
    expect(series.get('江府办督〔2022〕')).toEqual([1]);
    for (const numbers of series.values()) expect(numbers).toEqual(contiguous(numbers));
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
    // 文号 under faults: each series numbered 1…n as without them, whatever order the notices were claimed in.
    const series = docNumbersOf(run.result.notices);
    expect([...series.values()].map((n) => n.length)).toEqual(
      [...docNumbersOf(baseline.run.result.notices).values()].map((n) => n.length),
    );
    for (const numbers of series.values()) expect(numbers).toEqual(contiguous(numbers));
    expect(run.deadLetters).toEqual([]);
    expect(run.deadNotices).toEqual([]);
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
});
