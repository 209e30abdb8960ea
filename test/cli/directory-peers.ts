// The CLI end-to-end tests of the directory commands (topics, who, watch):
// programs of the cluster (test/cli/fixtures/cluster-peer.mjs, the public API
// from dist/) on the CLI tests' transport (cli-cluster.ts: udp in a cluster
// of the test file's own, so parallel runs do not meet; tipc in the kernel
// harness, each program on its own netns node).
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { cliTransport } from './cli-cluster.js'
import { ensureBuilt, onNextNode, root } from './tipc-rx-bin.js'

const peerScript = fileURLToPath(new URL('./fixtures/cluster-peer.mjs', import.meta.url))
export const cluster = 1 + Math.floor(Math.random() * 0x7ffffffe)
/** The global flags that put a tipc-rx command in the peers' cluster. */
export const global = cliTransport === 'udp' ? ['--transport', 'udp', '--cluster', String(cluster)] : ['--transport', cliTransport]

/** A cluster program; resolves once it printed ready, with its node id. */
export async function startPeer(config: object): Promise<{ child: ChildProcess; node: number }> {
  ensureBuilt()
  const node = onNextNode([peerScript, JSON.stringify({ transport: cliTransport, cluster, ...config })])
  const child = spawn(node.command, node.args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] })
  const line = String((await once(createInterface({ input: child.stdout }), 'line'))[0])
  return { child, node: (JSON.parse(String(line)) as { node: number }).node }
}

/** Ends a peer the way the fixture expects (stdin closed) and resolves with its exit code. */
export async function endPeer(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit') as Promise<[number | null]>
  child.stdin!.end()
  return (await exited)[0]
}

export interface ListedTopic { name: string; publishers: Array<{ node: number }>; subscribers: Array<{ node: number; lower: number; upper: number; group?: string }>; nodes: number[] }

