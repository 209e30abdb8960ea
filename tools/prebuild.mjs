#!/usr/bin/env node
// The prebuilt native addon that the package ships, so that installing it
// (and `npm ci` in a clone) needs no C++ compiler where a prebuild matches.
//
//   npm run build:prebuilds   build prebuilds/linux-<arch>/tipc-rx.glibc.node
//                             with prebuildify (N-API: one file for every Node
//                             version), and record the sources it was built from
//   node tools/prebuild.mjs --check
//                             exit 1 when the sources changed since (prepack
//                             and test/package/ run it)
//
// prebuilds/ is committed: a fresh clone or a registry install then loads it
// through node-gyp-build (package.json "install") without compiling, and
// prebuilds/SOURCES.sha256 ties it to the exact C++ that made it. A checkout's
// own build/Release, when there is one, is loaded first (node-gyp-build's
// order), so `npm run build:native` is still how C++ changes are tried.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const record = join(root, 'prebuilds', 'SOURCES.sha256')

/**
 * One line per input of the addon's compilation: binding.gyp, every file of
 * bindings/src/, and node-addon-api's version (its headers are compiled in).
 */
function addonSources() {
  const files = ['binding.gyp', ...readdirSync(join(root, 'bindings', 'src')).sort().map(f => `bindings/src/${f}`)]
  const lines = files.map(f => `${createHash('sha256').update(readFileSync(join(root, f))).digest('hex')}  ${f}`)
  const addonApi = JSON.parse(readFileSync(createRequire(join(root, 'package.json')).resolve('node-addon-api/package.json'), 'utf8'))
  lines.push(`node-addon-api ${addonApi.version}`)
  return `${lines.join('\n')}\n`
}

function check() {
  let recorded
  try {
    recorded = readFileSync(record, 'utf8')
  } catch {
    console.error('prebuild: prebuilds/SOURCES.sha256 is missing: run `npm run build:prebuilds` and commit prebuilds/')
    return 1
  }
  if (recorded === addonSources()) return 0
  const now = new Set(addonSources().split('\n'))
  const changed = recorded.split('\n').filter(line => line !== '' && !now.has(line))
  console.error(`prebuild: the prebuilt addon is older than its sources (changed: ${changed.map(l => l.split(/\s+/).pop()).join(', ')}):\n` +
    '  run `npm run build:prebuilds` and commit prebuilds/')
  return 1
}

function build() {
  const prebuildify = createRequire(import.meta.url).resolve('prebuildify/bin.js')
  // The running Node's own headers: with --napi the file works on every Node
  // version with N-API 8, and prebuildify's default target (the newest Node
  // it knows) would download headers from the network.
  const r = spawnSync(process.execPath, [
    prebuildify, '--napi', '--strip', '--tag-libc', '--target', `node@${process.versions.node}`,
  ], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) return r.status ?? 1
  writeFileSync(record, addonSources())
  console.log('prebuild: prebuilds/ updated; commit it')
  return 0
}

process.exitCode = process.argv.includes('--check') ? check() : build()
