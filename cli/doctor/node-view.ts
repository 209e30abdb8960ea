// This node as the chosen transport sees it: doctor opens the transport for
// a moment (`--wait`, long enough for udp's beacons to find the nodes of
// this host), takes its node id and the nodes it reports up, and closes it.
// On udp it also says how discovery works here: the multicast group, port
// and interface, the unicast peers, the timings.
import { UdpTransport, type Transport, type UdpDiscovery } from '../../core/index.js'

export interface NodeView {
  /** This node's id as 8 hex digits (iproute2 tipc's form). */
  node: string
  /** The other nodes up, in the order they were reported. */
  peers: string[]
  /** How long doctor listened for them (ms). */
  waitedMs: number
  /** udp only: how it finds its peers. */
  udp: (UdpDiscovery & { cluster: number }) | null
}

export const hexNode = (node: number): string => node.toString(16).padStart(8, '0')

export async function nodeView(openTransport: () => Promise<Transport>, waitMs: number): Promise<NodeView> {
  const transport = await openTransport()
  try {
    const peers: string[] = []
    const watch = transport.watchNodes(e => {
      const id = hexNode(e.node)
      if (e.node === transport.node) return
      const at = peers.indexOf(id)
      if (e.kind === 'up' && at < 0) peers.push(id)
      else if (e.kind === 'down' && at >= 0) peers.splice(at, 1)
    })
    await new Promise(resolve => setTimeout(resolve, waitMs))
    watch.cancel()
    const udp = transport instanceof UdpTransport ? { cluster: transport.cluster, ...transport.discovery } : null
    return { node: hexNode(transport.node), peers, waitedMs: waitMs, udp }
  } finally {
    await transport.close()
  }
}
