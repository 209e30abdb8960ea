#!/usr/bin/env node
// Compile test/ (and every source it imports) to plain JavaScript, once:
//
//   node tools/compile-tests.mjs [OUTDIR]      (default: .test-build/)
//
// tsc --noCheck (a transpile: the type check is `npm run typecheck`'s job)
// with source maps, rootDir the repository, so OUTDIR/test/x.test.js sits
// where test/x.test.ts does relative to OUTDIR/core/..., and its map points at
// the .ts. Every other file under test/ (schemas, corpora, .mjs fixtures,
// shell scripts) is linked into OUTDIR/test/, so a test's relative paths find
// its data there; a link, not a copy, so that a fixture's own relative import
// (test/cli/fixtures/cluster-peer.mjs imports ../../../dist/) resolves from
// its real place.
//
// OUTDIR must be inside the repository: compiled files find node_modules and
// the package root (tipc-rx's package.json: "type": "module", the addon's
// binding.gyp) by walking up. It is emptied first.
//
// Why: loading each test file through tap's TypeScript loader costs ~3 s of
// CPU per process (the compiler, then every source again); 200+ files on a
// 2-core CI machine spent most of npm test there. tools/test-compiled.mjs
// runs tap on the result.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const defaultOutDir = join(root, '.test-build')

/** Every file under `dir` (a path relative to the root), as root-relative paths. */
export function filesUnder(dir) {
  const found = []
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) found.push(...filesUnder(path))
    else found.push(path)
  }
  return found.sort()
}

/** OUTDIR/…/x.test.js for test/…/x.test.ts. */
export const compiledPath = (outDir, source) => join(outDir, source.replace(/\.ts$/, '.js'))

/** Compile into `outDir`; throws (with tsc's output) if tsc fails or a test file has no output. */
export function compileTests(outDir = defaultOutDir) {
  const out = resolve(outDir)
  const inside = relative(root, out)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`compile-tests: ${out} is not inside the repository ${root} (compiled files find node_modules and package.json by walking up)`)
  }
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
    extends: join(root, 'tsconfig.json'),
    compilerOptions: {
      rootDir: root, outDir: out, noEmit: false, noCheck: true,
      declaration: false, sourceMap: true, incremental: false,
    },
    include: [join(root, 'test/**/*.ts')],
    exclude: [],
  }, null, 2))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json')], { cwd: root, encoding: 'utf8' })
  // noCheck leaves only syntax and configuration errors: a file that does not parse is not a test that can run.
  if (r.status !== 0) throw new Error(`compile-tests: tsc failed\n${r.stdout}${r.stderr}`)
  const sources = filesUnder('test')
  for (const file of sources.filter(f => !f.endsWith('.ts'))) {
    const target = join(out, file)
    mkdirSync(dirname(target), { recursive: true })
    symlinkSync(join(root, file), target)
  }
  const tests = sources.filter(f => f.endsWith('.test.ts'))
  const missing = tests.filter(f => !existsSync(compiledPath(out, f)))
  if (missing.length > 0) throw new Error(`compile-tests: no output for ${missing.join(', ')}`)
  return { outDir: out, tests }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { outDir, tests } = compileTests(process.argv[2] ?? defaultOutDir)
    console.log(`compiled test/ (${tests.length} test files) into ${relative(root, outDir) || '.'}`)
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  }
}
