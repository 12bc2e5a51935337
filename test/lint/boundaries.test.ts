import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAN_ENTRIES, leanBundleViolations } from '../../infra/leanBundles.js';

/**
 * `npm run lint` holds the architecture's arrows. Each rule is shown to bite: violations are planted in a
 * temporary copy of the tree (the repository itself is never touched) and the same checks run on it.
 */
const REPO = resolve('.');
const TREES = ['shared', 'functions', 'cli', 'sim', 'bench', 'infra', 'types', 'test/support'];
const FILES = ['tsconfig.json', '.dependency-cruiser.cjs', '.babelrc.depcruise.json', 'package.json'];
/** What `npm run lint:arrows` cruises. */
const GLOB = '{shared,functions,cli,sim,bench,infra,test/support}/**/*.{ts,tsx}';

/** Each planted violation: the file, the line appended to it, and the rule that must name it. */
const PLANTED = [
  { file: 'shared/domain/log.ts', line: "import '@aws-sdk/client-ses';", rule: 'domain-is-pure' },
  { file: 'shared/domain/redact.ts', line: "import '../adapters/aws/clients.js';", rule: 'domain-is-pure' },
  { file: 'shared/domain/errors.ts', line: "import '../handlers/http.js';", rule: 'domain-is-pure' },
  { file: 'shared/domain/board/lights.ts', line: "import '../../../sim/result.js';", rule: 'domain-is-pure' },
  {
    file: 'shared/domain/retry.ts',
    line: "import { readFileSync } from 'node:fs';\nexport const planted = readFileSync;",
    rule: 'domain-has-no-file-system',
  },
  { file: 'shared/handlers/http.ts', line: "import '../../cli/io.js';", rule: 'shared-never-reaches-the-tools' },
  {
    file: 'shared/adapters/powertoolsLog.ts',
    line: "import '../../bench/round.js';",
    rule: 'shared-never-reaches-the-tools',
  },
  { file: 'cli/target.ts', line: "import '@aws-sdk/client-dynamodb';", rule: 'only-adapters-talk-to-aws' },
  { file: 'shared/domain/time/wallClock.ts', line: "import '../plan/ladder.js';", rule: 'no-circular' },
] as const;

describe('the architecture lint', () => {
  let copy: string;
  beforeAll(() => {
    // Prepare: a copy of the tree with every violation planted, sharing the repository's node_modules.
    copy = mkdtempSync(join(tmpdir(), 'duban-lint-'));
    for (const path of [...TREES, ...FILES]) cpSync(join(REPO, path), join(copy, path), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
    for (const { file, line } of PLANTED) appendFileSync(join(copy, file), `\n${line}\n`);
    appendFileSync(
      join(copy, 'shared/domain/dispatch/dispatch.ts'),
      "\nimport { z as plantedZod } from 'zod';\nexport const planted = plantedZod.string();\n",
    );
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('fails on each planted import: SDK, adapter, handler, tool or file system in the domain, tools in shared/, AWS outside adapters, a cycle', () => {
    // Act
    const run = spawnSync(
      process.execPath,
      [
        join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        '--config',
        '.dependency-cruiser.cjs',
        GLOB,
      ],
      { cwd: copy, encoding: 'utf8' },
    );

    // Assess
    expect(run.status).not.toBe(0);
    // A violation is reported from its file; a cycle from wherever the walk entered it, naming the file on the way.
    for (const { file, rule } of PLANTED) {
      expect(run.stdout).toMatch(
        new RegExp(rule === 'no-circular' ? `error ${rule}: [^]*${file}` : `error ${rule}: ${file}`),
      );
    }
    // depcruise over a copy of the tree, twice: past 30 s on a loaded machine.
  }, 90_000);

  it('fails when a lean Lambda entry reaches full zod, naming the chain', async () => {
    // Act
    const problems = await leanBundleViolations(LEAN_ENTRIES, copy);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('functions/dispatch.ts bundles full zod');
    expect(problems[0]).toContain('shared/domain/dispatch/dispatch.ts');
  });
});
