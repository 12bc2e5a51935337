import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEmail } from '../../shared/adapters/local/embeddedStack.js';
import { FAILED_DELIVERIES, type NoticeRecord } from '../../shared/domain/ports.js';
import type { SimulationRun } from '../../sim/engine.js';
import { drawFor } from '../../sim/faults/random.js';
import { SEED, simulate } from '../support/faultRuns.js';

const BOUNCE = 0.1;
const COMPLAINT = 0.05;
const COORDINATOR = 'xietiao@gxj.jiangmen.example';
const keyOf = (n: Pick<NoticeRecord, 'plan' | 'milestone' | 'stage' | 'occurrence' | 'unit' | 'role'>) =>
  [n.plan, n.milestone, n.stage, n.occurrence, n.unit, n.role].join('|');

/**
 * `--faults bounce=0.1,complaint=0.05`: the seed year with SES bouncing or complaining about a share of
 * the notices it accepted, its events going through the events function's handler, and bounced or
 * complaining addresses joining the suppression list as the configuration set makes SES do.
 */
describe('delivery failures in a simulated year', () => {
  let run: SimulationRun;
  let mailbox: readonly StoredEmail[];
  let records: NoticeRecord[];

  beforeAll(async () => {
    ({ run, mailbox } = await simulate(`bounce=${BOUNCE},complaint=${COMPLAINT}`));
    // The ledger's view of every notice, failures included.
    const failed = new Map(run.deliveryFailures.map((r) => [r.messageId ?? keyOf(r), r]));
    records = [...failed.values()];
  }, 90_000);

  it('gives every notice a delivery, and reports as delivered none that bounced or was suppressed', () => {
    // Assess
    expect(run.result.notices.every((n) => n.delivery !== undefined)).toBe(true);
    const failedIds = new Set(records.filter((r) => r.messageId).map((r) => r.messageId));
    for (const n of run.result.notices) {
      if (failedIds.has(n.messageId)) expect(FAILED_DELIVERIES).toContain(n.delivery);
      if (n.messageId === '') expect(n.delivery).toBe('suppressed');
    }
    expect(run.deliveries.bounced).toBeGreaterThan(0);
    expect(run.result.notices.filter((n) => n.delivery === 'bounced').length).toBeGreaterThanOrEqual(1);
  });

  it('bounces exactly the notices the seed draws, whatever the timing', () => {
    // Prepare: the notices SES accepted whose draw falls under the bounce share.
    const drawn = run.deliveryFailures
      .filter(
        (r) =>
          r.messageId &&
          drawFor(SEED, `delivery|${[r.plan, r.milestone, r.stage, r.occurrence, r.unit, r.role].join('|')}`) < BOUNCE,
      )
      .map(keyOf);

    // Assess: each of them is recorded as failed, naming whose address.
    expect(drawn.length).toBe(run.deliveries.bounced);
    for (const r of run.deliveryFailures.filter((x) => drawn.includes(keyOf(x)))) {
      expect(r.failedRecipients?.length).toBeGreaterThan(0);
    }
  });

  it('reports every later notice to an address that bounced as not delivered, and sends none to it alone', () => {
    // Prepare: when each address first failed.
    const firstFailure = new Map<string, number>();
    for (const r of [...run.deliveryFailures].sort((a, b) => a.fireAt.localeCompare(b.fireAt))) {
      if (r.delivery === 'suppressed') continue;
      const address = r.to[0];
      if (address && !firstFailure.has(address)) firstFailure.set(address, Date.parse(r.fireAt));
    }

    // Assess: a later notice to such an address is a failure; addressed to it alone, it never reached SES.
    expect(firstFailure.size).toBeGreaterThan(0);
    let alone = 0;
    for (const n of run.result.notices) {
      const failedAt = n.to.map((a) => firstFailure.get(a)).find((t) => t !== undefined);
      if (failedAt === undefined || Date.parse(n.at) <= failedAt) continue;
      expect(FAILED_DELIVERIES).toContain(n.delivery);
      if (n.to.length === 1 && n.cc.length === 0) {
        alone += 1;
        expect({ subject: n.subject, messageId: n.messageId, delivery: n.delivery }).toEqual({
          subject: n.subject,
          messageId: '',
          delivery: 'suppressed',
        });
      }
    }
    expect(alone).toBeGreaterThan(0);
    const notices = mailbox.filter((e) => !e.subject.startsWith('【投递失败】'));
    expect(notices.length).toBe(run.result.notices.filter((n) => n.messageId !== '').length);
  });

  it('tells the coordinating group of every failed recipient, naming the unit and whose address', () => {
    // Prepare
    const office = mailbox.filter((e) => e.subject.startsWith('【投递失败】'));
    const failedRecipients = run.deliveryFailures.flatMap((r) => r.failedRecipients ?? []);

    // Assess
    expect(office.length).toBe(run.officeMessages);
    expect(office.length).toBeGreaterThanOrEqual(new Set(run.deliveryFailures.map(keyOf)).size);
    for (const e of office) expect(e.destination.to.join()).toContain(COORDINATOR);
    expect(office.map((e) => e.subject).join('\n')).toMatch(/未送达.+(责任单位|分管领导|主要负责人)/);
    expect(failedRecipients.length).toBeGreaterThan(0);
  });

  it('marks 投递失败 on the board next to a unit whose latest notice did not reach it', () => {
    // Assess
    const marked = run.result.board.filter((r) => r.deliveryFailure);
    expect(marked.length).toBeGreaterThan(0);
    for (const row of marked) {
      expect(FAILED_DELIVERIES).toContain(row.deliveryFailure?.delivery);
      const failed = run.deliveryFailures.filter(
        (r) => r.milestone === row.milestone && (r.failedRecipients ?? []).some((id) => id.startsWith(`${row.unit}#`)),
      );
      expect(failed.length).toBeGreaterThan(0);
    }
  });
});
