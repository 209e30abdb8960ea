// A multi-node TIPC cluster inside the one UML guest that runs the kernel
// suite: node i is network namespace `n${i}` with TIPC address 1.1.i, all on
// one bridge (test/kernel/vm/netns-cluster.sh builds it). Tests use this to
// run programs "on" a node: `ip netns exec nI <cmd>`.
//
// Only meaningful inside the guest (root, TIPC loaded, writable /run): guard
// cluster tests with `kernelOnly()` / `{ skip }` so `npm test` on the host
// skips them. Test files run one at a time in the guest (tap --jobs=1), and
// every cluster uses the same names n1..nN and br0, so a file must bring its
// cluster down before the next one starts: `withCluster` does that.
//
// Remember: netns nodes share one kernel, so data between them skips the TIPC
// link (names, topology, link up/down are real; retransmission is not). Use
// the two-guest runner (test/kernel/two-guest/) for link-level behaviour.
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The guest-side script that creates and removes the netns cluster. */
export const NETNS_CLUSTER_SCRIPT = fileURLToPath(new URL('./vm/netns-cluster.sh', import.meta.url))

/** Why kernel tests skip, or false when they must run (inside the harness). */
export function kernelOnly(): string | false {
  return process.env.TIPC_RX_KERNEL === '1' ? false : 'kernel test: runs inside the UML harness (npm run test:kernel)'
}

export interface ExecResult {
  /** Exit code, or null when killed by a signal (see `signal`). */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface ExecOptions {
  /** Kill the process after this many ms (default 60 000). */
  timeout?: number
  /** Extra environment, merged over process.env. */
  env?: NodeJS.ProcessEnv
  /** Written to the process's stdin, which is then closed. */
  input?: string | Uint8Array
  cwd?: string
}

/** Run `cmd args` to completion; never rejects for a non-zero exit (look at `code`). */
export function exec(cmd: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      {
        encoding: 'utf8',
        timeout: options.timeout ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, ...options.env },
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      },
      (error, stdout, stderr) => {
        // execFile reports a non-zero exit as an error with a numeric code;
        // a spawn failure (ENOENT...) has a string code and is a real error.
        if (error && typeof error.code === 'string') return reject(error instanceof Error ? error : new Error(error.message))
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
        const signal = error ? ((error.signal ?? null)) : null
        resolve({ code, signal, stdout, stderr })
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
    else child.stdin?.end()
  })
}

function checkNode(i: number): void {
  if (!Number.isInteger(i) || i < 1) throw new RangeError(`cluster node numbers start at 1, got ${i}`)
}

/** Run `cmd args` on cluster node i (in netns n<i>) to completion. */
export function execInNode(i: number, cmd: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  checkNode(i)
  return exec('ip', ['netns', 'exec', `n${i}`, cmd, ...args], options)
}

/**
 * Run a node script (.ts or .js) on cluster node i with the same node binary
 * and loader flags as this test process (tap's TypeScript loader, so a .ts
 * fixture runs as is), to completion.
 */
export function execScriptInNode(i: number, script: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  return execInNode(i, process.execPath, [...process.execArgv, script, ...args], options)
}

/**
 * Start a long-running program on node i (a server, a subscriber) and return
 * the child; the caller stops it (`child.kill()`), e.g. in `t.teardown`.
 * stdio defaults to pipes.
 */
export function spawnInNode(i: number, cmd: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  checkNode(i)
  return spawn('ip', ['netns', 'exec', `n${i}`, cmd, ...args], { stdio: 'pipe', ...options })
}

/** spawnInNode for a node script, with this process's node and loader flags. */
export function spawnScriptInNode(i: number, script: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  return spawnInNode(i, process.execPath, [...process.execArgv, script, ...args], options)
}

async function clusterScript(action: 'up' | 'down', n: number): Promise<void> {
  const r = await exec('sh', [NETNS_CLUSTER_SCRIPT, action, String(n)], { timeout: 60_000 })
  if (r.code !== 0) {
    throw new Error(`netns-cluster.sh ${action} ${n} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim() || r.stdout.trim()}`)
  }
}

/** Create nodes n1..n<n> and wait until every node has a link to every other. */
export async function clusterUp(n: number): Promise<void> {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`a cluster needs at least 2 nodes, got ${n}`)
  await clusterScript('up', n)
}

/** Remove nodes n1..n<n>; never fails if they are already gone. */
export async function clusterDown(n: number): Promise<void> {
  await clusterScript('down', n)
}

export interface Cluster {
  /** Number of nodes; node i (1-based) has TIPC address 1.1.i in netns n<i>. */
  readonly size: number
  exec: (i: number, cmd: string, args?: readonly string[], options?: ExecOptions) => Promise<ExecResult>
  execScript: (i: number, script: string, args?: readonly string[], options?: ExecOptions) => Promise<ExecResult>
  spawn: (i: number, cmd: string, args?: readonly string[], options?: SpawnOptions) => ChildProcess
  spawnScript: (i: number, script: string, args?: readonly string[], options?: SpawnOptions) => ChildProcess
}

/**
 * Bring up an n-node cluster, run `fn`, and always bring it down again (even
 * when `fn` throws), so the next test file starts from a clean guest.
 * Children started with `cluster.spawn*` that are still running when `fn`
 * settles are killed: removing a netns does not kill its processes.
 */
export async function withCluster<T>(n: number, fn: (cluster: Cluster) => Promise<T> | T): Promise<T> {
  const children = new Set<ChildProcess>()
  const track = (child: ChildProcess) => {
    children.add(child)
    child.once('exit', () => children.delete(child))
    return child
  }
  const check = (i: number) => {
    checkNode(i)
    if (i > n) throw new RangeError(`node ${i} is not in this ${n}-node cluster`)
    return i
  }
  const cluster: Cluster = {
    size: n,
    exec: (i, cmd, args = [], options = {}) => execInNode(check(i), cmd, args, options),
    execScript: (i, script, args = [], options = {}) => execScriptInNode(check(i), script, args, options),
    spawn: (i, cmd, args = [], options = {}) => track(spawnInNode(check(i), cmd, args, options)),
    spawnScript: (i, script, args = [], options = {}) => track(spawnScriptInNode(check(i), script, args, options)),
  }
  await clusterUp(n)
  try {
    return await fn(cluster)
  } finally {
    await Promise.all(
      [...children].map(
        child =>
          new Promise<void>(resolve => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            child.once('exit', () => resolve())
            child.kill('SIGKILL')
          }),
      ),
    )
    await clusterDown(n)
  }
}

/** Parse `tipc link list` output: link name -> state ('up' | 'down' | ...). */
export function parseLinkList(output: string): Map<string, string> {
  const links = new Map<string, string>()
  for (const line of output.split('\n')) {
    const m = /^(.+): (\S+)$/.exec(line.trim())
    if (m) links.set(m[1]!, m[2]!)
  }
  return links
}
