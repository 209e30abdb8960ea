// The tipc cluster: the kernel, inside the UML harness. Two shapes:
//  - one node (default): every transport is the guest's own TIPC node; tests
//    written for several nodes run their roles on that one node;
//  - the netns cluster (TIPC_RX_NETNS=n1,n2,n3, set by the kernel runner
//    after netns-cluster.sh up 3): transport i acts as the TIPC node of
//    namespace i, all in this one process (sockets are created in their
//    namespace with setns), so cross-node behaviour is the kernel's own.
// Outside the harness the tests are skipped with the reason; inside it
// (TIPC_RX_KERNEL=1) a missing TIPC is a failure.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { isTipcAvailable } from '../../../bindings/index.js'
import { TIPC_CAPABILITIES, TipcTransport } from '../../../core/transports/tipc/index.js'
import type { Transport } from '../../../core/transport-contract/transport.js'
import type { Cluster, ClusterFactory } from '../harness.js'

const namespaces = (process.env.TIPC_RX_NETNS ?? '').split(',').filter(Boolean)
const WAIT_LINKS = fileURLToPath(new URL('../../kernel/vm/wait-links.sh', import.meta.url))

/** Cut a namespace node off (its bearer goes down): the others see it lost. */
function cutOff(netns: string): void {
  execFileSync('ip', ['-n', netns, 'link', 'set', 'eth0', 'down'])
}

/** Bring it back and wait until it has its links to every other node again. */
function reconnect(netns: string): void {
  execFileSync('ip', ['-n', netns, 'link', 'set', 'eth0', 'up'])
  execFileSync('ip', ['netns', 'exec', netns, 'sh', WAIT_LINKS, String(namespaces.length), '15'])
}

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
  // in the netns cluster a node can be cut off the way a crash looks to the others
  canCrash: namespaces.length > 1,
  realLinks: false,
  async create(n: number): Promise<Cluster> {
    const nodes: Transport[] = namespaces.length > 0
      ? namespaces.slice(0, n).map(netns => new TipcTransport({ netns }))
      : [new TipcTransport()]
    const cut = new Set<string>()
    return {
      kind: 'tipc',
      capabilities: TIPC_CAPABILITIES,
      nodes,
      node: i => nodes[i % nodes.length]!,
      crash: async i => {
        const netns = namespaces[i % nodes.length]
        if (netns === undefined || nodes.length < 2) throw new Error('the single-node tipc cluster cannot crash a node')
        cutOff(netns)
        cut.add(netns)
      },
      close: async () => {
        for (const node of nodes) await node.close()
        for (const netns of cut) reconnect(netns) // leave the cluster whole for the next test
      },
    }
  },
}
