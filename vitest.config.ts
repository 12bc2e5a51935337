import { defineConfig } from 'vitest/config';

/**
 * Three lanes:
 * - `unit` (`npm run test:fast`): the domain and units on in-memory ports and fakes, no stand-in, no child
 *   process; seconds.
 * - `stack` and `infra`: everything else `npm test` runs — the real SDK clients against one dynalite and one local SES
 *   started by globalSetup, the CLI in its own processes, the CDK app, the security corpus.
 * - `browser` (`npm run test:browser`): pages in Debian's headless Chromium (*.chromium.test.ts), which CI installs.
 */
const CHROMIUM_TESTS = 'test/**/*.chromium.test.ts';
const shared = {
  setupFiles: ['test/support/setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    pool: 'forks',
    // Both cores: most stack files wait on child processes, dynalite and SES rather than compute.
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'stack',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', 'test/infra/**', CHROMIUM_TESTS],
          globalSetup: ['test/support/globalSetup.ts'],
        },
      },
      // The CDK app's tests share one module graph per worker (aws-cdk-lib takes seconds to load, once):
      // each file builds its own App, and nothing in them keeps state at module level.
      { test: { ...shared, name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false } },
      {
        test: { ...shared, name: 'browser', include: [CHROMIUM_TESTS], globalSetup: ['test/support/globalSetup.ts'] },
      },
    ],
  },
});
