import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RefusedError } from '../../cli/errors.js';
import { loadPlanFile } from '../../cli/io.js';
import { MAX_PLAN_BYTES, PlanValidationError, parsePlanText } from '../../shared/domain/plan/validate.js';
import { scenarioSchema } from '../../sim/scenario.js';
import { runCli } from '../support/cli.js';
import { issuesOf, SEED_TEXT, seedJson, zodIssuesOf } from './hostile.js';

const _ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPTH = 100_000;

/** `plan validate <file>` as a user runs it: exit code, stdout and stderr. */
const validateWithCli = (file: string) => runCli(['plan', 'validate', file], { timeout: 20_000 });

let dir: string;
let bigFile: string;
let bigText: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-hostile-'));
  // A well-formed plan whose title alone is ~33 MB, past the limit: if it were parsed, the title's length
  // would be the error.
  const plan = seedJson();
  plan.title = '督'.repeat(11_200_000);
  bigText = JSON.stringify(plan);
  bigFile = join(dir, 'big-plan.json');
  writeFileSync(bigFile, bigText);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a plan file larger than the 32 MB limit', () => {
  it('is refused by parsePlanText before JSON.parse runs', () => {
    // Prepare
    const parse = vi.spyOn(JSON, 'parse');
    const text = readFileSync(bigFile, 'utf8');

    // Act
    const issues = issuesOf(() => parsePlanText(text));
    const parseCalls = parse.mock.calls.length;
    parse.mockRestore();

    // Assess
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_PLAN_BYTES);
    expect(issues).toEqual([
      { path: '(file)', message: 'is larger than 32 MB; a plan of 50,000 units is about 20 MB' },
    ]);
    expect(parseCalls).toBe(0);
  });

  it('is refused by `plan validate` with one located line, exit code 1 and no stack trace', async () => {
    // Prepare
    const size = Buffer.byteLength(bigText);

    // Act
    const run = await validateWithCli(bigFile);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `(file): is ${size} bytes, more than the ${MAX_PLAN_BYTES} allowed`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('deeply nested JSON', () => {
  it('refuses 100,000 unclosed "[" as not JSON', () => {
    // Prepare
    const text = '['.repeat(DEPTH);

    // Act
    const issues = issuesOf(() => parsePlanText(text));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('(file)');
    expect(issues[0]?.message).toMatch(/^is not JSON: /);
  });

  it('refuses 100,000 closed levels of arrays as not a plan', () => {
    // Prepare
    const text = '['.repeat(DEPTH) + ']'.repeat(DEPTH);

    // Act
    const issues = issuesOf(() => parsePlanText(text));

    // Assess
    expect(issues).toEqual([{ path: '(plan)', message: 'Invalid input: expected object, received array' }]);
  });

  it('refuses a 100,000-level object where a list of days off belongs, at its path', () => {
    // Prepare
    const deep = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
    const text = SEED_TEXT.replace('"timezone"', `"holidays": {"off": ${deep}}, "timezone"`);

    // Act
    const issues = issuesOf(() => parsePlanText(text));

    // Assess
    expect(issues).toEqual([{ path: 'holidays.off', message: 'Invalid input: expected array, received object' }]);
  });

  it('refuses a 100,000-level array under a key a plan does not have', () => {
    // Prepare
    const text = SEED_TEXT.replace('"timezone"', `"extra": ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}, "timezone"`);

    // Act
    const issues = issuesOf(() => parsePlanText(text));

    // Assess
    expect(issues).toEqual([{ path: '(plan)', message: 'Unrecognized key: "extra"' }]);
  });

  it('refuses a 100,000-level array as a scenario edit, at its path', () => {
    // Prepare
    const deep = JSON.parse('['.repeat(DEPTH) + ']'.repeat(DEPTH));

    // Act
    const issues = zodIssuesOf(
      scenarioSchema.safeParse({ events: [{ at: '2021-05-31T09:00:00+08:00', submit: deep }] }),
    );

    // Assess
    expect(issues).toEqual([{ path: 'events[0].submit', message: 'Invalid input: expected object, received array' }]);
  });

  it('ends `plan validate` on a 100,000-level file with exit code 1, not a crash', async () => {
    // Prepare
    const file = join(dir, 'deep-plan.json');
    writeFileSync(file, '['.repeat(DEPTH) + ']'.repeat(DEPTH));

    // Act
    const run = await validateWithCli(file);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe('(plan): Invalid input: expected object, received array');
    expect(run.stderr).not.toMatch(/RangeError|Maximum call stack/);
  });
});

describe('a plan file in another encoding, or not a file at all', () => {
  const readIssue = (file: string) => {
    try {
      loadPlanFile(file);
    } catch (error) {
      if (error instanceof PlanValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
      if (error instanceof RefusedError) return [error.message];
      throw error;
    }
    return [];
  };

  it('reads a UTF-8 file that starts with a byte-order mark (as some Windows editors save it)', () => {
    // Prepare
    const file = join(dir, 'bom.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SEED_TEXT)]));

    // Act
    const plan = loadPlanFile(file);

    // Assess
    expect(plan.id).toBe('jiangmen-2021');
  });

  it('refuses a GBK file as not UTF-8 instead of reporting its mangled names', () => {
    // Prepare: "督办" in GBK is 0xB6BD 0xB0EC, which is not UTF-8.
    const file = join(dir, 'gbk.json');
    writeFileSync(file, Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xb6, 0xbd, 0xb0, 0xec, 0x22, 0x7d]));

    // Act
    const issues = readIssue(file);

    // Assess
    expect(issues).toEqual(['(file): is not UTF-8 text (save it as UTF-8; GBK and UTF-16 are not read)']);
  });

  it('refuses a directory in one line', () => {
    // Act
    const issues = readIssue(dir);

    // Assess
    expect(issues).toEqual([`${dir}: is not a file`]);
  });
});
