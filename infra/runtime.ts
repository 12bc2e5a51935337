/**
 * The one Node.js major the project runs on: the Lambda functions, their esbuild target, and every npm
 * script (the `node` devDependency puts this major first on the scripts' PATH, whatever the system's
 * Node is). Constructs, the bundle benchmark and the tests read it here; a test holds the `node`
 * devDependency and the test process itself to it.
 */
export const NODE_MAJOR = 24;

/** The Lambda runtime identifier (`Runtime.NODEJS_24_X`). */
export const LAMBDA_RUNTIME_NAME = `nodejs${NODE_MAJOR}.x`;

/** What esbuild compiles the handlers for. */
export const ESBUILD_TARGET = `node${NODE_MAJOR}`;
