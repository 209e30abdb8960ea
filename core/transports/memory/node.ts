// One node of the memory network: its socket layer (shared/socket-layer.ts:
// endpoints, router, delivery, blocked senders), the carrier its router
// sends through (the virtual links from this node), and what its listeners
// and connection ends ask of it. Everything between nodes is the
// network's: the virtual links and clock, the name table and topology every
// node shares, the connections' plumbing (NodeFabric).
import type { ServiceAddress, ServiceRange, Scope, SocketAddress } from '../../transport-contract/address.js'
import type { ReceivedMessage } from '../../transport-contract/message.js'
import type { ConnectOptions, SeqpacketConnection } from '../../transport-contract/seqpacket.js'
import type { BindingEvent, NodeEvent, SubscribeOptions, TopologySubscription } from '../../transport-contract/topology.js'
import type { NameBinding, NameTable } from '../shared/name-table.js'
import { connectTimeout } from '../shared/pending-connects.js'
import type { RdmData } from '../shared/rdm-data.js'
import type { Returns } from '../shared/returned.js'
import { checkConnectDestination, type RouteCarrier } from '../shared/routing.js'
import type { ListenerHost } from '../shared/seqpacket-listener.js'
import { SocketLayer } from '../shared/socket-layer.js'
import type { Topology } from '../shared/topology.js'
import type { MemoryConnections } from './connections.js'
import type { VirtualLinks } from './links.js'
import type { ResolvedOptions } from './options.js'
import { packet, type Packet } from './packet.js'
import { MemoryRdmSocket } from './rdm-socket.js'
import { MemorySeqpacketConnection, type MemoryConnectionHost } from './seqpacket-connection.js'
import { MemorySeqpacketListener } from './seqpacket-listener.js'
import type { MemoryNetworkStats } from './stats.js'

export type MemoryEndpoint = MemoryRdmSocket | MemorySeqpacketListener | MemorySeqpacketConnection

/** What a node needs of its network (MemoryNetwork). */
export interface NodeFabric {
  readonly options: ResolvedOptions
  readonly stats: MemoryNetworkStats
  readonly names: NameTable
  readonly topology: Topology
  readonly returns: Returns<Packet>
  readonly links: VirtualLinks
  readonly connections: MemoryConnections
  /** Socket refs are unique in the network. */
  allocateRef(): number
  liveNodes(): number[]
  /** The node's incarnation now; -1 when it is down. */
  incarnationOf(node: number): number
  /** Make sure the virtual clock ticks (the endpoints flush after each tick). */
  wakeClock(): void
  /** The overload fault, drawn per message offered to a socket. */
  overloadFault(): boolean
  /** A rerouted anycast to a socket of another node. */
  forward(from: number, p: Packet, to: SocketAddress): void
  /** The node leaves: its endpoints are already closed. */
  leave(node: number): void
}

export class MemoryNode implements ListenerHost<MemorySeqpacketListener, MemorySeqpacketConnection>, MemoryConnectionHost, RouteCarrier {
  readonly id: number
  /** Distinguishes a node that crashed and was opened again from its former self. */
  readonly incarnation: number
  readonly sockets: SocketLayer<Packet, MemoryEndpoint>
  /** Why the node is gone (closed or crashed); undefined while it is up. */
  closedBy: Error | undefined
  private readonly fabric: NodeFabric

  constructor(id: number, incarnation: number, fabric: NodeFabric) {
    this.id = id
    this.incarnation = incarnation
    this.fabric = fabric
    this.sockets = new SocketLayer<Packet, MemoryEndpoint>({
      node: id,
      names: fabric.names,
      returns: fabric.returns,
      stats: fabric.stats,
      carrier: this,
      bindings: { publish: b => this.publish(b), withdraw: b => this.withdraw(b) },
      scheduleFlush: () => fabric.wakeClock(),
      delivery: {
        batchSize: fabric.options.batchSize,
        eagerBatches: false,
        refuse: () => fabric.overloadFault(),
        forward: (from, p, to) => fabric.forward(from, p, to),
      },
    })
  }

  // --- the transport's calls ------------------------------------------------------

