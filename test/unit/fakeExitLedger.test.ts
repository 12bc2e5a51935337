import { randomUUID } from 'node:crypto';
import { describeExitLedgerContract } from '../support/contracts/exitLedger.js';
import { FakeExitLedger } from '../support/fakeExits.js';

describeExitLedgerContract(
  'the in-memory exit ledger of the domain tests',
  () => new FakeExitLedger(),
  () => `p-${randomUUID().slice(0, 6)}`,
);
