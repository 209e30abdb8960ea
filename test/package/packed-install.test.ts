// The package as a user gets it: `npm pack`, then `npm install` of the
// tarball into a new project on a machine with no C++ toolchain (PATH holds
// node and sh only, so node-gyp could find no compiler, make or Python). The
// addon must load from prebuilds/ without compiling, the binary must run, and
// what ships must stand on its own (LICENSE, docs, source maps with their
// sources). The install is offline: the project already holds the package's
// dependencies, copied from the repository's node_modules with their command
// links, as an earlier install would have left them.
import t from 'tap'
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { ensureBuilt, root } from '../cli/tipc-rx-bin.js'
import { runtimeDependencies } from './runtime-dependencies.js'

const ownPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string }

/** npm's own script (npm-cli.js), run with this node: the `npm` on PATH may be a shell wrapper. */
function npmCli(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'npm'))) return realpathSync(join(dir, 'npm'))
  }
  throw new Error('npm is not on PATH')
}

const work = mkdtempSync(join(tmpdir(), 'tipc-rx-pack-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

// A PATH with node and a shell and nothing else: npm runs the install script
// with sh, and node-gyp-build would fall back to node-gyp, which would find no
// compiler there.
const bin = join(work, 'bin')
mkdirSync(bin)
symlinkSync(process.execPath, join(bin, 'node'))
symlinkSync('/bin/sh', join(bin, 'sh'))
const bareEnv: NodeJS.ProcessEnv = {
  PATH: bin,
  HOME: work,
  npm_config_cache: join(work, 'npm-cache'),
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
}
const run = (file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> =>
  spawnSync(file, args, { cwd, env, encoding: 'utf8', timeout: 60_000 })
const output = (r: SpawnSyncReturns<string>): string => `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}`

t.test('the prebuilt addon was built from the C++ sources of this commit', async t => {
  const r = run(process.execPath, [join(root, 'tools', 'prebuild.mjs'), '--check'], root, process.env)
  t.equal(r.status, 0, 'node tools/prebuild.mjs --check', { output: output(r) })
})

t.test('npm pack, then npm install of the tarball without a compiler', async t => {
  ensureBuilt()
  // --ignore-scripts: dist/ is built (ensureBuilt); `prepare` would delete and
  // rebuild it under the feet of the other tests that run it.
  const pack = run(process.execPath, [npmCli(), 'pack', '--ignore-scripts', '--json', '--pack-destination', work], root, { ...process.env, ...bareEnv, PATH: process.env.PATH })
  t.equal(pack.status, 0, 'npm pack', { output: output(pack) })
  const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }]
  const files = packed.files.map(f => f.path)
  for (const needed of ['LICENSE', 'README.md', 'package.json', 'prebuilds/linux-x64/tipc-rx.glibc.node',
    'dist/cli/tipc-rx.js', 'dist/core/index.js', 'dist/core/index.d.ts', 'docs/pubsub.md', 'binding.gyp']) {
    t.ok(files.includes(needed), `ships ${needed}`)
  }
  t.same(files.filter(f => /^(test|bench|tools|examples|build)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts'))), [],
    'no tests, tools, examples, local builds or TypeScript sources')
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const links = new Set([...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map(m => m[1] as string))
  t.same([...links].filter(link => !files.includes(link)), [], `the README's links to docs/ (${links.size}) are in the package`)

  const project = join(work, 'app')
  mkdirSync(join(project, 'node_modules'), { recursive: true })
  const dependencies: Record<string, string> = {}
  for (const d of runtimeDependencies(root)) {
    cpSync(d.dir, join(project, d.path), { recursive: true, dereference: true })
    if (d.path === join('node_modules', d.name)) dependencies[d.name] = d.version
    // npm counts a package whose command links are missing as broken and
    // fetches it again.
    const bins = join(project, dirname(d.path), '.bin')
    mkdirSync(bins, { recursive: true })
    for (const [command, file] of Object.entries(d.bin)) symlinkSync(join('..', d.name, file), join(bins, command))
  }
  // Another package.json in the working directory: --version must not read it.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '9.9.9', private: true, type: 'module', dependencies }, null, 2))

  const toolchain = run('/bin/sh', ['-c', 'command -v g++ c++ cc gcc make python3 python'], project, bareEnv)
  t.equal(toolchain.stdout, '', 'no compiler, make or Python on the install\'s PATH')

  // --legacy-peer-deps: rxjs, the peer dependency, is installed already, and
  // npm 11 would ask the registry for its manifest all the same.
  const install = run(process.execPath, [npmCli(), 'install', '--foreground-scripts', '--legacy-peer-deps', join(work, packed.filename)], project, bareEnv)
  t.equal(install.status, 0, 'npm install of the tarball', { output: output(install) })
  const installed = join(project, 'node_modules', 'tipc-rx')
  t.notOk(existsSync(join(installed, 'build')), 'nothing was compiled (no build/)')

  const load = run(process.execPath, ['--input-type=module', '-e', `
    import { createRequire } from 'node:module'
    import { isTipcAvailable } from 'tipc-rx/bindings'
    const from = createRequire(import.meta.url)('node-gyp-build').resolve('node_modules/tipc-rx')
    console.log(JSON.stringify({ from, tipc: isTipcAvailable() }))`], project, bareEnv)
  t.equal(load.status, 0, 'loading tipc-rx/bindings', { output: output(load) })
  const loaded = JSON.parse(load.stdout) as { from: string; tipc: { available: boolean; code?: string } }
  t.equal(loaded.from, join(installed, 'prebuilds', 'linux-x64', 'tipc-rx.glibc.node'), 'the addon comes from prebuilds/')
  t.not(loaded.tipc.code, 'ERR_TIPC_ADDON', `the addon loads (TIPC itself: ${JSON.stringify(loaded.tipc)})`)

  const version = run(join(project, 'node_modules', '.bin', 'tipc-rx'), ['--version'], project, bareEnv)
  t.equal(version.status, 0, 'tipc-rx --version', { output: output(version) })
  t.equal(version.stdout.trim(), ownPackage.version, 'the installed binary prints its own version, not the project\'s 9.9.9')

  const maps = readdirSync(join(installed, 'dist'), { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.map'))
  t.ok(maps.length > 0, `${maps.length} source maps`)
  const withoutSources = maps.filter(f => {
    const map = JSON.parse(readFileSync(join(installed, 'dist', f), 'utf8')) as { sources: string[]; sourcesContent?: unknown[] }
    return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some(s => typeof s !== 'string')
  })
  t.same(withoutSources, [], 'every source map carries the sources it maps to')
})
