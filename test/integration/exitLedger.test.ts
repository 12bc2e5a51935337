import { randomUUID } from 'node:crypto';
import { describeExitLedgerContract } from '../support/contracts/exitLedger.js';
import { useRealAdapters } from '../support/stack.js';

// One table for the file; each case uses a plan of its own, so they do not meet.
const adapters = useRealAdapters();
describeExitLedgerContract(
  'the DynamoDB exit ledger against dynalite',
  () => adapters().exits,
  () => `p-${randomUUID().slice(0, 6)}`,
);
