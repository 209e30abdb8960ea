// What the CLI's end-to-end tests share: the transport the processes meet on
// (TIPC_RX_CLI_TEST_TRANSPORT, default udp: the kernel harness sets tipc) and,
// on udp, a cluster of the test's own so that parallel test files never see
// each other's nodes; topic names unique to the run for the same reason on
// tipc, where every process of the host shares the kernel's name table.
import type { ChildProcess } from 'node:child_process'
import type { OpenBusOptions } from '../../core/index.js'
import { startTipcRx } from './tipc-rx-bin.js'

export const cliTransport = process.env.TIPC_RX_CLI_TEST_TRANSPORT ?? 'udp'

/**
 * The skip reason of a test that no transport can change (bad input refused before any bus opens) in the
 * kernel harness, whose 1-vCPU guest takes seconds per process: it runs in npm test. False elsewhere.
 */
export const sameOnEveryTransport: string | false = process.env.TIPC_RX_KERNEL === '1' ? 'no transport changes it: runs in npm test' : false

/**
 * The skip reason, in the kernel harness only, of a test that repeats on tipc what another test of its
 * file already shows there (a second configuration, the same data as a table): `why` says which. Each
 * tipc-rx process takes about 6 s to start in the 1-vCPU guest, so the CLI group keeps to one of each.
 */
export const repeatInGuest = (why: string): string | false => process.env.TIPC_RX_KERNEL === '1' ? `${why}: runs in npm test` : false

/** Global flags for every process of one test: its transport and, on udp, its own cluster. */
export function clusterArgs(): string[] {
  const cluster = 1 + Math.floor(Math.random() * 0x7ffffffe)
  return cliTransport === 'udp' ? ['--transport', 'udp', '--cluster', String(cluster)] : ['--transport', cliTransport]
}

/**
 * openBus() options for a bus in the test process that meets the processes started with `global`: the
 * same udp cluster; on a tipc netns cluster, the TIPC node of the first namespace (the test process itself
 * sits in the root namespace, which is not in that cluster).
 */
export function inProcessBusOptions(global: string[]): OpenBusOptions {
  const at = global.indexOf('--cluster')
  if (at >= 0) return { transport: 'udp', udp: { cluster: Number(global[at + 1]) } }
  const netns = (process.env.TIPC_RX_NETNS ?? '').split(',').filter(Boolean)[0]
  return cliTransport === 'tipc' && netns !== undefined ? { transport: 'tipc', tipc: { netns } } : { transport: cliTransport as 'tipc' | 'udp' }
}

export function uniqueTopic(name: string): string {
  return `${name}.${process.pid}.${Math.floor(Math.random() * 1e9)}`
}

// How long a process may take to print an awaited line before the test calls it hung. In the kernel
// harness's 1-vCPU guest a tipc-rx process takes about 3 s to start, and a test starts six at once.
const LINE_DEADLINE_MS = process.env.TIPC_RX_KERNEL === '1' ? 120_000 : 30_000

/** A background tipc-rx with its output collected. */
export interface Running {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves when stderr has a line matching `pattern` (its match). */
  stderrLine(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function start(args: string[]): Running {
  const child = startTipcRx(args)
  let out = ''
  let err = ''
  const watchers: Array<() => void> = []
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s })
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err += s
    for (const w of watchers.splice(0)) w()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  const stderrLine = (pattern: RegExp, ms = LINE_DEADLINE_MS): Promise<RegExpMatchArray> => new Promise((resolve, reject) => {
    // A deadline only turns a hang into a clear failure.
    const timer = setTimeout(() => reject(new Error(`no stderr line matching ${String(pattern)} within ${ms} ms; stderr so far:\n${err}`)), ms)
    const check = (): void => {
      const m = pattern.exec(err)
      if (m) {
        clearTimeout(timer)
        resolve(m)
      } else {
        watchers.push(check)
      }
    }
    void exited.then(() => {
      const m = pattern.exec(err)
      if (!m) {
        clearTimeout(timer)
        reject(new Error(`exited without a stderr line matching ${String(pattern)}; stderr:\n${err}`))
      }
    })
    check()
  })
  return { child, stdout: () => out, stderr: () => err, stderrLine, exited }
}

/** A tail, resolved once it has subscribed (its node id is in the result). */
export async function startTail(global: string[], topics: string[], flags: string[] = []): Promise<Running & { node: number }> {
  const tail = start([...global, 'tail', ...topics, ...flags])
  const m = await tail.stderrLine(/subscribed on node (\d+)/)
  return { ...tail, node: Number(m[1]) }
}

/** A `tipc-rx reply`, resolved once it serves (SIGKILLed when the test ends). */
export async function startReply(t: { teardown(fn: () => void): void }, global: string[], topic: string, flags: string[]): Promise<Running> {
  const server = start([...global, 'reply', topic, ...flags])
  t.teardown(() => { server.child.kill('SIGKILL') })
  await server.stderrLine(/serving on node \d+/)
  return server
}

/** Runs `tipc-rx ...args` to its end without blocking the test (several can run at once). */
export async function run(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = start(args)
  p.child.stdin!.end(input)
  const { code } = await p.exited
  return { code, stdout: p.stdout(), stderr: p.stderr() }
}
