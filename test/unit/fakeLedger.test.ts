import { describeNoticeLedgerContract } from '../support/contracts/noticeLedger.js';
import { FakeLedger } from '../support/fakes.js';

describeNoticeLedgerContract('the in-memory ledger of the domain tests', () => new FakeLedger());
