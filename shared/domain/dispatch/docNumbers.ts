import { type DocNumbering, formatDocNumber } from '../notices/docNumber.js';
import type { ClaimResult, NoticeDetails, NoticeKey, NoticeLedger, NumberIntent } from '../ports.js';

/**
 * 文号, exactly once per notice, without a transaction (dynalite has none, and one code path is what the
 * fault runs prove on both): the notice's claim records the number it intends to carry (an intent), and
 * only then is the number taken in the register (a conditional put, one item per number, naming the
 * notice). So:
 * - **never reused**: a number is taken by one conditional write, for one notice;
 * - **never skipped**: a number is only ever taken as the highest + 1, and only by a notice that recorded it
 *   first; a sender that dies between the two leaves its intent, and its retry takes that same number —
 *   or, if another notice took it meanwhile, the next free one (nothing above it was taken, so no gap);
 * - **the same on a re-send**: a notice keeps the number it holds (the claim keeps an intent it finds), and
 *   taking a number the register already gives it succeeds.
 * Costs a numbered notice two requests more than an unnumbered one: the highest number (a Query) and the
 * register's put; a lost race costs another Query, the intent moved, and another put.
 */

/** Races lost in a row before the notice is left for the queue to bring back. */
const MAX_RACES = 20;

/** Thrown when the register kept refusing the next number (heavy contention): the notice is retried later. */
export class DocNumberContentionError extends Error {
  constructor(readonly series: string) {
    super(`no 文号 could be taken in series ${series} after ${MAX_RACES} attempts`);
    this.name = 'DocNumberContentionError';
  }
}

export type NumberedClaim =
  | { readonly outcome: 'sent' | 'in-flight' }
  | { readonly outcome: 'claimed'; readonly docNumber?: string };

/** Claims `key` and, when the notice is numbered, gives it its number for good (see above). */
export async function claimNumbered(
  ledger: NoticeLedger,
  key: NoticeKey,
  details: NoticeDetails,
  claimedAt: number,
  leaseMs: number,
  numbering: DocNumbering | undefined,
): Promise<NumberedClaim> {
  if (!numbering) {
    const claimed = await ledger.claim(key, details, claimedAt, leaseMs);
    return claimed.outcome === 'claimed' ? { outcome: 'claimed' } : claimed;
  }
  const series = { plan: key.plan, series: numbering.series, year: numbering.year };
  const intent = (seq: number): NumberIntent => ({ seq, docNumber: formatDocNumber(numbering, seq) });
  const claimed: ClaimResult = await ledger.claim(
    key,
    details,
    claimedAt,
    leaseMs,
    intent((await ledger.lastDocNumber(series)) + 1),
  );
  if (claimed.outcome !== 'claimed') return claimed;
  if (!claimed.doc) throw new Error('a numbered claim must say which number the notice holds');
  let held = claimed.doc;
  for (let race = 0; race < MAX_RACES; race++) {
    if (await ledger.takeDocNumber(series, held.seq, key)) return { outcome: 'claimed', docNumber: held.docNumber };
    // Another notice took it first: the next free number, recorded as the intent before it is taken.
    held = intent((await ledger.lastDocNumber(series)) + 1);
    if (!(await ledger.renumber(key, claimedAt, held))) return { outcome: 'in-flight' };
  }
  throw new DocNumberContentionError(numbering.series);
}
