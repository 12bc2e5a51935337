/**
 * The architecture's arrows, enforced by `npm run lint` (dependency-cruiser).
 * domain ← handlers ← functions / cli / sim; adapters implement the domain's ports; only adapters (and the
 * measuring tools in sim/ and bench/) talk to an SDK; nothing in shared/ reaches the tools.
 * TypeScript and TSX are read through babel (.babelrc.depcruise.json, used by nothing else): the imports counted are the ones
 * TypeScript keeps, `import type` excluded.
 */
const SDK = '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|aws-cdk-lib|constructs)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both need to where the arrows point one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'shared/domain depends only on its own ports: no SDK, adapter, handler, web page, tool, or file system.',
      from: { path: '^shared/domain/' },
      to: { path: [SDK, '^shared/(adapters|handlers|web)/', '^(cli|sim|bench|infra|functions)/'] },
    },
    {
      name: 'domain-has-no-file-system',
      severity: 'error',
      comment: 'shared/domain reads no files: a store (adapter) does.',
      from: { path: '^shared/domain/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?fs(/promises)?$' },
    },
    {
      name: 'shared-never-reaches-the-tools',
      severity: 'error',
      comment: 'Production code (shared/) must not import the CLI, the simulation or the benchmarks.',
      from: { path: '^shared/' },
      to: { path: '^(cli|sim|bench)/' },
    },
    {
      name: 'only-adapters-talk-to-aws',
      severity: 'error',
      comment: 'Handlers, Lambda entries and the CLI reach AWS through shared/adapters, never an SDK directly.',
      from: { path: '^(shared/handlers|functions|cli)/' },
      to: { path: SDK },
    },
    {
      name: 'handlers-know-ports-not-adapters',
      severity: 'error',
      comment:
        'A handler takes its stores and clients as ports; the composition root (functions/, cli/) wires adapters.',
      from: { path: '^shared/handlers/' },
      to: { path: '^shared/adapters/' },
    },
    {
      name: 'web-is-presentation',
      severity: 'error',
      comment: 'Pages and components (shared/web) render what a handler gives them: no adapter, handler or SDK.',
      from: { path: '^shared/web/' },
      to: { path: [SDK, '^shared/(adapters|handlers)/', '^(cli|sim|bench|infra|functions)/'] },
    },
    {
      name: 'adapters-do-not-call-handlers',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: '^shared/(handlers|web)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    babelConfig: { fileName: '.babelrc.depcruise.json' },
    enhancedResolveOptions: {
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    exclude: { path: '^cdk\\.out/' },
  },
};
