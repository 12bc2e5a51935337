import { describeNoticeLedgerContract } from '../support/contracts/noticeLedger.js';
import { useRealAdapters } from '../support/stack.js';

// One table for the file; each case uses its own units, so they do not meet.
const adapters = useRealAdapters();
describeNoticeLedgerContract('the DynamoDB ledger against dynalite', () => adapters().ledger);
