#!/usr/bin/env node
// The tap step of `npm test`: tap on a precompiled copy of test/.
//
//   node tools/test-compiled.mjs [TAP OPTION...] [test/FILE.test.ts...]
//
// Compiles test/ once (tools/compile-tests.mjs, into .test-build/), then runs
// tap on the compiled .test.js of every test/**/*.test.ts, or of the files
// named. Everything else on the command line goes to tap as it is
// (`--reporter=terse`, `--jobs=1`, ...). tap's settings in package.json still
// apply (timeout, coverage map: a compiled file's path keeps its test/<area>/
// parts, and its source map leads the coverage back to the .ts).
//
// `npx tap test/FILE.test.ts` still runs a file from source, through tap's
// TypeScript loader: no compile step, seconds slower per file. The compiled
// run keeps that loader (ts-node) out of its test processes.
//
// Measured (whole npm test on the shared 2-core VM, 207 files, both runs
// 14,685 assertions: 14,528 pass, 157 skip): from source 1,125 s of CPU,
// tap phase 1,636 s, 29:54 wall (load 0.2 rising to 10-13); precompiled
// 793-905 s of CPU, tap phase 1,051-1,567 s, 21:25-27:51 wall (load 7-16).
// A reqrep suite file through tap: 6.9 s of user CPU from .ts, 3.4 s from .js.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compileTests, compiledPath, defaultOutDir, root } from './compile-tests.mjs'

const args = process.argv.slice(2)
const isTestSource = arg => arg.endsWith('.test.ts') && existsSync(resolve(arg))
const named = args.filter(isTestSource).map(arg => relative(root, resolve(arg)))
const tapOptions = args.filter(arg => !isTestSource(arg))
const outside = named.filter(f => !f.startsWith('test/'))
if (outside.length > 0) {
  console.error(`test-compiled: only files under test/ are compiled: ${outside.join(', ')}`)
  process.exit(2)
}

let compiled
try {
  const started = Date.now()
  compiled = compileTests(defaultOutDir)
  console.log(`# compiled test/ (${compiled.tests.length} test files) into ${relative(root, compiled.outDir)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
}

const files = (named.length > 0 ? named : compiled.tests).map(f => relative(root, compiledPath(compiled.outDir, f)))
// tap's default jobs leave one cpu free on up to 4 cpus: on a 2-cpu machine
// (CI's) that is one file at a time, and the cpu sits half idle, since most
// files spend their time in timers and child processes. Two at a time there:
// the whole tap phase took 357 s against 530 s one at a time (same host, same
// hour, 224 files; user+sys 604 s). An explicit --jobs (or -j) still wins.
const jobsGiven = tapOptions.some(arg => /^(--jobs\b|-j)/.test(arg))
if (!jobsGiven && availableParallelism() === 2) tapOptions.push('--jobs=2')
// Without ts-node in every test process (tools/tap-skip-ts-loader.mjs): 12
// codec test files took 27-34 s against 46-49 s with it (two runs each, a
// busy host), since ts-node's hooks see every import of the process.
const skipTsLoader = `--import=${pathToFileURL(join(root, 'tools', 'tap-skip-ts-loader.mjs')).href}`
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${skipTsLoader}`.trim() }
const tap = spawnSync(join(root, 'node_modules/.bin/tap'), [...tapOptions, ...files], { cwd: root, stdio: 'inherit', env })
if (tap.error) {
  console.error(`test-compiled: could not run tap: ${tap.error.message}`)
  process.exit(1)
}
process.exit(tap.status ?? 1)
