import { describe, expect, it } from 'vitest';
import type { ExitItem, ExitLedger } from '../../../shared/domain/exits/types.js';
import { ConcurrentEditError } from '../../../shared/domain/ports.js';
import { exitFields } from '../exitRows.js';

/** An item of the seed's ledger as a district would enter it (a fictional enterprise, a valid code). */
export const exitItem = (overrides: Partial<ExitItem> = {}): ExitItem => ({
  plan: 'jiangmen-2021',
  milestone: 'exit-ledger',
  unit: 'heshan',
  ...exitFields(),
  steps: {},
  version: 1,
  createdAt: 1_000,
  updatedAt: 1_000,
  updatedBy: 'test',
  ...overrides,
});

/**
 * The exit ledger's contract, held by the DynamoDB store (against dynalite) and the in-memory one the domain tests
 * use: items by plan and unit, writes guarded by the version they were read at.
 */
export function describeExitLedgerContract(name: string, open: () => ExitLedger, plan: () => string): void {
  describe(`${name}: the exit ledger's contract`, () => {
    it("keeps items per plan and unit, and lists a unit's or the whole plan's", async () => {
      // Prepare
      const ledger = open();
      const p = plan();
      const a = exitItem({ plan: p, unit: 'heshan', creditCode: '91440784MA5EX0001J' });
      const b = exitItem({
        plan: p,
        unit: 'heshan',
        creditCode: '91440784MA5EX0002M',
        name: '鹤山市示例钢铁铸件有限公司（示例）',
      });
      const c = exitItem({ plan: p, unit: 'jianghai', creditCode: '91440704MA5EX0001N' });

      // Act
      const written = await ledger.putItems([a, b, c].map((item) => ({ item, expected: undefined })));

      // Assess
      expect(written).toBe(3);
      expect((await ledger.listItems(p)).map((i) => i.creditCode).sort()).toEqual(
        [a, b, c].map((i) => i.creditCode).sort(),
      );
      expect((await ledger.listUnitItems(p, 'heshan')).map((i) => i.creditCode).sort()).toEqual(
        [a.creditCode, b.creditCode].sort(),
      );
      expect(await ledger.getItem(p, 'jianghai', c.creditCode)).toEqual(c);
      expect(await ledger.getItem(p, 'heshan', c.creditCode)).toBeUndefined();
      expect(await ledger.listItems(`${p}-other`)).toEqual([]);
      expect(await ledger.listCodes(p)).toEqual([
        { unit: 'heshan', creditCode: a.creditCode },
        { unit: 'heshan', creditCode: b.creditCode },
        { unit: 'jianghai', creditCode: c.creditCode },
      ]);
    });

    it('writes an item only from the version it was read at, and refuses a second creation', async () => {
      // Prepare
      const ledger = open();
      const p = plan();
      const item = exitItem({ plan: p });
      await ledger.putItems([{ item, expected: undefined }]);

      // Act
      const again = await ledger.putItems([{ item, expected: undefined }]).catch((e: unknown) => e);
      const stale = await ledger.putItems([{ item: { ...item, version: 3 }, expected: 2 }]).catch((e: unknown) => e);
      await ledger.putItems([{ item: { ...item, version: 2, name: '改名（示例）' }, expected: 1 }]);

      // Assess
      expect(again).toBeInstanceOf(ConcurrentEditError);
      expect(stale).toBeInstanceOf(ConcurrentEditError);
      expect(await ledger.getItem(p, item.unit, item.creditCode)).toMatchObject({ version: 2, name: '改名（示例）' });
    });

    it('deletes an item only at the version it was read at', async () => {
      // Prepare
      const ledger = open();
      const p = plan();
      const item = exitItem({ plan: p });
      await ledger.putItems([{ item, expected: undefined }]);

      // Act
      const stale = await ledger.deleteItem(p, item.unit, item.creditCode, 7).catch((e: unknown) => e);
      const kept = await ledger.listItems(p);
      await ledger.deleteItem(p, item.unit, item.creditCode, 1);

      // Assess
      expect(stale).toBeInstanceOf(ConcurrentEditError);
      expect(kept).toHaveLength(1);
      expect(await ledger.listItems(p)).toEqual([]);
    });
  });
}
