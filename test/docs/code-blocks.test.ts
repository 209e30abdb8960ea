// Docs that run: every code block of README.md and docs/*.md runs here, by its
// language, as a reader would run it (the README's "Docs that run" has the
// rules and the annotation vocabulary):
//   ts, typescript, js, javascript   an ES module in a project where the
//                                    package is built and installed
//                                    (user-project.ts); the TypeScript ones
//                                    are type-checked first
//   sh, bash, shell, indented blocks bash -e, in that project
//   console                          the `$ ` lines, the same way
//   json                             must parse
// A block must exit 0 on its own within the time limit. Blocks marked
// `kernel` run only where kernel TIPC works: npm run test:kernel runs this
// file in its UML guest, and there only those blocks run (npm test runs and
// type-checks the rest, and type-checks the kernel ones too).
import t from 'tap'
import { mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { kernelSkip } from '../kernel/kernel-env.js'
import { runnerFor, writeBlockProgram, type BlockProgram } from './block-program.js'
import { markdownCodeBlocks, type CodeBlock } from './markdown-code-blocks.js'
import { runBounded, type BoundedRun } from './run-bounded.js'
import { guardedCommand } from './shell-guard.js'
import { typeCheckBlocks, type TypeCheckResult } from './type-check-blocks.js'
import { userProject } from './user-project.js'
// The package's entry points, as types only: nothing is loaded, but the
// kernel harness's compile of test/ (tsc follows imports) then emits them,
// and there the blocks run against that compiled copy instead of a new build.
import type {} from '../../core/index.js'
import type {} from '../../bindings/index.js'
import type {} from '../../codecs/index.js'

const inKernelHarness = process.env.TIPC_RX_KERNEL === '1'
// A bound that only turns a hang into a failure. In the kernel guest (one
// vCPU, every syscall trapped by UML) a block that brings up a 3-node cluster
// next to two other blocks took over 30 s on a host booted with pti=on.
const BLOCK_TIMEOUT_MS = Number(process.env.TIPC_RX_DOC_BLOCK_TIMEOUT ?? (inKernelHarness ? 120 : 30)) * 1000
const BUILD_TIMEOUT_MS = 100_000
const PARALLEL = 3

// The docs are read from the working directory, which tap and the kernel
// harness both set to the repository root; `dir:` paths are resolved in the
// tree of this file (the sources, or their compiled copy in the harness).
const repo = process.cwd()
const tree = fileURLToPath(new URL('../../', import.meta.url))
if ((JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name?: unknown }).name !== 'tipc-rx') {
  throw new Error(`run this test from the repository root (the working directory is ${repo})`)
}
const pages = ['README.md', ...readdirSync(join(repo, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`)]
const found = pages.map(file => markdownCodeBlocks(file, readFileSync(join(repo, file), 'utf8')))
const blocks = found.flatMap(f => f.blocks)
const problems = found.flatMap(f => f.problems)
const kernelMissing = kernelSkip()

// Run as a plain program (the kernel harness runs precompiled files with
// node, and bounds each at TIPC_RX_KERNEL_FILE_TIMEOUT), tap's own limit
// would be 30 s: too short for a TIPC guest with one slow vCPU.
if (process.env.TAP_TIMEOUT === undefined) t.setTimeout(Number(process.env.TIPC_RX_KERNEL_FILE_TIMEOUT ?? 180) * 1000)

const nameOf = (block: CodeBlock): string => `${block.file}:${block.line} (${block.lang || block.style})`

t.test('every code block is found and its annotation is readable', async t => {
  t.ok(blocks.length > 0, `${blocks.length} code blocks in ${pages.length} pages`)
  for (const p of problems) t.fail(`${p.file}:${p.line}: ${p.problem}`)
  const output = blocks.filter(b => b.annotation?.mode === 'output')
  t.comment(`output, not run (${output.length}): ${output.map(b => `${b.file}:${b.line}`).join(', ')}`)
})

/** The environment of a block: this one, without tap's own variables and loaders. */
function blockEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/^(TAP|_TAPJS)/.test(k)) env[k] = v
  env.NODE_OPTIONS = (process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(o => o !== '' && !o.includes('@tapjs')).join(' ')
  // A block never reaches a registry: npx runs the package's own binary.
  Object.assign(env, { npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' })
  // Each block's tipc-rx commands meet in a udp cluster of their own (the CLI reads TIPC_RX_CLUSTER when
  // --cluster is absent), so a block that types the README's plain commands never meets another block's nodes.
  env.TIPC_RX_CLUSTER = String(0x10000 + Math.floor(Math.random() * 0x7ffe0000))
  return env
}

/** Why `program` must not run at all (the block fails unrun), or undefined. */
function refusal(program: BlockProgram): string | undefined {
  if (program.syntaxErrors.length > 0) return 'it has syntax errors'
  if (program.runner === 'shell' || program.runner === 'console') return guardedCommand(readFileSync(program.path, 'utf8'))
  return undefined
}

/** Why `block` does not run here, or false. */
function runSkip(block: CodeBlock): string | false {
  const a = block.annotation
  if (a?.mode === 'skip') return `skip: ${a.reason}`
  if (a?.mode === 'kernel' && kernelMissing) return `kernel${a.reason ? ` (${a.reason})` : ''}: ${kernelMissing}`
  if (a?.mode !== 'kernel' && inKernelHarness) return 'runs in npm test (the kernel suite runs the kernel blocks)'
  return false
}

function run(program: BlockProgram): Promise<BoundedRun> {
  const options = { cwd: program.cwd, env: blockEnvironment(), timeoutMs: BLOCK_TIMEOUT_MS }
  if (program.runner === 'shell' || program.runner === 'console') return runBounded('bash', ['-e', '-o', 'pipefail', program.path], options)
  const loader = program.needsTypeScriptLoader ? process.execArgv.filter(a => a.includes('@tapjs/typescript')) : []
  if (program.needsTypeScriptLoader && loader.length === 0) {
    return Promise.resolve({ code: null, signal: null, timedOut: false, ms: 0, output: 'the block imports TypeScript sources (through dir:) and no TypeScript loader is here: run it through tap' })
  }
  return runBounded(process.execPath, ['--enable-source-maps', ...loader, program.path], options)
}

/** A gate that lets at most `n` tasks run at once. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: (() => void)[] = []
  return async task => {
    if (active >= n) await new Promise<void>(resolve => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
}

t.test('code blocks', async t => {
  // In the kernel harness this file is compiled, with everything it imports.
  const compiled = inKernelHarness && import.meta.url.endsWith('.js') ? tree : undefined
  const project = await userProject(repo, { timeoutMs: BUILD_TIMEOUT_MS, compiled })
  // TIPC_RX_DOC_KEEP=1 keeps the project and the block programs, to look at.
  if (process.env.TIPC_RX_DOC_KEEP === '1') t.comment(`kept: ${project.root}`)
  else t.teardown(() => project.remove())
  const place = { dir: join(project.root, 'blocks'), cwd: project.root, tree, repo }
  mkdirSync(place.dir)

  const programs = new Map<CodeBlock, BlockProgram>()
  for (const block of blocks) {
    const runner = runnerFor(block)
    const mode = block.annotation?.mode
    if (runner === undefined || runner === 'json' || mode === 'skip' || mode === 'output') continue
    programs.set(block, writeBlockProgram(block, runner, place))
  }
  const toCheck = [...programs.values()].flatMap(p => (p.typeScriptPath === undefined || p.syntaxErrors.length > 0 ? [] : [p.typeScriptPath]))
  const checked: TypeCheckResult | undefined = inKernelHarness ? undefined : await typeCheckBlocks(place.dir, toCheck, BUILD_TIMEOUT_MS)
  if (checked === undefined) t.pass('type check of the TypeScript blocks', { skip: 'npm test type-checks them; here they only run' })
  else for (const other of checked.other) t.fail(`type check: ${other}`)

  // All blocks start now, a few at a time, and are reported in page order.
  // Kernel blocks take turns: they share the kernel's one name table (two
  // pages bind {1000, 0..99}, and an anycast picks either binding).
  const parallel = limiter(PARALLEL)
  const kernelTurns = limiter(1)
  const runs = new Map<BlockProgram, Promise<BoundedRun>>()
  for (const program of programs.values()) {
    if (runSkip(program.block) || refusal(program) !== undefined) continue
    const lane = program.block.annotation?.mode === 'kernel' ? kernelTurns : parallel
    runs.set(program, lane(() => run(program)))
  }

  for (const block of blocks) {
    const runner = runnerFor(block)
    const mode = block.annotation?.mode
    if (mode === 'output') continue
    const name = nameOf(block)
    if (mode === 'skip') {
      t.test(name, { skip: runSkip(block) }, async () => {})
      continue
    }
    if (runner === undefined) {
      t.fail(`${name}: no runner for ${block.lang ? `the language "${block.lang}"` : 'a block without a language'}; ` +
        'give it one, or annotate it <!-- doc-test: output --> (or skip — REASON)')
      continue
    }
    if (runner === 'json') {
      t.test(name, async t => {
        try {
          JSON.parse(block.code)
          t.pass('parses as JSON')
        } catch (err) {
          t.fail(`${name}: not JSON: ${(err as Error).message}`)
        }
      })
      continue
    }
    const program = programs.get(block) as BlockProgram
    t.test(name, async t => {
      if (program.syntaxErrors.length > 0) {
        t.fail(`${name}: syntax errors (not run)`, { errors: program.syntaxErrors.map(e => `${program.where(e.line)}:${e.text}`).join('\n'), program: program.listing() })
        return
      }
      if (checked !== undefined && program.typeScriptPath !== undefined) {
        const errors = checked.byFile.get(program.typeScriptPath) ?? []
        if (errors.length === 0) t.pass('type-checks')
        else t.fail(`${name}: type errors`, { errors: errors.map(e => `${program.where(e.line)}:${e.text}`).join('\n'), program: program.listing() })
      }
      const skip = runSkip(block)
      const refused = refusal(program)
      const result = runs.get(program)
      if (skip) {
        t.pass('runs', { skip })
        return
      }
      if (refused !== undefined || result === undefined) {
        t.fail(`${name}: not run: ${refused}`, { program: program.listing() })
        return
      }
      const r = await result
      if (r.code === 0 && !r.timedOut) t.pass(`runs (${r.ms} ms)`)
      else {
        const how = r.timedOut ? `did not exit within ${BLOCK_TIMEOUT_MS / 1000} s` : r.code !== null ? `exit ${r.code}` : `killed by ${r.signal}`
        t.fail(`${name}: ${how}`, { output: program.inDocTerms(r.output), program: program.listing() })
      }
    })
  }
})
