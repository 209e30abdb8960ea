// The tipc cluster: the kernel, inside the UML harness. Two shapes:
//  - one node (default): every transport is the guest's own TIPC node; tests
//    written for several nodes run their roles on that one node;
//  - the netns cluster (TIPC_RX_NETNS=n1,n2,n3, set by the kernel runner
//    after netns-cluster.sh up 3): transport i acts as the TIPC node of
//    namespace i, all in this one process (sockets are created in their
//    namespace with setns), so cross-node behaviour is the kernel's own.
// Outside the harness the tests are skipped with the reason; inside it
// (TIPC_RX_KERNEL=1) a missing TIPC is a failure.
import { isTipcAvailable } from '../../../bindings/index.js'
import { TIPC_CAPABILITIES, TipcTransport } from '../../../core/transports/tipc/index.js'
import type { Transport } from '../../../core/transport/transport.js'
import type { Cluster, ClusterFactory } from '../harness.js'

const namespaces = (process.env.TIPC_RX_NETNS ?? '').split(',').filter(Boolean)

function skip(): string | false {
  const a = isTipcAvailable()
  if (a.available) return false
  if (process.env.TIPC_RX_KERNEL === '1') throw new Error(`TIPC_RX_KERNEL=1 but TIPC is not available: ${a.reason}`)
  return `needs a kernel with TIPC (${a.reason}); runs in npm run test:kernel`
}

export const tipcCluster: ClusterFactory = {
  kind: 'tipc',
  skip,
  maxNodes: namespaces.length > 0 ? namespaces.length : 1,
  capabilities: TIPC_CAPABILITIES,
  canCrash: false,
  async create(n: number): Promise<Cluster> {
    const nodes: Transport[] = namespaces.length > 0
      ? namespaces.slice(0, n).map(netns => new TipcTransport({ netns }))
      : [new TipcTransport()]
    return {
      kind: 'tipc',
      capabilities: TIPC_CAPABILITIES,
      nodes,
      node: i => nodes[i % nodes.length]!,
      crash: () => Promise.reject(new Error('the tipc cluster cannot crash a node')),
      close: async () => {
        for (const node of nodes) await node.close()
      },
    }
  },
}
