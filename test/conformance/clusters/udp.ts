// The udp cluster for the conformance suite: N udp transports in this
// process, each a separate node with its own UDP socket on 127.0.0.1,
// finding each other by multicast on loopback. Each cluster gets a random
// cluster id, so clusters of tests running at the same time ignore each
// other (and count it). crash() makes a node vanish without a word; the
// others see it down after the tolerance.
import { randomInt } from 'node:crypto'
import type { Cluster, ClusterFactory } from '../harness.js'
import { UdpTransport } from '../../../core/transports/udp/transport.js'
import type { UdpTransportOptions } from '../../../core/transports/udp/options.js'
import { copyingHandlers } from './copying-handlers.js'

export async function openUdpCluster(n: number, options: UdpTransportOptions = {}): Promise<UdpTransport[]> {
  const cluster = options.cluster ?? randomInt(1, 0x7fffffff)
  const nodes: UdpTransport[] = []
  for (let i = 0; i < n; i++) nodes.push(await UdpTransport.open({ toleranceMs: 600, heartbeatMs: 100, ...options, cluster }))
  await Promise.all(nodes.map(node => new Promise<void>(resolve => {
    const up = new Set<number>()
    const sub = node.watchNodes(e => {
      if (e.kind === 'up') up.add(e.node)
      if (nodes.every(o => up.has(o.node))) {
        sub.cancel()
        resolve()
      }
    })
  })))
  return nodes
}

/**
 * The udp cluster on one kind of node socket: native (the default) or
 * node:dgram (the fallback); or native with borrowed receive, poisoned,
 * its handlers copying what they are handed (copying-handlers.ts).
 */
function udpClusterOn(socket: 'native' | 'dgram' | 'borrowed'): ClusterFactory {
  const borrowed = socket === 'borrowed'
  return {
    kind: 'udp',
    label: { native: 'udp', dgram: 'udp (dgram socket)', borrowed: 'udp (borrowed receive)' }[socket],
    skip: () => false,
    maxNodes: 8,
    capabilities: { groups: false, crypto: false, maxMessageSize: 66000, nodeScope: true, faultInjection: true, borrowedReceive: borrowed },
    canCrash: true,
    realLinks: true,
    async create(n: number): Promise<Cluster> {
      const raw = await openUdpCluster(n, borrowed ? { socket: 'native', borrowedReceive: { poison: true } } : { socket })
      const nodes = borrowed ? raw.map(copyingHandlers) : raw
      return {
        kind: 'udp',
        capabilities: raw[0]!.capabilities,
        nodes,
        node: i => nodes[i % nodes.length]!,
        crash: async i => raw[i % raw.length]!.crash(),
        close: async () => {
          await Promise.all(raw.map(node => node.close()))
        },
      }
    },
  }
}

export const udpCluster = udpClusterOn('native')
export const udpDgramCluster = udpClusterOn('dgram')
export const udpBorrowedCluster = udpClusterOn('borrowed')
