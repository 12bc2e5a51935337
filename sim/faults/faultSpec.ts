import { z } from 'zod';

/** What `--faults` asks for, after parsing. Probabilities are per request attempt. */
export interface FaultSpec {
  /** SES answers `Throttling` ("Maximum sending rate exceeded."). */
  readonly sesThrottle: number;
  /** SES answers a 5xx (`ServiceUnavailable` 503 or `InternalFailure` 500) before accepting the message. */
  readonly sesError: number;
  /** DynamoDB answers `ProvisionedThroughputExceededException` or `ThrottlingException`. */
  readonly ddbThrottle: number;
  /** Each schedule firing invokes dispatch this many times at once (1: no duplicates). */
  readonly duplicateDelivery: number;
  /**
   * The first attempt of each firing (every delivery of it) dies the moment SES accepts its N-th message,
   * before the ledger records it; the retries run with fresh clients and do not crash.
   */
  readonly crashAfter?: number;
  /**
   * Share of the notices SES accepted whose (first) recipient's server bounces them; SES then puts the
   * address on the account's suppression list, so later notices to it are reported `suppressed`.
   */
  readonly bounce: number;
  /** Share of the delivered notices whose (first) recipient marks them as spam (suppressed after, too). */
  readonly complaint: number;
}

export const NO_FAULTS: FaultSpec = {
  sesThrottle: 0,
  sesError: 0,
  ddbThrottle: 0,
  duplicateDelivery: 1,
  bounce: 0,
  complaint: 0,
};

/** A `--faults` or `--seed` value that cannot be used; the message names every problem. */
export class FaultSpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'FaultSpecError';
  }
}

const PROBABILITY = 'must be a probability between 0 and 1';
const probability = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, PROBABILITY)
  .transform(Number);

/** A whole number in [min, max]; the bounds keep a typo (`crash-after=1e9`) from hanging a run. */
const whole = (min: number, max: number, what: string) => {
  const message = `must be a whole number from ${min} to ${max} (${what})`;
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
};

const FAULT_NAMES = [
  'ses-throttle',
  'ses-error',
  'ddb-throttle',
  'duplicate-delivery',
  'crash-after',
  'bounce',
  'complaint',
] as const;

const faultsSchema = z
  .strictObject(
    {
      'ses-throttle': probability.optional(),
      'ses-error': probability.optional(),
      'ddb-throttle': probability.optional(),
      'duplicate-delivery': whole(1, 10, 'deliveries of each firing').optional(),
      'crash-after': whole(1, 1000, 'sends before the invocation dies').optional(),
      bounce: probability.optional(),
      complaint: probability.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown fault ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${FAULT_NAMES.join(', ')})`
          : undefined,
    },
  )
  .superRefine((f, ctx) => {
    // One draw decides both SES faults, so together they must fit in one probability (checked once
    // each is a number: a refinement also runs after a field's own issue).
    const [throttle, error] = [f['ses-throttle'] ?? 0, f['ses-error'] ?? 0];
    if (typeof throttle === 'number' && typeof error === 'number' && throttle + error > 1)
      ctx.addIssue({ code: 'custom', path: ['ses-throttle + ses-error'], message: 'must not exceed 1' });
    // Likewise one draw per notice decides its bounce or complaint.
    const [bounce, complaint] = [f.bounce ?? 0, f.complaint ?? 0];
    if (typeof bounce === 'number' && typeof complaint === 'number' && bounce + complaint > 1)
      ctx.addIssue({ code: 'custom', path: ['bounce + complaint'], message: 'must not exceed 1' });
  });

/** `a=1,b=2` → `{a: '1', b: '2'}`, refusing entries without `=` and names given twice. */
const pairsSchema = z.string().transform((text, ctx) => {
  const pairs: Record<string, string> = {};
  for (const entry of text.split(',').map((e) => e.trim())) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not name=value (e.g. ses-throttle=0.3)` });
      continue;
    }
    const name = entry.slice(0, eq).trim();
    if (name in pairs) ctx.addIssue({ code: 'custom', path: [name], message: 'is given twice' });
    pairs[name] = entry.slice(eq + 1).trim();
  }
  return pairs;
});

/** Parses `--faults`, e.g. `ses-throttle=0.3,ddb-throttle=0.2,duplicate-delivery=2,crash-after=3,bounce=0.1`. */
export function parseFaultSpec(text: string): FaultSpec {
  const parsed = pairsSchema.pipe(faultsSchema).safeParse(text);
  if (!parsed.success) {
    throw new FaultSpecError(
      parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)),
    );
  }
  const f = parsed.data;
  return {
    sesThrottle: f['ses-throttle'] ?? 0,
    sesError: f['ses-error'] ?? 0,
    ddbThrottle: f['ddb-throttle'] ?? 0,
    duplicateDelivery: f['duplicate-delivery'] ?? 1,
    ...(f['crash-after'] !== undefined ? { crashAfter: f['crash-after'] } : {}),
    bounce: f.bounce ?? 0,
    complaint: f.complaint ?? 0,
  };
}

/** Parses `--seed`: a 32-bit unsigned integer. */
export function parseSeed(text: string): number {
  const seed = whole(0, 4_294_967_295, 'the random seed').safeParse(text.trim());
  if (!seed.success) throw new FaultSpecError([`seed: ${seed.error.issues[0]?.message ?? 'invalid'}`]);
  return seed.data;
}

/** The spec back in `--faults` form (for summaries), listing only what is on. */
export function formatFaultSpec(spec: FaultSpec): string {
  const parts = [
    spec.sesThrottle > 0 ? `ses-throttle=${spec.sesThrottle}` : '',
    spec.sesError > 0 ? `ses-error=${spec.sesError}` : '',
    spec.ddbThrottle > 0 ? `ddb-throttle=${spec.ddbThrottle}` : '',
    spec.duplicateDelivery > 1 ? `duplicate-delivery=${spec.duplicateDelivery}` : '',
    spec.crashAfter !== undefined ? `crash-after=${spec.crashAfter}` : '',
    spec.bounce > 0 ? `bounce=${spec.bounce}` : '',
    spec.complaint > 0 ? `complaint=${spec.complaint}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(',') : 'none';
}
