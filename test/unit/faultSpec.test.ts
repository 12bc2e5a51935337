import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import { isRetryableSesError } from '../../shared/adapters/aws/ses/sesMailer.js';
import { FaultSpecError, formatFaultSpec, NO_FAULTS, parseFaultSpec, parseSeed } from '../../sim/faults/faultSpec.js';
import { ddbThrottlingError, sesServerError, sesThrottlingError } from '../../sim/faults/faults.js';
import { drawFor, hash32, mulberry32 } from '../../sim/faults/random.js';

/** The SDK types its classifiers' argument with `cause?: Error`; ES2022's Error has `cause: unknown`. */
type SdkError = Parameters<typeof isThrottlingError>[0];
const sdk = (e: Error) => e as SdkError;

const problemsOf = (spec: string): readonly string[] => {
  try {
    parseFaultSpec(spec);
  } catch (error) {
    if (error instanceof FaultSpecError) return error.problems;
    throw error;
  }
  throw new Error(`${spec} was accepted`);
};

describe('the --faults spec', () => {
  it('reads every fault, and leaves what is not named off', () => {
    // Prepare
    const text =
      'ses-throttle=0.3, ses-error=0.1,ddb-throttle=1,duplicate-delivery=2,crash-after=3,bounce=0.1,complaint=.05';

    // Act
    const all = parseFaultSpec(text);
    const one = parseFaultSpec('ddb-throttle=.25');

    // Assess
    expect(all).toEqual({
      sesThrottle: 0.3,
      sesError: 0.1,
      ddbThrottle: 1,
      duplicateDelivery: 2,
      crashAfter: 3,
      bounce: 0.1,
      complaint: 0.05,
    });
    expect(one).toEqual({ ...NO_FAULTS, ddbThrottle: 0.25 });
    expect(formatFaultSpec(all)).toBe(
      'ses-throttle=0.3,ses-error=0.1,ddb-throttle=1,duplicate-delivery=2,crash-after=3,bounce=0.1,complaint=0.05',
    );
    expect(formatFaultSpec(NO_FAULTS)).toBe('none');
  });

  it('refuses bounce and complaint shares that add up to more than every notice', () => {
    expect(problemsOf('bounce=0.7,complaint=0.4')).toEqual(['bounce + complaint: must not exceed 1']);
    expect(problemsOf('bounce=2')).toEqual(['bounce: must be a probability between 0 and 1']);
  });

  it('says a rate above 1 is not a probability', () => {
    expect(problemsOf('ses-throttle=2')).toEqual(['ses-throttle: must be a probability between 0 and 1']);
    expect(() => parseFaultSpec('ses-throttle=2')).toThrow('ses-throttle: must be a probability between 0 and 1');
  });

  it.each([
    ['ses-error=-0.1', 'ses-error: must be a probability between 0 and 1'],
    ['ddb-throttle=half', 'ddb-throttle: must be a probability between 0 and 1'],
    ['ddb-throttle=', 'ddb-throttle: must be a probability between 0 and 1'],
    ['duplicate-delivery=0', 'duplicate-delivery: must be a whole number from 1 to 10 (deliveries of each firing)'],
    ['duplicate-delivery=1.5', 'duplicate-delivery: must be a whole number from 1 to 10 (deliveries of each firing)'],
    ['crash-after=0', 'crash-after: must be a whole number from 1 to 1000 (sends before the invocation dies)'],
    [
      'disk-full=0.1',
      'unknown fault "disk-full" (known: ses-throttle, ses-error, ddb-throttle, duplicate-delivery, crash-after, bounce, complaint)',
    ],
    ['ses-throttle', '"ses-throttle" is not name=value (e.g. ses-throttle=0.3)'],
    ['ses-throttle=0.1,ses-throttle=0.2', 'ses-throttle: is given twice'],
    ['ses-throttle=0.7,ses-error=0.5', 'ses-throttle + ses-error: must not exceed 1'],
  ])('refuses %s, naming the problem', (spec, problem) => {
    expect(problemsOf(spec)).toContain(problem);
  });

  it('names every problem of a spec at once', () => {
    expect(problemsOf('ses-throttle=2,crash-after=x')).toHaveLength(2);
  });

  it('takes a 32-bit unsigned seed and nothing else', () => {
    expect(parseSeed('7')).toBe(7);
    expect(parseSeed('4294967295')).toBe(4_294_967_295);
    expect(() => parseSeed('-1')).toThrow('seed: must be a whole number from 0 to 4294967295');
    expect(() => parseSeed('4294967296')).toThrow(FaultSpecError);
  });
});

describe('the seeded random numbers', () => {
  it('repeat for a seed and differ between seeds', () => {
    // Prepare
    const take = (seed: number) => {
      const next = mulberry32(seed);
      return Array.from({ length: 5 }, () => next());
    };

    // Act
    const [a, b, c] = [take(7), take(7), take(8)];

    // Assess
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('are spread evenly over [0, 1)', () => {
    // Prepare
    const next = mulberry32(42);

    // Act
    const values = Array.from({ length: 20_000 }, () => next());

    // Assess
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const belowThird = values.filter((v) => v < 0.3).length / values.length;
    expect(belowThird).toBeGreaterThan(0.28);
    expect(belowThird).toBeLessThan(0.32);
  });

  it('give each named decision its own draw, the same every time', () => {
    expect(drawFor(7, 'ses|a#1.1|SendRawEmail|x@y|1')).toBe(drawFor(7, 'ses|a#1.1|SendRawEmail|x@y|1'));
    expect(drawFor(7, 'ses|a#1.1|SendRawEmail|x@y|1')).not.toBe(drawFor(7, 'ses|a#1.1|SendRawEmail|x@y|2'));
    expect(drawFor(7, 'k')).not.toBe(drawFor(8, 'k'));
    expect(hash32('督办')).toBe(hash32('督办'));
  });
});

describe('the injected errors', () => {
  it('are what the SDK retry strategy classifies as throttling, like the real DynamoDB answers', () => {
    // Prepare
    const errors = [ddbThrottlingError(0.1), ddbThrottlingError(0.9)];

    // Assess
    expect(errors.map((e) => e.name)).toEqual(['ProvisionedThroughputExceededException', 'ThrottlingException']);
    for (const e of errors) {
      expect(isThrottlingError(sdk(e))).toBe(true);
      expect(e.$metadata.httpStatusCode).toBe(400);
      expect(e.$fault).toBe('client');
    }
  });

  it('look like SES Throttling and 5xx answers to the SDK and to our mailer', () => {
    // Prepare
    const throttle = sesThrottlingError();
    const [unavailable, internal] = [sesServerError(0.1), sesServerError(0.9)];

    // Assess
    expect(throttle).toMatchObject({ name: 'Throttling', message: 'Maximum sending rate exceeded.', $fault: 'client' });
    expect(throttle.$metadata.httpStatusCode).toBe(400);
    expect(isThrottlingError(sdk(throttle))).toBe(true);
    expect(unavailable).toMatchObject({ name: 'ServiceUnavailable', $fault: 'server' });
    expect(unavailable.$metadata.httpStatusCode).toBe(503);
    expect(internal).toMatchObject({ name: 'InternalFailure', $fault: 'server' });
    expect(internal.$metadata.httpStatusCode).toBe(500);
    expect(isTransientError(sdk(unavailable))).toBe(true);
    expect(isTransientError(sdk(internal))).toBe(true);
    for (const e of [throttle, unavailable, internal]) expect(isRetryableSesError(e)).toBe(true);
  });
});
