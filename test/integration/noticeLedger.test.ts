import { beforeAll, describe, expect, it } from 'vitest';
import type { NoticeKey } from '../../shared/domain/ports.js';
import { type RealAdapters, useRealAdapters } from '../support/stack.js';

const key = (unit: string): NoticeKey => ({
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
  subject: '【督办提醒】',
  fireAt: '',
};
const LEASE = 120_000;

describe('the DynamoDB notice ledger against dynalite', () => {
  const adapters = useRealAdapters();
  let a: RealAdapters;
  beforeAll(() => {
    a = adapters();
  });

  it('claims a notice once: a second claim within the lease is in flight, after it the claim is taken over', async () => {
    // Act
    const first = await a.ledger.claim(key('enping'), details, 1_000, LEASE);
    const fresh = await a.ledger.claim(key('enping'), details, 60_000, LEASE);
    const takenOver = await a.ledger.claim(key('enping'), details, 200_000, LEASE);

    // Assess
    expect([first, fresh, takenOver]).toEqual([
      { outcome: 'claimed', attempts: 1 },
      { outcome: 'in-flight' },
      { outcome: 'claimed', attempts: 2 },
    ]);
  });

  it('lets only the current claim record a failure: a sender whose lease ran out cannot release it', async () => {
    // Prepare: the first sender hangs past its lease; a second one claims the notice.
    await a.ledger.claim(key('heshan'), details, 1_000, LEASE);
    await a.ledger.claim(key('heshan'), details, 200_000, LEASE);

    // Act
    await a.ledger.markFailed(key('heshan'), 'TimeoutError', 210_000, 1_000);
    const third = await a.ledger.claim(key('heshan'), details, 220_000, LEASE);
    await a.ledger.markFailed(key('heshan'), 'ServiceUnavailable', 230_000, 200_000);
    const afterOwnFailure = await a.ledger.claim(key('heshan'), details, 240_000, LEASE);

    // Assess
    expect(third).toEqual({ outcome: 'in-flight' });
    expect(afterOwnFailure).toEqual({ outcome: 'claimed', attempts: 3 });
  });

  it('never claims a sent notice again, whatever the lease', async () => {
    // Prepare
    await a.ledger.claim(key('kaiping'), details, 1_000, LEASE);
    await a.ledger.markSent(key('kaiping'), 'msg-1', 2_000);

    // Act
    const later = await a.ledger.claim(key('kaiping'), details, 10_000_000, LEASE);
    await a.ledger.markFailed(key('kaiping'), 'late failure', 10_000_001, 1_000);

    // Assess
    expect(later).toEqual({ outcome: 'sent' });
    const [record] = (await a.ledger.listForMilestone('jiangmen-2021', 'district-plans')).filter(
      (r) => r.unit === 'kaiping',
    );
    expect(record).toMatchObject({ state: 'sent', messageId: 'msg-1', attempts: 1 });
  });
});
