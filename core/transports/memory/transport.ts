// One node of a MemoryNetwork, seen as a Transport.
import { checkScope, toRange, type ServiceAddress, type ServiceRange, type SocketAddress } from '../../transport-contract/address.js'
import type { Capabilities } from '../../transport-contract/capabilities.js'
import { TransportClosedError } from '../../transport-contract/errors.js'
import { MAX_MESSAGE_SIZE } from '../../transport-contract/limits.js'
import type { ConnectOptions, ListenOptions, SeqpacketConnection } from '../../transport-contract/seqpacket.js'
import type { BindingEvent, NodeEvent, SubscribeOptions, TopologySubscription } from '../../transport-contract/topology.js'
import type { Transport } from '../../transport-contract/transport.js'
import type { MemoryNetwork } from './network.js'
import { MemoryRdmSocket } from './rdm-socket.js'
import { MemorySeqpacketListener } from './seqpacket-listener.js'

/** What the memory transport can do: no groups or crypto (nothing to protect in one process). */
export const MEMORY_CAPABILITIES: Capabilities = Object.freeze({
  groups: false,
  crypto: false,
  maxMessageSize: MAX_MESSAGE_SIZE,
  nodeScope: true,
  faultInjection: true,
})

export class MemoryTransport implements Transport {
  readonly kind = 'memory'
  readonly node: number
  readonly capabilities = MEMORY_CAPABILITIES
  /** The network this node belongs to (for faults, crash() and settle() in tests). */
  readonly network: MemoryNetwork
  private closedFlag = false
  private closeReason: Error | undefined

  /** @internal made by MemoryNetwork.open() */
  constructor(network: MemoryNetwork, node: number) {
    this.network = network
    this.node = node
  }

  get closed(): boolean {
    return this.closedFlag
  }

  rdm(): MemoryRdmSocket {
    this.checkOpen()
    const socket = new MemoryRdmSocket(this.network, this.network.allocate(this.node))
    this.network.addEndpoint(socket)
    return socket
  }

  listen(name: ServiceAddress | ServiceRange, options: ListenOptions = {}): MemorySeqpacketListener {
    this.checkOpen()
    const range = toRange(name)
    const scope = checkScope(options.scope ?? 'cluster')
    const address = this.network.allocate(this.node)
    const listener = new MemorySeqpacketListener(this.network, address, { range, scope, socket: address })
    this.network.addEndpoint(listener)
    this.network.publish({ range, scope, socket: address })
    return listener
  }

  connect(dest: ServiceAddress | SocketAddress, options?: ConnectOptions): Promise<SeqpacketConnection> {
    if (this.closedFlag) return Promise.reject(this.closedError())
    return this.network.connect(this.node, dest, options)
  }

  subscribe(range: ServiceRange, handler: (event: BindingEvent) => void, options?: SubscribeOptions): TopologySubscription {
    this.checkOpen()
    return this.network.topology.subscribe(this.node, range, handler, options)
  }

  watchNodes(handler: (event: NodeEvent) => void): TopologySubscription {
    this.checkOpen()
    return this.network.topology.watchNodes(this.node, this.network.liveNodes, handler)
  }

  async close(): Promise<void> {
    if (this.closedFlag) return
    this.network.closeNode(this.node)
  }

  /** @internal the node left or crashed */
  terminated(reason: Error): void {
    this.closedFlag = true
    this.closeReason = reason
  }

  private closedError(): TransportClosedError {
    return this.closeReason instanceof TransportClosedError ? this.closeReason : new TransportClosedError()
  }

  private checkOpen(): void {
    if (this.closedFlag) throw this.closedError()
  }
}
