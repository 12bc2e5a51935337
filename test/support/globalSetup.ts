import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { startEmbeddedStack } from '../../shared/adapters/local/embeddedStack.js';

/**
 * Where the CLI is built for the tests: inside the repository, so its package imports resolve to
 * node_modules as the CLI's own do.
 */
const CLI_BUNDLE = join('node_modules', '.cache', 'duban-test', 'cli.mjs');

/**
 * One dynalite and one local SES for the whole run; each test file makes its own table (see stack.ts).
 * And the CLI, built once: the tests spawn it some eighty times, and tsx compiling `cli/main.ts` at
 * each start costs about a second of CPU that an esbuild bundle of the same sources (packages left
 * as imports) does not. `npm run cli` itself still runs through tsx, and test/cli/plan.test.ts runs
 * that exact path too.
 */
export default async function setup(project: TestProject) {
  mkdirSync(join('node_modules', '.cache', 'duban-test'), { recursive: true });
  await build({
    entryPoints: ['cli/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: CLI_BUNDLE,
    logLevel: 'warning',
  });
  const stack = await startEmbeddedStack({ tableName: 'duban-global' });
  project.provide('stack', {
    region: stack.region,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    sesEndpoint: stack.sesEndpoint,
  });
  project.provide('cliBundle', CLI_BUNDLE);
  return async () => {
    await stack.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { region: string; dynamodbEndpoint: string; sesEndpoint: string };
    /** The CLI built from cli/main.ts: `node <cliBundle> <command…>` is `npm run -s cli -- <command…>`. */
    cliBundle: string;
  }
}
