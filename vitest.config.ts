import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs everything that needs only `npm install`; `npm run test:browser` runs the tests that
 * load the report in Debian's headless Chromium (*.chromium.test.ts), which CI installs.
 */
const browser = process.env.DUBAN_TESTS === 'browser';
const CHROMIUM_TESTS = 'test/**/*.chromium.test.ts';

export default defineConfig({
  test: {
    include: browser ? [CHROMIUM_TESTS] : ['test/**/*.test.ts'],
    exclude: browser ? [] : [CHROMIUM_TESTS],
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: most files wait on child processes, dynalite and SES rather than compute.
    maxWorkers: 2,
  },
});
