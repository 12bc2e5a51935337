import { describe, expect, it } from 'vitest';
import { claimNumbered } from '../../../shared/domain/dispatch/docNumbers.js';
import type { DocNumbering } from '../../../shared/domain/notices/docNumber.js';
import type { NoticeKey, NoticeLedger } from '../../../shared/domain/ports.js';

/** The key of a unit's first reminder of the seed's district plans (the work queue's contract uses it too). */
export const key = (unit: string): NoticeKey => ({
  plan: 'jiangmen-2021',
  milestone: 'district-plans',
  stage: 'reminder',
  occurrence: '2021-05-24T09:00:00',
  unit,
  role: 'unit',
});
const details = {
  units: ['enping'],
  to: ['office@enping.jiangmen.example'],
  cc: [],
  subject: '关于督促报送《2021年工作计划》的函',
  fireAt: '2021-05-24T09:00:00+08:00',
};
const LEASE = 120_000;

/**
 * The notice ledger's contract, held by every implementation: the DynamoDB ledger (against dynalite)
 * and the in-memory one the domain tests use, so the fake cannot drift from what production does.
 */
export function describeNoticeLedgerContract(name: string, open: () => NoticeLedger): void {
  describe(`${name}: the notice ledger's contract`, () => {
    it('claims a notice once: a second claim within the lease is in flight, after it the claim is taken over', async () => {
      // Prepare
      const ledger = open();

      // Act
      const first = await ledger.claim(key('enping'), details, 1_000, LEASE);
      const fresh = await ledger.claim(key('enping'), details, 60_000, LEASE);
      const takenOver = await ledger.claim(key('enping'), details, 1_000 + LEASE + 1, LEASE);

      // Assess
      expect([first, fresh, takenOver]).toEqual([
        { outcome: 'claimed', attempts: 1 },
        { outcome: 'in-flight' },
        { outcome: 'claimed', attempts: 2 },
      ]);
    });

    it('lets only the current claim record a failure: a sender whose lease ran out cannot release it', async () => {
      // Prepare: the first sender hangs past its lease; a second one claims the notice.
      const ledger = open();
      await ledger.claim(key('heshan'), details, 1_000, LEASE);
      await ledger.claim(key('heshan'), details, 200_000, LEASE);

      // Act
      await ledger.markFailed(key('heshan'), 'TimeoutError', 210_000, 1_000);
      const third = await ledger.claim(key('heshan'), details, 220_000, LEASE);
      await ledger.markFailed(key('heshan'), 'ServiceUnavailable', 230_000, 200_000);
      const afterOwnFailure = await ledger.claim(key('heshan'), details, 240_000, LEASE);

      // Assess
      expect(third).toEqual({ outcome: 'in-flight' });
      expect(afterOwnFailure).toEqual({ outcome: 'claimed', attempts: 3 });
    });

    it('never claims a sent notice again, whatever the lease, and keeps what was sent', async () => {
      // Prepare
      const ledger = open();
      await ledger.claim(key('kaiping'), details, 1_000, LEASE);
      await ledger.markSent(key('kaiping'), 'msg-1', 2_000);

      // Act
      const later = await ledger.claim(key('kaiping'), details, 10_000_000, LEASE);
      await ledger.markFailed(key('kaiping'), 'late failure', 10_000_001, 1_000);

      // Assess
      expect(later).toEqual({ outcome: 'sent' });
      const [record] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'kaiping',
      );
      expect(record).toMatchObject({ ...key('kaiping'), ...details, state: 'sent', messageId: 'msg-1', attempts: 1 });
    });

    it('keeps a failed notice claimable with its error, and lists only the milestone asked for', async () => {
      // Prepare
      const ledger = open();
      await ledger.claim(key('taishan'), details, 1_000, LEASE);
      await ledger.markFailed(key('taishan'), 'ServiceUnavailable: try later', 2_000, 1_000);
      await ledger.claim({ ...key('taishan'), milestone: 'city-plan' }, details, 1_000, LEASE);

      // Act
      const [failed] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'taishan',
      );
      const again = await ledger.claim(key('taishan'), details, 3_000, LEASE);
      const cityPlan = await ledger.listForMilestone('jiangmen-2021', 'city-plan');

      // Assess
      expect(failed).toMatchObject({ state: 'failed', error: 'ServiceUnavailable: try later' });
      expect(again).toEqual({ outcome: 'claimed', attempts: 2 });
      expect(cityPlan.map((r) => r.milestone)).toEqual(['city-plan']);
    });

    it('keeps a failed delivery: a later delivery or delay of another recipient does not hide it', async () => {
      // Prepare
      const ledger = open();
      await ledger.claim(key('jianghai'), details, 1_000, LEASE);
      await ledger.markSent(key('jianghai'), 'msg-2', 2_000);
      const delayed = { delivery: 'delayed' as const, at: 3_000, reason: 'MailboxFull', failed: [] };

      // Act
      await ledger.recordDelivery(key('jianghai'), delayed);
      const [wasDelayed] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'jianghai',
      );
      await ledger.recordDelivery(key('jianghai'), { delivery: 'delivered', at: 4_000, failed: [] });
      const [wasDelivered] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'jianghai',
      );
      await ledger.recordDelivery(key('jianghai'), { ...delayed, at: 4_500 });
      const bounce = await ledger.recordDelivery(key('jianghai'), {
        delivery: 'bounced',
        at: 5_000,
        reason: 'Permanent/General 5.1.1',
        failed: ['jianghai#unit'],
      });
      await ledger.recordDelivery(key('jianghai'), { delivery: 'delivered', at: 6_000, failed: [] });

      // Assess
      expect(wasDelayed).toMatchObject({ delivery: 'delayed', deliveryAt: 3_000, deliveryReason: 'MailboxFull' });
      expect(wasDelivered).toMatchObject({ delivery: 'delivered', deliveryAt: 4_000 });
      expect(wasDelivered?.deliveryReason).toBeUndefined();
      expect(bounce).toEqual({ untold: ['jianghai#unit'] });
      const [record] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'jianghai',
      );
      expect(record).toMatchObject({
        state: 'sent',
        messageId: 'msg-2',
        delivery: 'bounced',
        deliveryAt: 5_000,
        deliveryReason: 'Permanent/General 5.1.1',
        failedRecipients: ['jianghai#unit'],
      });
    });

    it('tells of each failed recipient once: after the office is told, the same event is not news', async () => {
      // Prepare
      const ledger = open();
      await ledger.claim(key('xinhui'), details, 1_000, LEASE);
      await ledger.markSent(key('xinhui'), 'msg-3', 2_000);
      const bounce = { delivery: 'bounced' as const, at: 3_000, failed: ['xinhui#unit'] };

      // Act
      const first = await ledger.recordDelivery(key('xinhui'), bounce);
      const beforeTold = await ledger.recordDelivery(key('xinhui'), bounce);
      await ledger.markOfficeTold(key('xinhui'), first.untold);
      const repeated = await ledger.recordDelivery(key('xinhui'), bounce);
      const another = await ledger.recordDelivery(key('xinhui'), {
        delivery: 'complained',
        at: 4_000,
        failed: ['xinhui#unit', 'xinhui#supervisor'],
      });

      // Assess
      expect([first, beforeTold, repeated, another]).toEqual([
        { untold: ['xinhui#unit'] },
        { untold: ['xinhui#unit'] },
        { untold: [] },
        { untold: ['xinhui#supervisor'] },
      ]);
    });

    it('closes a notice nobody can be sent to as suppressed, only under its own claim, never to be claimed again', async () => {
      // Prepare: a first sender's lease ran out and a second one claimed the notice.
      const ledger = open();
      await ledger.claim(key('pengjiang'), details, 1_000, LEASE);
      await ledger.claim(key('pengjiang'), details, 200_000, LEASE);
      const report = {
        delivery: 'suppressed' as const,
        at: 210_000,
        reason: 'suppression list: BOUNCE',
        failed: ['pengjiang#unit'],
      };

      // Act
      await ledger.markSuppressed(key('pengjiang'), report, 1_000);
      const stillOwned = await ledger.claim(key('pengjiang'), details, 210_500, LEASE);
      await ledger.markSuppressed(key('pengjiang'), report, 200_000);
      const later = await ledger.claim(key('pengjiang'), details, 10_000_000, LEASE);
      const repeated = await ledger.recordDelivery(key('pengjiang'), report);

      // Assess
      expect(stillOwned).toEqual({ outcome: 'in-flight' });
      expect(later).toEqual({ outcome: 'sent' });
      expect(repeated).toEqual({ untold: [] });
      const [record] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'pengjiang',
      );
      expect(record).toMatchObject({ state: 'sent', delivery: 'suppressed', failedRecipients: ['pengjiang#unit'] });
      expect(record?.messageId).toBeUndefined();
    });

    const series = (name: string) => ({ plan: 'jiangmen-2021', series: name, year: 2021 });
    const numbering = (name: string): DocNumbering => ({
      series: name,
      year: 2021,
      template: '江工信督〔{year}〕{n}号',
    });

    it('keeps the 文号 a notice holds: a claim after a failure gets it back, not the one it asked for', async () => {
      // Prepare
      const ledger = open();
      const first = await ledger.claim(key('lianhua'), details, 1_000, LEASE, { seq: 4, docNumber: 'N4' });
      await ledger.markFailed(key('lianhua'), 'ServiceUnavailable', 2_000, 1_000);

      // Act
      const again = await ledger.claim(key('lianhua'), details, 3_000, LEASE, { seq: 9, docNumber: 'N9' });
      const plain = await ledger.claim({ ...key('lianhua'), unit: 'plain' }, details, 3_000, LEASE);

      // Assess
      expect(first).toEqual({ outcome: 'claimed', attempts: 1, doc: { seq: 4, docNumber: 'N4' } });
      expect(again).toEqual({ outcome: 'claimed', attempts: 2, doc: { seq: 4, docNumber: 'N4' } });
      expect(plain).toEqual({ outcome: 'claimed', attempts: 1 });
      const [record] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'lianhua',
      );
      expect(record).toMatchObject({ docSeq: 4, docNumber: 'N4' });
    });

    it('takes each number of a series once: its owner may take it again, another notice may not', async () => {
      // Prepare
      const ledger = open();
      const before = await ledger.lastDocNumber(series('reg-a'));

      // Act
      const taken = await ledger.takeDocNumber(series('reg-a'), 1, key('a1'));
      const byOwner = await ledger.takeDocNumber(series('reg-a'), 1, key('a1'));
      const byAnother = await ledger.takeDocNumber(series('reg-a'), 1, key('a2'));
      const otherYear = await ledger.takeDocNumber({ ...series('reg-a'), year: 2022 }, 1, key('a2'));
      await ledger.takeDocNumber(series('reg-a'), 2, key('a2'));

      // Assess
      expect([before, taken, byOwner, byAnother, otherYear]).toEqual([0, true, true, false, true]);
      expect(await ledger.lastDocNumber(series('reg-a'))).toBe(2);
      expect(await ledger.listDocNumbers(series('reg-a'))).toEqual([
        { seq: 1, owner: key('a1') },
        { seq: 2, owner: key('a2') },
      ]);
    });

    it('moves the number a notice holds only under its own claim, and shows the number in its subject', async () => {
      // Prepare
      const ledger = open();
      const withSlot = { ...details, subject: '关于督促报送《计划》的函（\uE000文号\uE001）' };
      await ledger.claim(key('renum'), withSlot, 1_000, LEASE, { seq: 1, docNumber: '江工信督〔2021〕1号' });

      // Act
      const stranger = await ledger.renumber(key('renum'), 999, { seq: 2, docNumber: '江工信督〔2021〕2号' });
      const own = await ledger.renumber(key('renum'), 1_000, { seq: 3, docNumber: '江工信督〔2021〕3号' });

      // Assess
      expect([stranger, own]).toEqual([false, true]);
      const [record] = (await ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
        (r) => r.unit === 'renum',
      );
      expect(record).toMatchObject({ docSeq: 3, subject: '关于督促报送《计划》的函（江工信督〔2021〕3号）' });
    });

    it('numbers notices claimed all at once 1…n, each once, and a re-claim keeps its number', async () => {
      // Prepare: 12 notices of one series claimed concurrently, as workers would.
      const ledger = open();
      const units = Array.from({ length: 12 }, (_, i) => `burst${i}`);

      // Act
      const claims = await Promise.all(
        units.map((u) => claimNumbered(ledger, key(u), details, 1_000, LEASE, numbering('burst'))),
      );
      await ledger.markFailed(key('burst3'), 'ServiceUnavailable', 2_000, 1_000);
      const again = await claimNumbered(ledger, key('burst3'), details, 3_000, LEASE, numbering('burst'));

      // Assess
      const numbers = claims.map((c) => (c.outcome === 'claimed' ? c.docNumber : c.outcome));
      expect([...numbers].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `江工信督〔2021〕${i + 1}号`).sort());
      expect(again).toEqual({ outcome: 'claimed', docNumber: numbers[3] });
      const register = await ledger.listDocNumbers(series('burst'));
      expect(register.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      for (const [i, u] of units.entries())
        expect(register.find((e) => e.owner.unit === u)?.seq).toBe(Number(/〕(\d+)号/.exec(String(numbers[i]))?.[1]));
    });

    it('ignores an event about a notice it never held', async () => {
      // Prepare
      const ledger = open();
      const stranger = { ...key('stranger'), milestone: 'not-a-milestone' };

      // Act
      const outcome = await ledger.recordDelivery(stranger, { delivery: 'bounced', at: 1, failed: ['stranger#unit'] });
      await ledger.recordDelivery(stranger, { delivery: 'delivered', at: 2, failed: [] });

      // Assess
      expect(outcome).toEqual({ untold: [] });
      expect(await ledger.listForMilestone('jiangmen-2021', 'not-a-milestone')).toEqual([]);
    });
  });
}
