// The `tipc-rx` binary is one file (tools/bundle-cli.mjs): what package.json's
// "bin" names, importing nothing of its own at run time, and mapped back to
// our TypeScript only, every source carried in the map.
import { accessSync, constants, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import t from 'tap'
import { bin, ensureBuilt, root } from '../cli/tipc-rx-bin.js'

ensureBuilt()

t.test('package.json installs the bundle as tipc-rx, executable', async t => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> }
  t.equal(`${root}${pkg.bin['tipc-rx']!.replace(/^\.\//, '')}`, bin)
  t.doesNotThrow(() => accessSync(bin, constants.X_OK), 'executable')
  t.match(readFileSync(bin, 'utf8').split('\n', 1)[0], /^#!\/usr\/bin\/env node$/, 'starts with the shebang')
})

t.test('the bundle imports only Node built-ins (the addon is found at run time)', async t => {
  const code = readFileSync(bin, 'utf8')
  const specifiers = new Set([...code.matchAll(/^\s*import\s[^'"]*?from\s*["']([^"']+)["']/gm), ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm)]
    .map(m => m[1]!))
  const builtins = new Set(builtinModules)
  const notBuiltin = [...specifiers].filter(s => !s.startsWith('node:') && !builtins.has(s))
  t.same(notBuiltin, [], `static imports: ${[...specifiers].join(', ')}`)
  t.ok(specifiers.size > 0, 'the pattern finds the imports it looks for')
})

t.test('the source map names our TypeScript only, each with its content', async t => {
  const map = JSON.parse(readFileSync(`${bin}.map`, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[]; mappings: string }
  t.ok(map.sources.length > 100, `${map.sources.length} sources`)
  t.same(map.sources.filter(s => !/^\.\.\/\.\.\/(cli|core|codecs|bindings|errors)\/.+\.ts$/.test(s)), [], 'every source is one of ours, in .ts')
  t.equal(map.sourcesContent?.length, map.sources.length)
  t.same(map.sources.filter((_, i) => typeof map.sourcesContent?.[i] !== 'string'), [], 'every source carried')
  t.ok(map.sources.includes('../../cli/main.ts') && map.sources.includes('../../core/pubsub/bus.ts'), 'the entry and the topic layer are mapped')
})
