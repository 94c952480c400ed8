/**
 * The stages of src/, in the order data flows through them (docs/architecture.md). A module may
 * import its own stage and the stages before it, never a later one; util/ is shared by all.
 * test/architecture/layers.test.ts runs these rules with `npm test`; `npx depcruise src` shows
 * the same from the command line.
 */
const STAGES = ['util', 'capture', 'decode', 'flow', 'inspect', 'catalog', 'classify', 'store', 'audit', 'firewall', 'report', 'pipeline', 'cli'];

const laterThan = (i) => STAGES.slice(i + 1);


module.exports = {
  forbidden: [
    ...STAGES.slice(0, -1).map((stage, i) => ({
      name: `${stage}-imports-later-stage`,
      comment: `${stage}/ comes before ${laterThan(i).join(', ')}: it must not import them (data flows one way).`,
      severity: 'error',
      from: { path: `^src/${stage}/` },
      to: { path: `^src/(${laterThan(i).join('|')})/` },
    })),
    {
      name: 'unknown-stage',
      comment: 'Every module of src/ belongs to a stage folder listed in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${STAGES.join('|')})/` },
      to: {},
    },
    {
      name: 'classifier-built-by-pipeline',
      comment: 'A classifier is built by the pipeline (or inside classify/); other stages are handed one.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(classify|pipeline)/' },
      to: { path: '^src/classify/classifier[.]ts$' },
    },
    {
      name: 'store-behind-interface',
      comment: 'Outside store/, the store is the FlowStore interface (store/types.ts), opened by store/open-store.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: '^src/store/sqlite-store[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'Modules form no import cycle, inside a stage either.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
