// The architecture's rules, checked by `npm run arch` (part of `npm test`).
// Each rule says why it exists; a violation prints the rule's name, the
// import that broke it, and the why. Type-only imports count: a layer that
// needs another's types depends on it as much as one that calls it.
//
// Layers: bindings/ (the native TIPC API) and codecs/ are leaves below core/;
// core/transport-contract/ is what every transport implements and what the
// layers above use; core/transports/<kind>/ are the implementations; cli/
// is a user of the package. errors/ (typed errors shared by bindings/ and
// core/) is the one folder everything may import.

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'No import circles, not even type-only ones: the modules of a circle cannot be understood, tested ' +
        'or loaded one without the others, and their evaluation order is an accident.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'bindings-is-a-leaf',
      comment:
        'bindings/ is a faithful TIPC socket API and knows nothing of topics, transports, codecs or the CLI, ' +
        'so it can be used (and published) on its own.',
      severity: 'error',
      from: { path: '^bindings/' },
      to: { path: '^(core|codecs|cli)/' },
    },
    {
      name: 'codecs-is-a-leaf',
      comment: 'codecs/ turns values into bytes and back; it knows nothing of transports, the binding or the CLI.',
      severity: 'error',
      from: { path: '^codecs/' },
      to: { path: '^(core|bindings|cli)/' },
    },
    {
      name: 'contract-names-no-transport',
      comment:
        'The Transport contract is what every transport implements; it names none of them. ' +
        'Transports register themselves (core/transports/registry.ts).',
      severity: 'error',
      from: { path: '^core/transport-contract/' },
      to: { path: '^core/transports/' },
    },
    {
      name: 'only-tipc-reaches-bindings',
      comment:
        'Within core/, only the tipc transport talks to the kernel binding; everything else works on any ' +
        'transport, including where the kernel has no TIPC.',
      severity: 'error',
      from: { path: '^core/', pathNot: '^core/transports/tipc/' },
      to: { path: '^bindings/' },
    },
    {
      name: 'transports-apart',
      comment:
        'A transport does not import another (udp and memory above all: they share code through ' +
        'core/transports/shared/ and the contract, never directly), so each can change on its own.',
      severity: 'error',
      from: { path: '^core/transports/([^/]+)/' },
      to: { path: '^core/transports/[^/]+/', pathNot: '^core/transports/($1|shared)/' },
    },
    {
      name: 'cli-uses-public-entries',
      comment:
        'cli/ uses the package as its users do: only the entries of package.json "exports" ' +
        '(core/index.ts, bindings/index.ts, codecs/index.ts), so it breaks when they would.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^(core|bindings|codecs)/', pathNot: '^(core|bindings|codecs)/index\\.ts$' },
    },
    {
      name: 'errors-is-a-leaf',
      comment:
        'errors/ holds the typed errors that bindings/ and core/ share; anything may import it, ' +
        'and it imports nothing of the project, so it can never be part of a circle.',
      severity: 'error',
      from: { path: '^errors/' },
      to: { pathNot: '^errors/', dependencyTypes: ['local'] },
    },
  ],
  options: {
    // The package's own modules; tests and benchmarks may reach any internal.
    includeOnly: '^(core|bindings|codecs|cli|errors)/',
    exclude: { path: '\\.test\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    // Count type-only imports (see above).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    skipAnalysisNotInRules: true,
  },
}
