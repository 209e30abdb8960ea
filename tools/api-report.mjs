#!/usr/bin/env node
// The public-API check of `npm test`, and its update (`npm run api:update`).
//
//   1. Build the published declarations once: tsc -p tsconfig.build.json
//      --emitDeclarationOnly (into dist/, where package.json "exports" points).
//   2. Compile api/consumer.ts against them, through the package's own name,
//      with skipLibCheck off: the .d.ts must stand on their own (stripInternal
//      can leave a class implementing an interface whose members it removed).
//   3. API Extractor on each entry (".", "./bindings", "./codecs"), sharing one
//      compiler state: each report is compared with api/<name>.api.md.
//   4. The declaration merging the published .d.ts do (`declare module`: how
//      each transport adds its options to TransportOptionsByKind), compared
//      with api/augmentations.api.md. API Extractor leaves augmentations out
//      of its reports (microsoft/rushstack#2264), so this record covers them.
//
// A difference fails, printing the diff and how to accept it: a change of
// the public surface is a decision, reviewed as a diff of api/*.api.md.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor'

const update = process.argv.includes('--update')
const root = fileURLToPath(new URL('..', import.meta.url))
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const entries = ['core', 'bindings', 'codecs']
const tempFolder = `${root}.api-temp/`

/** Run tsc; its output lines, or null (after showing them) when it reports errors. */
function runTsc(what, args) {
  const r = spawnSync(process.execPath, [tsc, ...args], { cwd: root, encoding: 'utf8' })
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter(line => line !== '')
  if (r.status === 0) return lines
  console.error(lines.filter(line => !line.startsWith('TSFILE: ')).join('\n'))
  console.error(`api: ${what} failed`)
  return null
}

/** Every `declare module '...' { ... }` block of the emitted .d.ts, by file, as tsc printed it. */
function augmentations(emitted) {
  const sections = []
  for (const file of emitted.filter(f => f.endsWith('.d.ts')).sort()) {
    const lines = readFileSync(file, 'utf8').split('\n')
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith('declare module ')) continue
      // tsc prints the block's closing brace alone at column 0.
      const end = lines.indexOf('}', i)
      sections.push(`## ${relative(root, file)}\n\n\`\`\`ts\n${lines.slice(i, end + 1).join('\n')}\n\`\`\`\n`)
      i = end
    }
  }
  return [
    '# Declaration merging in the published .d.ts',
    '',
    '<!-- Written by `npm run api:update` (tools/api-report.mjs): API Extractor leaves',
    '     `declare module` augmentations out of its reports, so they are recorded here. -->',
    '',
    ...sections,
  ].join('\n')
}

/** Compare (or, updating, write) api/<name> with what this run produced; true when they are the same. */
function compareRecord(name, content) {
  const expected = `${root}api/${name}`
  const actual = `${tempFolder}${name}`
  mkdirSync(tempFolder, { recursive: true })
  writeFileSync(actual, content)
  if (existsSync(expected) && readFileSync(expected, 'utf8') === content) return true
  if (update) writeFileSync(expected, content)
  else spawnSync('diff', ['-u', '--label', `api/${name}`, '--label', `.api-temp/${name}`, existsSync(expected) ? expected : '/dev/null', actual], { stdio: 'inherit' })
  return false
}

const build = runTsc('building the declarations (tsc -p tsconfig.build.json --emitDeclarationOnly)',
  ['-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--listEmittedFiles'])
if (build === null) process.exit(1)
const emitted = build.filter(line => line.startsWith('TSFILE: ')).map(line => line.slice('TSFILE: '.length))
// Go on when this fails: the reports below still say what changed.
const consumerCompiles = runTsc('compiling api/consumer.ts against the published declarations', ['-p', 'api/tsconfig.consumer.json']) !== null

const configs = entries.map(name => ExtractorConfig.loadFileAndPrepare(`${root}api/${name}.api-extractor.json`))
// One TypeScript program for the three entries instead of one each.
const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: configs.map(c => c.mainEntryPointFilePath) })
const changed = []
let extractorFailed = false
for (const config of configs) {
  const result = Extractor.invoke(config, {
    localBuild: update,
    compilerState,
    printApiReportDiff: !update,
    messageCallback: message => {
      // Our own words below replace API Extractor's advice to copy files by hand.
      if (message.messageId === 'console-api-report-not-copied' || message.messageId === 'console-api-report-copied') message.handled = true
      // It names the TypeScript it bundles on every run: not news.
      if (message.messageId === 'console-preamble' || message.messageId === 'console-compiler-version-notice') message.handled = true
    },
  })
  if (result.apiReportChanged) changed.push(`api/${config.reportConfigs[0].fileName}`)
  // A changed report alone counts as a warning; anything beyond it is a failure of its own.
  else if (!result.succeeded) extractorFailed = true
}
if (!compareRecord('augmentations.api.md', augmentations(emitted))) changed.push('api/augmentations.api.md')

if (update) {
  console.log(changed.length === 0 ? 'api: the reports were up to date' : `api: updated ${changed.join(', ')}: review the diff (git diff api/) and commit it`)
} else if (changed.length > 0) {
  console.error([
    '',
    `api: the public API differs from ${changed.join(', ')} (the diff is above).`,
    '     If the change is intended, run `npm run api:update` and commit the updated report.',
  ].join('\n'))
} else if (!extractorFailed) {
  console.log('api: the public API matches api/*.api.md')
}
if (!consumerCompiles) console.error('api: the published declarations do not compile for a user (errors above)')
process.exit(consumerCompiles && !extractorFailed && (update || changed.length === 0) ? 0 : 1)