  newRdm(): MemoryRdmSocket {
    return this.sockets.add(new MemoryRdmSocket(this.sockets, this.address(), this.fabric.options.receiveQueueLimit))
  }

  newListener(range: ServiceRange, scope: Scope): MemorySeqpacketListener {
    const listener = this.sockets.add(new MemorySeqpacketListener(this, { range, scope, socket: this.address() }))
    this.publish(listener.binding)
    return listener
  }

  connect(dest: ServiceAddress | SocketAddress, options: ConnectOptions = {}): Promise<SeqpacketConnection> {
    let d: ServiceAddress | SocketAddress
    let timeoutMs: number
    let target: SocketAddress
    try {
      d = checkConnectDestination(dest)
      timeoutMs = connectTimeout(options.timeoutMs)
      target = this.sockets.router.connectTarget(d)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.fabric.connections.connect(this.newConnection(), d, target, timeoutMs)
  }

  subscribe(range: ServiceRange, handler: (event: BindingEvent) => void, options?: SubscribeOptions): TopologySubscription {
    return this.fabric.topology.subscribe(this.id, range, handler, options)
  }

  watchNodes(handler: (event: NodeEvent) => void): TopologySubscription {
    return this.fabric.topology.watchNodes(this.id, this.fabric.liveNodes(), handler)
  }

  /** Close gracefully: every socket as the application would (returns, aborts), then leave. */
  close(): void {
    for (const e of this.sockets.endpoints.list()) e.close()
    this.fabric.leave(this.id)
  }

  /** the node is gone: its endpoints stop without a word (their peers hear from the network). */
  terminate(reason: Error): void {
    this.closedBy = reason
    for (const e of this.sockets.endpoints.list()) e.terminate(reason)
    this.sockets.clear()
  }

  /** a connection end of this node (for a connect, or a listener's accept). */
  newConnection(): MemorySeqpacketConnection {
    return this.sockets.add(new MemorySeqpacketConnection(this, this.address(), this.fabric.options.connectionWindow))
  }

  // --- the router's carrier: the virtual links from this node --------------------------

  reaches(node: number): boolean {
    return this.fabric.incarnationOf(node) !== -1
  }

  full(node: number): boolean {
    return this.fabric.links.full(this.id, node)
  }

  refused(): void {
    this.fabric.stats.congested++
  }

  /** One packet per node, each with its own copy of the data. */
  transmit(msg: RdmData, nodes: readonly number[]): void {
    for (const to of nodes) {
      this.fabric.links.transmit(packet(msg, msg.data.slice(), this.id, to, this.incarnation, this.fabric.incarnationOf(to)))
    }
  }

  // --- what listeners and connection ends ask of their node ---------------------------------

  /** Bindings are the whole network's: in its one name table, announced by its one topology service. */
  publish(binding: NameBinding): void {
    this.fabric.names.add(binding)
    this.fabric.topology.published(binding)
  }

  withdraw(binding: NameBinding): void {
    this.fabric.names.remove(binding.socket, binding.range, binding.scope)
    this.fabric.topology.withdrawn(binding)
  }

  wake(e: MemoryEndpoint): void {
    this.sockets.wake(e)
  }

  removeEndpoint(e: MemoryEndpoint): void {
    this.sockets.removeEndpoint(e)
  }

  send(from: MemorySeqpacketConnection, to: SocketAddress, item: { message: ReceivedMessage } | { end: undefined }): void {
    this.fabric.connections.send(from, to, item)
  }

  abort(to: SocketAddress, reason: 'NO_PORT'): void {
    this.fabric.connections.abort(to, reason)
  }

  credit(sender: SocketAddress, n: number): void {
    this.fabric.connections.credit(sender, n)
  }

  failConnect(client: MemorySeqpacketConnection, err: Error): void {
    this.fabric.connections.fail(client, err)
  }

  refuse(client: MemorySeqpacketConnection): void {
    this.fabric.connections.refuse(client)
  }

  accept(client: MemorySeqpacketConnection, listener: MemorySeqpacketListener): SeqpacketConnection | undefined {
    return this.fabric.connections.accept(listener, client)
  }

  private address(): SocketAddress {
    return { node: this.id, ref: this.fabric.allocateRef() }
  }
}
