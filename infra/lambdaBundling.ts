import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { ESBUILD_TARGET } from './runtime.js';

/** The repository root: esbuild bundles from here with the repo's own lock file, never in Docker. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Some bundled dependencies are CommonJS and call `require` for Node built-ins; an ESM bundle has no
 * `require`, so the banner provides one.
 */
export const REQUIRE_BANNER =
  "import { createRequire as __dubanCreateRequire } from 'node:module'; const require = __dubanCreateRequire(import.meta.url);";

/**
 * The esbuild options `NodejsFunction` passes for DubanFunction's `bundling` (aws-cdk-lib 2.276's
 * Bundling.buildEsbuildArgs): ESM for the project's Node, platform node, minified, source map without
 * sources, UTF-8 output (DubanFunction sets `charset: UTF8`: the notices' Chinese stays three bytes a
 * character instead of a six-byte \u escape), the `require` banner, main fields module,main, nothing external
 * (the SDK is bundled). The construct and the tools that measure or check bundles (bench, lint) read them here.
 */
export const lambdaEsbuildOptions = (): BuildOptions => ({
  bundle: true,
  target: ESBUILD_TARGET,
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  charset: 'utf8',
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_BANNER },
  external: [],
  absWorkingDir: REPO_ROOT,
  logLevel: 'silent',
  metafile: true,
});
