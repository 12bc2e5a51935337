import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { makeDynamoClients } from '../../shared/adapters/aws/clients.js';
import { ensureTable } from '../../shared/adapters/aws/dynamo/table.js';
import { makeMailer, makeStores } from '../../shared/adapters/aws/wiring.js';
import { fetchMailbox, type StoredEmail } from '../../shared/adapters/local/embeddedStack.js';

/** The run's dynalite + local SES endpoints (started by globalSetup). */
export const endpoints = () => inject('stack');

/** A fresh table on the shared dynalite, so test files never see each other's data. */
export async function freshTable(prefix = 't'): Promise<string> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { ddb } = makeDynamoClients(endpoints());
  await ensureTable(ddb, name);
  ddb.destroy();
  return name;
}

/** Stores on a fresh table and a mailer on the local SES, through the real SDK clients. */
export async function realAdapters(options: { maxSendRate?: number; sender?: string } = {}) {
  const table = await freshTable();
  const stores = makeStores(endpoints(), table);
  const { mailer, ses } = makeMailer(endpoints(), {
    sender: options.sender ?? 'duban@test.example',
    maxSendRate: options.maxSendRate ?? 1000,
  });
  return { table, ...stores, mailer, ses };
}

/** Emails the local SES received whose messageId is in `ids` (the SES store is shared by the run). */
export async function emailsWithIds(ids: readonly string[]): Promise<StoredEmail[]> {
  const wanted = new Set(ids);
  return (await fetchMailbox(endpoints())).filter((e) => wanted.has(e.messageId));
}

export type RealAdapters = Awaited<ReturnType<typeof realAdapters>>;

/**
 * Real adapters on a fresh table for the whole describe block (made before its tests, closed after):
 * call it in the block, read the adapters through the returned function inside the tests.
 */
export function useRealAdapters(): () => RealAdapters {
  let adapters: RealAdapters | undefined;
  beforeAll(async () => {
    adapters = await realAdapters();
  });
  afterAll(() => {
    adapters?.ddb.destroy();
    adapters?.ses.destroy();
  });
  return () => {
    if (!adapters) throw new Error('useRealAdapters: read the adapters inside a test, after beforeAll');
    return adapters;
  };
}
