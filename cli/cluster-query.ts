// How the directory commands (topics, who, watch) ask the cluster: one
// directory query on the command's own bus (the buses answer for
// themselves: nothing is cached here), with the buses that did not answer in
// time named on stderr. A partial answer is still printed; the command then
// exits 1, so that a script knows the listing may be missing something.
import type { Bus, ClusterSnapshot } from '../core/index.js'
import type { Output } from './output.js'
import { formatNode } from './table.js'
import { UsageError } from './usage-error.js'

export const DEFAULT_QUERY_TIMEOUT_MS = 1000

/** --timeout, checked: a positive number of milliseconds. */
export function queryTimeout(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--timeout must be a positive number of milliseconds, got ${String(value)}`)
  }
  return value
}

/** How long no new node must come up before the command's fresh node is taken to know the cluster. */
const NODES_QUIET_MS = 300

/**
 * Resolves once no node has come up for NODES_QUIET_MS, or after `maxMs`. A
 * command's bus is new: on udp its node finds its peers by their beacons and
 * learns their bindings after, so a query sent at once would reach only this
 * node. (On kernel TIPC the node is the kernel's, which knows the cluster
 * already: the wait is one quiet period.)
 */
export function clusterKnown(bus: Bus, maxMs: number): Promise<void> {
  return new Promise(resolve => {
    let quiet: NodeJS.Timeout | undefined
    const done = (): void => {
      clearTimeout(quiet)
      clearTimeout(cap)
      sub.unsubscribe()
      resolve()
    }
    const cap = setTimeout(done, maxMs)
    const sub = bus.nodes$().subscribe(e => {
      if (e.kind !== 'up') return
      clearTimeout(quiet)
      quiet = setTimeout(done, NODES_QUIET_MS)
    })
    quiet ??= setTimeout(done, NODES_QUIET_MS)
  })
}

/** Query the directory; warn about every bus that did not answer in full. */
export async function queryCluster(bus: Bus, out: Output, options: { timeoutMs: number; topic?: string }): Promise<ClusterSnapshot> {
  const snapshot = await bus.cluster.query(options)
  for (const s of snapshot.silent) {
    const parts = s.partsExpected === undefined ? 'no answer' : `${s.partsReceived} of ${s.partsExpected} answer parts`
    out.warn(`tipc-rx: node ${formatNode(s.socket.node)} (directory port ${s.socket.ref}) did not answer within ${options.timeoutMs} ms: ${parts}`)
  }
  return snapshot
}
