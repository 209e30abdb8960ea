// One node of a MemoryNetwork, seen as a Transport: the contract's checks,
// then the node.
import { checkScope, toRange, type ServiceAddress, type ServiceRange, type SocketAddress } from '../../transport-contract/address.js'
import type { Capabilities } from '../../transport-contract/capabilities.js'
import type { Clock } from '../../transport-contract/clock.js'
import { TransportClosedError } from '../../transport-contract/errors.js'
import { MAX_MESSAGE_SIZE } from '../../transport-contract/limits.js'
import type { RdmSocket } from '../../transport-contract/rdm-socket.js'
import type { ConnectOptions, ListenOptions, SeqpacketConnection, SeqpacketListener } from '../../transport-contract/seqpacket.js'
import type { BindingEvent, NodeEvent, SubscribeOptions, TopologySubscription } from '../../transport-contract/topology.js'
import type { Transport } from '../../transport-contract/transport.js'
import type { MemoryNode } from './node.js'
import type { FaultPlan } from './options.js'
import type { MemoryNetworkStats } from './stats.js'

/** What the memory transport can do: no groups or crypto (nothing to protect in one process). */
export const MEMORY_CAPABILITIES: Capabilities = Object.freeze({
  groups: false,
  crypto: false,
  maxMessageSize: MAX_MESSAGE_SIZE,
  nodeScope: true,
  faultInjection: true,
  borrowedReceive: false,
})

/** The network a node belongs to, as its transport shows it: MemoryNetwork's public API. */
export interface MemoryNetworkView {
  readonly stats: MemoryNetworkStats
  readonly liveNodes: number[]
  readonly clock: Clock
  open(options?: { node?: number }): MemoryTransport
  setFaults(plan: FaultPlan): void
  settle(): Promise<void>
  crash(node: number): void
}

export class MemoryTransport implements Transport {
  readonly kind = 'memory'
  readonly node: number
  readonly capabilities = MEMORY_CAPABILITIES
  /** The network this node belongs to (for faults, crash() and settle() in tests). */
  readonly network: MemoryNetworkView
  private readonly core: MemoryNode

  /** @internal made by MemoryNetwork.open() */
  constructor(core: MemoryNode, network: MemoryNetworkView) {
    this.core = core
    this.node = core.id
    this.network = network
  }

  /** The network's virtual clock: this node's time is the network's. */
  get clock(): Clock {
    return this.network.clock
  }

  get closed(): boolean {
    return this.core.closedBy !== undefined
  }

  rdm(): RdmSocket {
    this.checkOpen()
    return this.core.newRdm()
  }

  listen(name: ServiceAddress | ServiceRange, options: ListenOptions = {}): SeqpacketListener {
    this.checkOpen()
    return this.core.newListener(toRange(name), checkScope(options.scope ?? 'cluster'))
  }

  connect(dest: ServiceAddress | SocketAddress, options?: ConnectOptions): Promise<SeqpacketConnection> {
    if (this.closed) return Promise.reject(this.closedError())
    return this.core.connect(dest, options)
  }

  subscribe(range: ServiceRange, handler: (event: BindingEvent) => void, options?: SubscribeOptions): TopologySubscription {
    this.checkOpen()
    return this.core.subscribe(range, handler, options)
  }

  watchNodes(handler: (event: NodeEvent) => void): TopologySubscription {
    this.checkOpen()
    return this.core.watchNodes(handler)
  }

  /** Closing a memory node is synchronous; the promise is the contract's. */
  close(): Promise<void> {
    if (!this.closed) this.core.close()
    return Promise.resolve()
  }

  private closedError(): TransportClosedError {
    const reason = this.core.closedBy
    return reason instanceof TransportClosedError ? reason : new TransportClosedError()
  }

  private checkOpen(): void {
    if (this.closed) throw this.closedError()
  }
}
