// The real `tipc-rx` binary for the CLI's end-to-end tests: dist/cli/tipc-rx.js
// (cli/main.ts bundled by tools/bundle-cli.mjs), the file package.json's "bin"
// installs, run by node as a user's shell would run it. `npm test` builds
// dist/ first (npm run build); a test run on its own builds it here when it
// is missing or older than the sources.
//
// On a tipc netns cluster (the kernel harness: TIPC_RX_CLI_TEST_TRANSPORT=tipc
// and TIPC_RX_NETNS=n1,n2,n3) each process starts in the next namespace in
// turn (`ip netns exec`), so the processes of one test sit on different TIPC
// nodes, as on a real cluster.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import tap from 'tap'

/** The package's root: the nearest directory up from here whose package.json is tipc-rx's (the kernel harness runs a compiled copy of test/ from inside node_modules/.cache). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = `${dir}/package.json`
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tipc-rx') return `${dir}/`
    const up = dirname(dir)
    if (up === dir) throw new Error(`no tipc-rx package.json above ${fileURLToPath(import.meta.url)}`)
    dir = up
  }
}

export const root = packageRoot()
export const bin = `${root}dist/cli/tipc-rx.js`

const namespaces = process.env.TIPC_RX_CLI_TEST_TRANSPORT === 'tipc' ? (process.env.TIPC_RX_NETNS ?? '').split(',').filter(Boolean) : []
let nextNamespace = 0

/** The command that runs node with `args` on the next node of the test cluster: here, or in the next netns in turn. */
export function onNextNode(args: string[]): { command: string; args: string[] } {
  if (namespaces.length === 0) return { command: process.execPath, args }
  const netns = namespaces[nextNamespace++ % namespaces.length]!
  // `ip netns exec` execs node in place: the child's pid is node's, so a signal reaches it.
  return { command: 'ip', args: ['netns', 'exec', netns, process.execPath, ...args] }
}

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

let built = false
/** Builds dist/ (npm run build: tsc, then the bundle) unless the bundle is newer than every source under cli/, core/, codecs/. */
export function ensureBuilt(): void {
  if (built) return
  const stale = !existsSync(bin) ||
    Math.max(...['cli', 'core', 'codecs', 'errors', 'bindings'].map(d => newestSource(`${root}${d}`))) > statSync(bin).mtimeMs
  if (stale) {
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`building dist/ failed:\n${r.stdout}${r.stderr}`)
  }
  built = true
}

export interface RunResult { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs `tipc-rx ...args` to its end (with stdin `input`, if given). */
export function tipcRx(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): RunResult {
  ensureBuilt()
  const node = onNextNode([bin, ...args])
  const r = spawnSync(node.command, node.args, {
    encoding: 'utf8', cwd: root,
    env: { ...process.env, ...options.env },
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 60_000,
  })
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

// Every background tipc-rx that has not exited, SIGKILLed when the file's tests are done: a test that
// failed while waiting for one of several processes (before it could register their teardown) must not
// leave the others holding the file open until its time bound.
const leftovers = new Set<ChildProcess>()
tap.teardown(() => { for (const child of leftovers) child.kill('SIGKILL') })

/** Starts `tipc-rx ...args` in the background (the caller kills or awaits it; one left running dies with the file). */
export function startTipcRx(args: string[], options: SpawnOptions = {}): ChildProcess {
  ensureBuilt()
  const node = onNextNode([bin, ...args])
  const child = spawn(node.command, node.args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], ...options })
  leftovers.add(child)
  child.on('close', () => leftovers.delete(child))
  return child
}
