// The memory cluster: N nodes of a fresh MemoryNetwork (no faults).
import { MemoryNetwork } from '../../../core/transports/memory/network.js'
import { MEMORY_CAPABILITIES } from '../../../core/transports/memory/transport.js'
import type { Cluster, ClusterFactory } from '../harness.js'

export const memoryCluster: ClusterFactory = {
  kind: 'memory',
  skip: () => false,
  maxNodes: 16,
  capabilities: MEMORY_CAPABILITIES,
  canCrash: true,
  realLinks: true,
  async create(n: number): Promise<Cluster> {
    const network = new MemoryNetwork({ seed: 1 })
    const nodes = Array.from({ length: n }, () => network.open())
    return {
      kind: 'memory',
      capabilities: nodes[0]!.capabilities,
      nodes,
      node: i => nodes[i % nodes.length]!,
      crash: async i => network.crash(nodes[i % nodes.length]!.node),
      close: async () => {
        for (const node of nodes) await node.close()
      },
    }
  },
}
