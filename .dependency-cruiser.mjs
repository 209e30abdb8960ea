// The architecture's rules, checked by `npm run arch` (part of `npm test`).
// Each rule says why it exists; a violation prints the rule's name, the
// import that broke it, and the why. Type-only imports count: a layer that
// needs another's types depends on it as much as one that calls it.
//
// Layers: bindings/ (the native TIPC API) and codecs/ are leaves below core/;
// core/transport-contract/ is what every transport implements and what the
// layers above use; core/transports/<kind>/ are the implementations;
// core/pubsub/ (the topic layer), core/streams/ (SEQPACKET streams) and
// core/reqrep/ (request/reply), which the Bus hands out, stand on the contract alone; cli/ is a
// user of the package. errors/ (typed errors shared by bindings/ and
// core/) is the one folder everything may import.

/** A forbidden dependency: its name, why (printed with each violation), and which imports. */
const forbid = (name, why, from, to) => ({ name, comment: why, severity: 'error', from, to })

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    forbid('no-circular',
      'No import circles, not even type-only ones: the modules of a circle cannot be understood, tested ' +
      'or loaded one without the others, and their evaluation order is an accident.',
      {}, { circular: true }),
    forbid('bindings-is-a-leaf',
      'bindings/ is a faithful TIPC socket API and knows nothing of topics, transports, codecs or the CLI, ' +
      'so it can be used (and published) on its own.',
      { path: '^bindings/' }, { path: '^(core|codecs|cli)/' }),
    forbid('codecs-is-a-leaf',
      'codecs/ turns values into bytes and back; it knows nothing of transports, the binding or the CLI.',
      { path: '^codecs/' }, { path: '^(core|bindings|cli)/' }),
    forbid('contract-names-no-transport',
      'The Transport contract is what every transport implements; it names none of them. ' +
      'Transports register themselves (core/transports/registry.ts).',
      { path: '^core/transport-contract/' }, { path: '^core/transports/' }),
    forbid('only-tipc-reaches-bindings',
      'Within core/, only the tipc transport talks to the kernel binding; everything else works on any ' +
      'transport, including where the kernel has no TIPC. One exception, below: the udp transport\'s node socket.',
      { path: '^core/', pathNot: '^core/transports/(tipc/|udp/native-node-socket\\.ts$)' }, { path: '^bindings/' }),
    forbid('udp-node-socket-reaches-only-the-udp-socket',
      'The udp transport\'s node socket (core/transports/udp/native-node-socket.ts) uses the addon\'s UDP ' +
      'socket (bindings/udp-socket.ts), which needs no TIPC, and the transport falls back to node:dgram where ' +
      'the addon does not load. That one module of bindings/ is its only way in.',
      { path: '^core/transports/udp/native-node-socket\\.ts$' }, { path: '^bindings/', pathNot: '^bindings/udp-socket\\.ts$' }),
    forbid('transports-apart',
      'A transport does not import another (udp and memory above all: they share code through ' +
      'core/transports/shared/ and the contract, never directly), so each can change on its own.',
      { path: '^core/transports/([^/]+)/' }, { path: '^core/transports/[^/]+/', pathNot: '^core/transports/($1|shared)/' }),
    forbid('cli-uses-public-entries',
      'cli/ uses the package as its users do: only the entries of package.json "exports" ' +
      '(core/index.ts, bindings/index.ts, codecs/index.ts), so it breaks when they would.',
      { path: '^cli/' }, { path: '^(core|bindings|codecs)/', pathNot: '^(core|bindings|codecs)/index\\.ts$' }),
    forbid('pubsub-above-the-contract',
      'The topic layer (core/pubsub/) works on any transport through the contract: it may import only ' +
      'itself, core/transport-contract/, codecs/index.ts and errors/ (never a transport, the binding or the CLI), ' +
      'so it is tested on the memory transport and runs unchanged on tipc and udp. It may also import ' +
      'core/streams/ and core/reqrep/ (the Bus hands out streams and request/reply on its transport), ' +
      'which stand on the contract alone.',
      { path: '^core/pubsub/' },
      { path: '^(core|bindings|codecs|cli|errors)/', pathNot: '^(core/pubsub/|core/streams/|core/reqrep/|core/transport-contract/|codecs/index\\.ts$|errors/)' }),
    forbid('streams-above-the-contract',
      'SEQPACKET streams (core/streams/) work on any transport through the contract: they may import only ' +
      'themselves, core/transport-contract/, codecs/index.ts and errors/ (not the topic layer: the Bus ' +
      'delegates to them, so an import back would be a circle; not a transport, the binding or the CLI), ' +
      'so they are tested on the memory transport and run unchanged on tipc and udp.',
      { path: '^core/streams/' },
      { path: '^(core|bindings|codecs|cli|errors)/', pathNot: '^(core/streams/|core/transport-contract/|codecs/index\\.ts$|errors/)' }),
    forbid('reqrep-above-the-contract',
      'Request/reply (core/reqrep/) works on any transport through the contract: it may import only ' +
      'itself, core/transport-contract/, codecs/index.ts, errors/, and from the topic layer only its name ' +
      'mappings (core/pubsub/topic-name.ts: topic and key hashes are one protocol-wide mapping). Nothing ' +
      'else of core/pubsub/: the Bus delegates to request/reply, so an import back would be a circle.',
      { path: '^core/reqrep/' },
      { path: '^(core|bindings|codecs|cli|errors)/', pathNot: '^(core/reqrep/|core/pubsub/topic-name\\.ts$|core/transport-contract/|codecs/index\\.ts$|errors/)' }),
    forbid('examples-use-the-package',
      'examples/ are programs a user could copy: they import tipc-rx by its name (package.json "exports", ' +
      'which resolve to dist/), never a source file of the repository.',
      { path: '^examples/' }, { path: '^(core|bindings|codecs|cli|errors|test)/' }),
    forbid('errors-is-a-leaf',
      'errors/ holds the typed errors that bindings/ and core/ share; anything may import it, ' +
      'and it imports nothing of the project, so it can never be part of a circle.',
      { path: '^errors/' }, { pathNot: '^errors/', dependencyTypes: ['local'] }),
  ],
  options: {
    // The package's own modules and the examples; tests and benchmarks may reach any internal.
    includeOnly: '^(core|bindings|codecs|cli|errors|examples)/',
    exclude: { path: '\\.test\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    // Count type-only imports (see above).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    skipAnalysisNotInRules: true,
  },
}
