// The `tipc-rx` binary as one file: dist/cli/tipc-rx.js, package.json's
// "bin", bundled by esbuild from the compiled dist/cli/main.js with
// everything it imports (core, codecs, bindings' JavaScript, yargs, avsc,
// rxjs).
//
//   node tools/bundle-cli.mjs [--dist DIR]     (default: dist/ of this checkout)
//
// Why: a command's start was mostly module loading. Unbundled, `tipc-rx
// --version` loads about 450 files (181 of core, 224 of rxjs) with some 8,900
// syscalls, against about 1,000 bundled; in the kernel suite's UML guest,
// where every syscall is slow, a start took 4.4 s against 2.0 s bundled
// (medians; bare node 1.0 s), and 508 against 255 ms on a host
// (docs/benchmarks.md, "CLI start-up"). The library's entry points stay
// unbundled: an application's own bundler or loader takes them as they are.
//
// Not bundled: the native addon (node-gyp-build finds it at run time from
// the package root, as the unbundled code does) and nothing else. A banner
// gives the bundle a `require` of its own, for the CommonJS packages inside
// it (avsc) that require Node's built-ins.
import { build } from 'esbuild'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { pruneSources } from './source-map-prune.mjs'

const { values } = parseArgs({ options: { dist: { type: 'string', default: 'dist' } } })
const dist = resolve(values.dist)
const outfile = join(dist, 'cli', 'tipc-rx.js')

await build({
  entryPoints: [join(dist, 'cli', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  banner: { js: "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);" },
  // esbuild follows the compiled files' own maps back to the TypeScript, and
  // carries the sources, as every map the package ships does.
  sourcemap: 'linked',
  sourcesContent: true,
  logLevel: 'warning',
})
chmodSync(outfile, 0o755)
// Only our own code is mapped (to the TypeScript): see source-map-prune.mjs.
const map = JSON.parse(readFileSync(`${outfile}.map`, 'utf8'))
writeFileSync(`${outfile}.map`, JSON.stringify(pruneSources(map, source => source.includes('node_modules/'))))
