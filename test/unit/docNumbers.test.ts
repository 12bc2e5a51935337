import { describe, expect, it } from 'vitest';
import { claimNumbered } from '../../shared/domain/dispatch/docNumbers.js';
import type { NoticeWork } from '../../shared/domain/dispatch/noticeWork.js';
import { sendNotices } from '../../shared/domain/dispatch/sendNotices.js';
import { silentLog } from '../../shared/domain/log.js';
import { DOC_NUMBER_SLOT, type DocNumbering, formatDocNumber } from '../../shared/domain/notices/docNumber.js';
import type { NoticeKey } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { FakeLedger, FakeMailer } from '../support/fakes.js';

const NUMBERING: DocNumbering = { series: 'gxj', year: 2021, template: '江工信督〔{year}〕{n}号' };
const SERIES = { plan: 'jiangmen-2021', series: 'gxj', year: 2021 };
const LEASE = 120_000;
const key = (unit: string) =>
  ({
    plan: 'jiangmen-2021',
    milestone: 'district-plans',
    stage: 'overdue',
    occurrence: '2021-06-01T09:00:00',
    unit,
    role: 'unit',
  }) satisfies NoticeKey;
const details = (unit: string) => ({
  units: [unit],
  to: [`office@${unit}.jiangmen.example`],
  cc: [],
  subject: `关于督促报送《计划》的函（${DOC_NUMBER_SLOT}）`,
  fireAt: '2021-06-01T09:00:00+08:00',
});
const work = (unit: string): NoticeWork => ({
  key: key(unit),
  units: [unit],
  fireAt: '2021-06-01T09:00:00+08:00',
  email: {
    to: [`office@${unit}.jiangmen.example`],
    cc: [],
    subject: `关于督促报送《计划》的函（${DOC_NUMBER_SLOT}）`,
    text: `${DOC_NUMBER_SLOT}\n正文`,
    html: `<p>${DOC_NUMBER_SLOT}</p>`,
  },
  numbering: NUMBERING,
});
const number = (n: number) => formatDocNumber(NUMBERING, n);

describe('文号 (claimNumbered): never reused, never skipped, the same on a re-send', () => {
  it('a sender that died between recording its number and taking it: its retry takes the next free one, leaving no gap', async () => {
    // Prepare: enping's sender recorded its intent (1) with its claim, and died before taking it.
    const ledger = new FakeLedger();
    await ledger.claim(key('enping'), details('enping'), 1_000, LEASE, { seq: 1, docNumber: number(1) });

    // Act: heshan's notice takes 1 meanwhile; enping's message comes back after the lease.
    const heshan = await claimNumbered(ledger, key('heshan'), details('heshan'), 2_000, LEASE, NUMBERING);
    const enping = await claimNumbered(ledger, key('enping'), details('enping'), 1_000 + LEASE + 1, LEASE, NUMBERING);

    // Assess
    expect(heshan).toEqual({ outcome: 'claimed', docNumber: number(1) });
    expect(enping).toEqual({ outcome: 'claimed', docNumber: number(2) });
    expect((await ledger.listDocNumbers(SERIES)).map((e) => [e.seq, e.owner.unit])).toEqual([
      [1, 'heshan'],
      [2, 'enping'],
    ]);
    const records = await ledger.listForMilestone('jiangmen-2021', 'district-plans');
    expect(records.find((r) => r.unit === 'enping')?.subject).toBe(`关于督促报送《计划》的函（${number(2)}）`);
  });

  it('a sender that died after taking its number: the retry carries the same number', async () => {
    // Prepare
    const ledger = new FakeLedger();
    const first = await claimNumbered(ledger, key('enping'), details('enping'), 1_000, LEASE, NUMBERING);
    await claimNumbered(ledger, key('heshan'), details('heshan'), 2_000, LEASE, NUMBERING);

    // Act: the lease expires, the message comes back.
    const again = await claimNumbered(ledger, key('enping'), details('enping'), 1_000 + LEASE + 1, LEASE, NUMBERING);

    // Assess
    expect(first).toEqual({ outcome: 'claimed', docNumber: number(1) });
    expect(again).toEqual(first);
    expect(await ledger.lastDocNumber(SERIES)).toBe(2);
  });

  it('sends the number in subject, text and HTML; a send that failed goes out again with the same number', async () => {
    // Prepare: SES refuses enping's first attempt.
    const ledger = new FakeLedger();
    const mailer = new FakeMailer();
    let refused = 0;
    mailer.refuse = (email) => email.to.includes('office@enping.jiangmen.example') && refused++ === 0;
    const clock = new VirtualClock(Date.parse('2021-06-01T09:00:00+08:00'));
    const deps = { ledger, mailer, clock, log: silentLog, calendar: { loadPlan: async () => undefined } };

    // Act
    const firstTry = await sendNotices(deps, [work('enping'), work('heshan')]);
    clock.advanceTo(clock.now() + 18 * 60_000);
    const redelivered = await sendNotices(deps, [work('enping')]);

    // Assess
    expect(firstTry).toEqual(['failed', 'sent']);
    expect(redelivered).toEqual(['sent']);
    expect(mailer.sent.map((e) => [e.to[0], e.subject, e.text, e.html])).toEqual([
      [
        'office@heshan.jiangmen.example',
        `关于督促报送《计划》的函（${number(2)}）`,
        `${number(2)}\n正文`,
        `<p>${number(2)}</p>`,
      ],
      [
        'office@enping.jiangmen.example',
        `关于督促报送《计划》的函（${number(1)}）`,
        `${number(1)}\n正文`,
        `<p>${number(1)}</p>`,
      ],
    ]);
    expect(await ledger.lastDocNumber(SERIES)).toBe(2);
  });

  it('numbers each issuer and each year on its own, and leaves an unnumbered notice without one', async () => {
    // Prepare
    const ledger = new FakeLedger();

    // Act
    const a = await claimNumbered(ledger, key('a'), details('a'), 1_000, LEASE, NUMBERING);
    const b = await claimNumbered(ledger, key('b'), details('b'), 1_000, LEASE, { ...NUMBERING, series: 'szf' });
    const c = await claimNumbered(ledger, key('c'), details('c'), 1_000, LEASE, { ...NUMBERING, year: 2022 });
    const d = await claimNumbered(ledger, key('d'), details('d'), 1_000, LEASE, undefined);

    // Assess
    expect([a, b, c, d]).toEqual([
      { outcome: 'claimed', docNumber: '江工信督〔2021〕1号' },
      { outcome: 'claimed', docNumber: '江工信督〔2021〕1号' },
      { outcome: 'claimed', docNumber: '江工信督〔2022〕1号' },
      { outcome: 'claimed' },
    ]);
  });
});
