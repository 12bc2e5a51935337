import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { lambdaEsbuildOptions, REPO_ROOT } from './lambdaBundling.js';

/**
 * Lambda entries whose cold start matters most (they run for every stage and every notice): they parse with zod/mini,
 * and full zod must not enter their bundles. `npm run lint` bundles each exactly as the CDK does and
 * fails naming the chain of imports that pulled full zod in. Type-only imports vanish in the bundle, so
 * only value imports count — what esbuild's metafile lists is what the function loads.
 */
export const LEAN_ENTRIES: readonly string[] = ['functions/dispatch.ts', 'functions/dispatch-worker.ts'];

/** Full zod: the `zod` and `zod/v4` entry points and the classic API they load (zod/mini shares the rest). */
const FULL_ZOD = /(^|\/)node_modules\/zod\/(index\.|v4\/index\.|v4\/classic\/)/;

/** The chain of inputs from `entry` to the first input that matches `bad`, or undefined. */
export function pathTo(metafile: Metafile, entry: string, bad: RegExp): string[] | undefined {
  const seen = new Set<string>([entry]);
  const queue: string[][] = [[entry]];
  while (queue.length > 0) {
    const chain = queue.shift() as string[];
    const last = chain.at(-1) as string;
    if (bad.test(last)) return chain;
    for (const next of metafile.inputs[last]?.imports ?? []) {
      if (next.external || seen.has(next.path)) continue;
      seen.add(next.path);
      queue.push([...chain, next.path]);
    }
  }
  return undefined;
}

/** Each lean entry that reaches full zod, with the chain that brought it in. */
export async function leanBundleViolations(entries = LEAN_ENTRIES, rootDir = REPO_ROOT): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of entries) {
    const { metafile } = await build({
      ...lambdaEsbuildOptions(),
      absWorkingDir: rootDir,
      entryPoints: [join(rootDir, entry)],
      write: false,
      outfile: 'out.mjs',
    });
    const chain = metafile && pathTo(metafile, entry, FULL_ZOD);
    if (chain) problems.push(`${entry} bundles full zod (use zod/mini in its graph):\n  ${chain.join('\n  → ')}`);
  }
  return problems;
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  const problems = await leanBundleViolations();
  for (const problem of problems) console.error(`error lean-lambda-bundle: ${problem}`);
  if (problems.length === 0) console.log(`✔ lean Lambda bundles: ${LEAN_ENTRIES.join(', ')} load no full zod`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
