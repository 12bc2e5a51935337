import type { TestProject } from 'vitest/node';
import { startEmbeddedStack } from '../../cli/local/embeddedStack.js';

/** One dynalite and one local SES for the whole run; each test file makes its own table (see stack.ts). */
export default async function setup(project: TestProject) {
  const stack = await startEmbeddedStack({ tableName: 'duban-global' });
  project.provide('stack', {
    region: stack.region,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    sesEndpoint: stack.sesEndpoint,
  });
  return async () => {
    await stack.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { region: string; dynamodbEndpoint: string; sesEndpoint: string };
  }
}
