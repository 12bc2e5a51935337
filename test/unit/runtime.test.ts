import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_MAJOR } from '../../infra/runtime.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

describe('one Node.js major everywhere', () => {
  it('runs the tests on the major the Lambdas run', () => {
    expect(major(process.versions.node)).toBe(NODE_MAJOR);
  });

  it('pins the Node binary the npm scripts run on, and states it as the floor', () => {
    expect(major(pkg.devDependencies.node ?? '')).toBe(NODE_MAJOR);
    expect(pkg.engines.node).toBe(`>=${NODE_MAJOR}`);
  });
});
