import type { ExitItem, ExitLedger } from '../../shared/domain/exits/types.js';
import { ConcurrentEditError } from '../../shared/domain/ports.js';

/** The exit ledger in memory, held to the same contract as the DynamoDB one (contracts/exitLedger.ts). */
export class FakeExitLedger implements ExitLedger {
  readonly items = new Map<string, ExitItem>();
  /** Every write, in order: what a test counts as requests. */
  readonly writes: string[] = [];

  private static key = (plan: string, unit: string, code: string) => `${plan}#${unit}#${code}`;

  async listItems(planId: string) {
    return [...this.items.values()].filter((i) => i.plan === planId).sort(order);
  }
  async listCodes(planId: string) {
    return (await this.listItems(planId)).map((i) => ({ unit: i.unit, creditCode: i.creditCode }));
  }
  async listUnitItems(planId: string, unit: string) {
    return (await this.listItems(planId)).filter((i) => i.unit === unit);
  }
  async getItem(planId: string, unit: string, creditCode: string) {
    return this.items.get(FakeExitLedger.key(planId, unit, creditCode));
  }
  async putItems(writes: readonly { item: ExitItem; expected: number | undefined }[]) {
    for (const { item, expected } of writes) {
      const key = FakeExitLedger.key(item.plan, item.unit, item.creditCode);
      if (this.items.get(key)?.version !== expected)
        throw new ConcurrentEditError(
          `exit item ${item.creditCode} was changed by someone else meanwhile; read it again`,
        );
      this.items.set(key, structuredClone(item));
      this.writes.push(key);
    }
    return writes.length;
  }
  async deleteItem(planId: string, unit: string, creditCode: string, expected: number) {
    const key = FakeExitLedger.key(planId, unit, creditCode);
    if (this.items.get(key)?.version !== expected)
      throw new ConcurrentEditError(`exit item ${creditCode} was changed by someone else meanwhile; read it again`);
    this.items.delete(key);
    this.writes.push(`delete ${key}`);
  }
}

/** The order the DynamoDB partition returns: by unit, then by code (its sort key). */
const order = (a: ExitItem, b: ExitItem) => `${a.unit}#${a.creditCode}`.localeCompare(`${b.unit}#${b.creditCode}`);
