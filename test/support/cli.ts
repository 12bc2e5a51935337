import { inject } from 'vitest';

/** The arguments to `node` that run the CLI with `args`, as `npm run -s cli -- …args` does (see globalSetup). */
export const cliArgs = (...args: string[]): string[] => [inject('cliBundle'), ...args];
