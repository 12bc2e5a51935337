import { fetchMailbox, type StoredEmail, startEmbeddedStack } from '../../shared/adapters/local/embeddedStack.js';
import { isStage } from '../../shared/domain/plan/stages.js';
import type { NoticeRecord } from '../../shared/domain/ports.js';
import { runSimulation, type SimulationOptions, type SimulationRun } from '../../sim/engine.js';
import { parseFaultSpec } from '../../sim/faults/faultSpec.js';
import type { SimulatedNotice } from '../../sim/result.js';
import { demoScenario, seedPlan } from './seed.js';

/** Fault runs of the seed year for the reliability tests (test/integration/fault*.test.ts). */

/** Real retry waits would only cost wall time: the clock is virtual (attempts and order are unchanged). */
export const WAIT_SCALE = 0.01;
export const SEED = 7;

export interface Outcome {
  readonly run: SimulationRun;
  /** Everything the run's own SES stand-in received. */
  readonly mailbox: readonly StoredEmail[];
}

/** The seed year with the demo scenario on a stack of its own, its mailbox holding only its mail. */
export async function simulate(spec?: string, options: Partial<SimulationOptions> = {}): Promise<Outcome> {
  const stack = await startEmbeddedStack();
  try {
    // aws-ses-v2-local keeps one store per process, whichever server received the mail.
    const cleared = await fetch(`${stack.sesEndpoint}/clear-store`, { method: 'POST' });
    if (!cleared.ok) throw new Error(`local SES clear-store answered ${cleared.status}`);
    const run = await runSimulation({
      plan: seedPlan(),
      scenario: demoScenario(),
      stack,
      retryWaitScale: WAIT_SCALE,
      ...(spec ? { faults: parseFaultSpec(spec), seed: SEED } : {}),
      ...options,
    });
    return { run, mailbox: await fetchMailbox(stack) };
  } finally {
    await stack.stop();
  }
}

/** The 文号 a subject ends with (`（江工信督〔2021〕12号）`): its series and number. */
const DOC_NUMBER = /（([^（）]*〔\d{4}〕)(\d+)号）$/;
/**
 * A subject without its 文号's number: numbers are taken in the order workers claim notices, which faults
 * and concurrency change; `docNumbersOf` checks the numbers themselves.
 */
const unnumbered = (subject: string) => subject.replace(DOC_NUMBER, '（$1N号）');
/** A notice as the guarantee compares it: everything but SES's MessageId and the number its 文号 got. */
export const identity = (n: SimulatedNotice | NoticeRecord) =>
  JSON.stringify([n.milestone, n.stage, 'at' in n ? n.at : n.fireAt, n.units, n.to, n.cc, unnumbered(n.subject)]);
/** What a recipient sees of an email: subject and addresses (several notices may share them). */
export const letter = (subject: string, to: readonly string[], cc: readonly string[]) =>
  JSON.stringify([unnumbered(subject), addresses(to), addresses(cc)]);
/** The numbers each 文号 series gave the notices, sorted (a series: `江工信督〔2021〕`). */
export function docNumbersOf(notices: readonly { readonly subject: string }[]): Map<string, number[]> {
  const series = new Map<string, number[]>();
  for (const n of notices) {
    const m = DOC_NUMBER.exec(n.subject);
    if (!m) continue;
    const [, name = '', seq = ''] = m;
    series.set(name, [...(series.get(name) ?? []), Number(seq)]);
  }
  for (const numbers of series.values()) numbers.sort((a, b) => a - b);
  return series;
}
/** 1, 2, … n: every number of a series taken once, none skipped. */
export const contiguous = (numbers: readonly number[]) => numbers.map((_, i) => i + 1);
/** The local SES keeps a header's addresses as one comma-separated string. */
const addresses = (list: readonly string[]) => list.flatMap((a) => a.split(',').map((x) => x.trim())).filter(Boolean);
export const countBy = (keys: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
};
/** The notices of the ladders; the office's answers to units (办结, 退回, 延期批复) go out from the unfaulted side. */
export const ladderNotices = <N extends SimulatedNotice | NoticeRecord>(notices: readonly N[]): N[] =>
  notices.filter((n) => isStage(n.stage));
export const multiset = (notices: readonly (SimulatedNotice | NoticeRecord)[]) => notices.map(identity).sort();
