// MemoryNetwork: several TIPC "nodes" in one process, deterministic, with
// fault injection. Each open() is a node with its own Transport; all of them
// share one name table, one topology service and one virtual clock. The
// semantics are TIPC's (docs/transports.md), routed and delivered by the
// shared rules (shared/routing.ts, shared/delivery.ts): anycast round-robin,
// multicast one copy per node fanned out there, EHOSTUNREACH when nothing is
// bound, returned messages with NO_NAME / NO_PORT / NO_NODE / OVERLOAD and
// the first 1024 bytes.
import type { Destination, ServiceAddress, SocketAddress } from '../../transport-contract/address.js'
import { ConnectionRefusedError, InvalidArgumentError, PeerLostError, TransportClosedError } from '../../transport-contract/errors.js'
import type { ReceivedMessage } from '../../transport-contract/message.js'
import type { ConnectOptions } from '../../transport-contract/seqpacket.js'
import { BlockedSenders } from '../shared/blocked-senders.js'
import { Delivery } from '../shared/delivery.js'
import { Endpoints } from '../shared/endpoints.js'
import { NameTable, type NameBinding as Binding } from '../shared/name-table.js'
import { Topology } from '../shared/topology.js'
import { connectTimeout, PendingConnects } from '../shared/pending-connects.js'
import type { RdmData } from '../shared/rdm-data.js'
import { nameOf, returnedMessage, Returns } from '../shared/returned.js'
import { checkConnectDestination, Router } from '../shared/routing.js'
import { linkKey, type Endpoint } from './endpoint.js'
import { resolveFaults, resolveOptions, type FaultPlan, type MemoryNetworkOptions, type ResolvedOptions } from './options.js'
import type { Packet } from './packet.js'
import { SeededRandom } from '../shared/prng.js'
import { MemoryRdmSocket } from './rdm-socket.js'
import { Scheduler } from './scheduler.js'
import { MemorySeqpacketConnection } from './seqpacket-connection.js'
import { MemorySeqpacketListener } from './seqpacket-listener.js'
import { createStats, type MemoryNetworkStats } from './stats.js'
import { MemoryTransport } from './transport.js'

export interface MemoryOpenOptions {
  /** This node's id (default: the next free one from firstNode). */
  node?: number
}

interface NodeState {
  id: number
  /** Distinguishes a node that crashed and was opened again from its former self. */
  incarnation: number
  transport: MemoryTransport
  endpoints: Endpoints<Endpoint>
  /** Its sockets whose send was refused, by the node their link goes to. */
  blocked: BlockedSenders<MemoryRdmSocket>
  router: Router<MemoryRdmSocket>
  delivery: Delivery<Packet>
}

export class MemoryNetwork {
  readonly stats: MemoryNetworkStats = createStats()
  /** @internal undelivered messages back to their senders, a tick later */
  readonly returns: Returns<Packet>
  private readonly options: ResolvedOptions
  private readonly random: SeededRandom
  private readonly scheduler: Scheduler
  private readonly names = new NameTable()
  /** @internal the topology service of every node (each subscription sees from its own) */
  readonly topology: Topology
  private readonly nodes = new Map<number, NodeState>()
  private nextNode: number
  private nextRef = 1
  private incarnations = 0
  /** Messages on their way per link (node to node); send() refuses at linkWindow. */
  private readonly inFlight = new Map<string, number>()
  /** The tick before which a link's next message may not arrive (FIFO, and the delay fault). */
  private readonly linkReadyAt = new Map<string, number>()

  constructor(options: MemoryNetworkOptions = {}) {
    this.options = resolveOptions(options)
    this.random = new SeededRandom(this.options.seed)
    this.nextNode = this.options.firstNode
    this.scheduler = new Scheduler(() => this.flush(), () => this.hasWork())
    this.topology = new Topology(this.names, run => this.scheduler.after(1, run))
    this.returns = new Returns<Packet>(this.stats, {
      carryBack: (to, p, code, byRef, data) => {
        if (code === 'OVERLOAD') this.stats.overloaded++
        const message = returnedMessage({ node: p.toNode, ref: byRef }, code, data, nameOf(p))
        this.scheduler.after(1, () => {
          const home = this.nodes.get(to)
          if (home?.incarnation === p.fromIncarnation) home.delivery.home(p.srcRef, message, p.toNode)
        })
      },
    })
  }

  /** Add a node to the network; its Transport is ready at once. */
  open(options: MemoryOpenOptions = {}): MemoryTransport {
    let id = options.node
    if (id === undefined) {
      while (this.nodes.has(this.nextNode)) this.nextNode++
      id = this.nextNode++
    } else if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) {
      throw new InvalidArgumentError(`node must be a 32-bit id above 0, got ${String(id)}`)
    } else if (this.nodes.has(id)) {
      throw new InvalidArgumentError(`node ${id} is already up in this network`)
    }
    const transport = new MemoryTransport(this, id)
    const endpoints = new Endpoints<Endpoint>(this.options.batchSize, () => this.scheduler.wake())
    const here = id
    const blocked = new BlockedSenders<MemoryRdmSocket>(to => this.linkFull(here, to))
    const router = new Router(id, this.names, blocked, {
      reaches: node => this.nodes.has(node),
      full: to => this.linkFull(here, to),
      refused: () => { this.stats.congested++ },
      transmit: (msg, nodes) => this.transmitFrom(here, msg, nodes),
    })
    const delivery = new Delivery<Packet>(id, this.names, endpoints, this.returns, this.stats, {
      batchSize: this.options.batchSize,
      eagerBatches: false,
      refuse: () => this.random.chance(this.options.faults.overload),
      forward: (from, p, to) => this.rerouted(from, p, to),
    })
    this.nodes.set(id, { id, incarnation: ++this.incarnations, transport, endpoints, blocked, router, delivery })
    this.topology.nodeUp(id)
    return transport
  }

  /** Ids of the nodes up now. */
  get liveNodes(): number[] {
    return [...this.nodes.keys()]
  }

  /** Ticks elapsed on the virtual clock. */
  get clock(): number {
    return this.scheduler.clock
  }

  /** Change the faults injected from now on (the PRNG sequence continues). */
  setFaults(plan: FaultPlan): void {
    this.options.faults = resolveFaults(plan)
  }

  /**
   * Resolves when nothing more can happen on its own: every message on its
   * way has arrived (or been dropped or returned) and every ready handler has
   * been given its messages. For memory-specific tests; the conformance suite
   * waits for what it expects instead, as it must on real networks.
   */
  settle(): Promise<void> {
    return this.scheduler.settle()
  }

  /**
   * Crash a node: its sockets vanish without a word, its bindings are
   * withdrawn (topology events elsewhere), other nodes see it down, messages
   * on their way to it return NO_NODE, messages it had sent and that had not
   * arrived are lost, and its connections' peers end with PeerLostError('NO_NODE').
   */
  crash(node: number): void {
    const state = this.nodes.get(node)
    if (!state) throw new InvalidArgumentError(`node ${node} is not up in this network`)
    this.stats.crashes++
    this.takeDown(state, new TransportClosedError({ cause: new Error(`node ${node} crashed`) }))
  }

  // --- used by MemoryTransport and the sockets (internal) ---------------------

  /** @internal */
  get config(): ResolvedOptions {
    return this.options
  }

  /**
   * @internal a transport closes gracefully: its sockets close as if the
   * application closed them (unread messages return NO_PORT, connections'
   * peers see PeerLostError('NO_PORT')), then the node leaves.
   */
  closeNode(node: number): void {
    const state = this.nodes.get(node)
    if (!state) return
    for (const e of state.endpoints.list()) e.close()
    this.takeDown(state, new TransportClosedError())
  }

  /** @internal */
  allocate(node: number): SocketAddress {
    this.liveState(node)
    return { node, ref: this.nextRef++ }
  }

  /** @internal */
  addEndpoint(e: Endpoint): void {
    this.liveState(e.address.node).endpoints.add(e)
  }

  /** @internal */
  removeEndpoint(e: Endpoint): void {
    const state = this.nodes.get(e.address.node)
    state?.endpoints.remove(e)
    if (e instanceof MemoryRdmSocket) state?.blocked.forget(e)
  }

  /** @internal something may be ready to hand over: flush it on the next tick. */
  wake(e: Endpoint): void {
    this.nodes.get(e.address.node)?.endpoints.wake(e)
  }

  /** @internal */
  publish(b: Binding): void {
    this.names.add(b)
    this.topology.published(b)
  }

  /** @internal */
  withdraw(b: Binding): void {
    this.names.remove(b.socket, b.range, b.scope)
    this.topology.withdrawn(b)
  }

  /** @internal */
  isBlocked(socket: MemoryRdmSocket): boolean {
    return this.nodes.get(socket.address.node)?.blocked.isBlocked(socket) ?? false
  }

  /** @internal RdmSocket.send after the socket's own checks */
  sendRdm(socket: MemoryRdmSocket, dest: Destination, data: Uint8Array): boolean {
    return this.liveState(socket.address.node).router.send(socket, dest, data)
  }

  /** @internal SeqpacketApi.connect for a node */
  connect(node: number, dest: ServiceAddress | SocketAddress, options: ConnectOptions = {}): Promise<MemorySeqpacketConnection> {
    let d: ServiceAddress | SocketAddress
    let timeoutMs: number
    let target: SocketAddress
    try {
      d = checkConnectDestination(dest)
      timeoutMs = connectTimeout(options.timeoutMs)
      target = this.liveState(node).router.connectTarget(d)
    } catch (err) {
      return Promise.reject(err)
    }
    const client = new MemorySeqpacketConnection(this, this.allocate(node), this.options.connectionWindow)
    this.addEndpoint(client)
    const targetIncarnation = this.nodes.get(target.node)!.incarnation
    const connected = this.pendingConnects.start(client, d, timeoutMs, undefined)
    this.scheduler.after(1, () => {
      if (client.isClosed) return
      const listener = this.endpointOf(target, targetIncarnation)
      if (listener instanceof MemorySeqpacketListener && !listener.closed) listener.offer(client)
      else this.refuse(client)
    })
    return connected
  }

  private readonly pendingConnects = new PendingConnects<MemorySeqpacketConnection>()

  /** @internal a connect cannot be accepted: tell the client (one tick later, as a reply would). */
  refuse(client: MemorySeqpacketConnection): void {
    const dest = this.pendingConnects.destOf(client)
    if (!dest) return
    this.scheduler.after(1, () => this.failConnect(client, new ConnectionRefusedError(dest)))
  }

  /** @internal a connecting client gave up, timed out, was refused or lost its node: reject its connect. */
  failConnect(client: MemorySeqpacketConnection, err: Error): void {
    this.pendingConnects.fail(client, err)
  }

  /** @internal the listener accepts: make the server end and tell the client. */
  accept(listener: MemorySeqpacketListener, client: MemorySeqpacketConnection): MemorySeqpacketConnection | undefined {
    if (client.isClosed) return undefined
    const connected = this.pendingConnects.accept(client)
    if (!connected) return undefined
    const server = new MemorySeqpacketConnection(this, this.allocate(listener.address.node), this.options.connectionWindow)
    this.addEndpoint(server)
    server.established(client.address)
    const clientIncarnation = this.incarnationOf(client.address.node)
    // The accept reply is sent before the application sees the connection,
    // so anything the server sends arrives after the client is connected.
    this.scheduler.after(1, () => {
      if (this.endpointOf(client.address, clientIncarnation) === client && !client.isClosed) {
        client.established(server.address)
        connected()
      } else if (!server.isClosed) {
        server.deliver({ end: new PeerLostError(this.lossReason(client.address)) })
        this.wake(server)
      }
    })
    return server
  }

  /** @internal a message or an end on a connection, in order with what went before. */
  connectionSend(from: MemorySeqpacketConnection, to: SocketAddress, item: { message: ReceivedMessage } | { end: undefined }): void {
    const incarnation = this.incarnationOf(to.node)
    const fromIncarnation = this.incarnationOf(from.address.node)
    this.scheduler.after(1, () => {
      // A crashed node's messages die with it.
      if (this.incarnationOf(from.address.node) !== fromIncarnation) return
      const peer = this.endpointOf(to, incarnation)
      if (peer instanceof MemorySeqpacketConnection) {
        peer.deliver(item)
        this.wake(peer)
      }
    })
  }

  /** @internal the peer of `to` is gone: end `to` with PeerLostError(reason). */
  connectionAbort(to: SocketAddress, reason: 'NO_PORT' | 'NO_NODE'): void {
    const incarnation = this.incarnationOf(to.node)
    this.scheduler.after(1, () => {
      const peer = this.endpointOf(to, incarnation)
      if (peer instanceof MemorySeqpacketConnection) {
        peer.deliver({ end: new PeerLostError(reason) })
        this.wake(peer)
      }
    })
  }

  /** @internal the application consumed n messages from `sender`: flow-control credit. */
  connectionCredit(sender: SocketAddress, n: number): void {
    const e = this.nodes.get(sender.node)?.endpoints.get(sender.ref)
    if (e instanceof MemorySeqpacketConnection) e.credit(n)
  }

  // --- internals ---------------------------------------------------------------

  /** The router's transmit: one packet per node, each with its own copy of the data. */
  private transmitFrom(from: number, msg: RdmData, nodes: readonly number[]): void {
    const fromIncarnation = this.liveState(from).incarnation
    for (const to of nodes) {
      this.transmit({ ...msg, data: msg.data.slice(), fromNode: from, toNode: to, fromIncarnation, toIncarnation: this.nodes.get(to)!.incarnation })
    }
  }

  private transmit(p: Packet): void {
    const f = this.options.faults
    const link = linkKey(p.fromNode, p.toNode)
    this.stats.sent++
    if (this.random.chance(f.drop)) {
      this.stats.dropped++
      return
    }
    const copies = this.random.chance(f.duplicate) ? 2 : 1
    if (copies === 2) this.stats.duplicated++
    let due = this.scheduler.clock + 1
    const readyAt = this.linkReadyAt.get(link) ?? 0
    if (this.random.chance(f.delay)) {
      this.stats.delayed++
      due = Math.max(due + this.random.int(1, f.maxDelayTicks), readyAt)
      this.linkReadyAt.set(link, due)
    } else if (this.random.chance(f.reorder)) {
      // Held back alone: the link's order for later messages is untouched, so they overtake it.
      this.stats.reordered++
      due = Math.max(due, readyAt) + this.random.int(1, f.maxDelayTicks)
    } else {
      due = Math.max(due, readyAt)
      this.linkReadyAt.set(link, due)
    }
    this.inFlight.set(link, (this.inFlight.get(link) ?? 0) + 1)
    this.scheduler.at(due, () => {
      this.landed(link, p.fromNode, p.toNode)
      this.arrive(p)
    })
    if (copies === 2) this.scheduler.at(due, () => this.arrive({ ...p, data: p.data.slice() }))
  }

  private landed(link: string, from: number, to: number): void {
    const left = (this.inFlight.get(link) ?? 1) - 1
    if (left > 0) this.inFlight.set(link, left)
    else this.inFlight.delete(link)
    if (left < this.options.linkWindow) this.nodes.get(from)?.blocked.drained(to)
  }

  private linkFull(from: number, to: number): boolean {
    return (this.inFlight.get(linkKey(from, to)) ?? 0) >= this.options.linkWindow
  }

  private arrive(p: Packet): void {
    if (this.incarnationOf(p.fromNode) !== p.fromIncarnation) {
      this.stats.lostInCrash++
      return
    }
    const node = this.nodes.get(p.toNode)
    if (!node || node.incarnation !== p.toIncarnation) return this.returns.give(p.fromNode, p, 'NO_NODE', p.dstRef)
    node.delivery.arrive(p.fromNode, p)
  }

  /** A rerouted anycast goes to a socket on another node at once (the name table is the network's own). */
  private rerouted(from: number, p: Packet, to: SocketAddress): void {
    const node = this.nodes.get(to.node)!
    node.delivery.arrive(from, { ...p, dstRef: to.ref, toNode: to.node, toIncarnation: node.incarnation })
  }

  private takeDown(state: NodeState, reason: TransportClosedError): void {
    this.nodes.delete(state.id)
    state.transport.terminated(reason)
    for (const e of state.endpoints.list()) {
      if (e instanceof MemorySeqpacketConnection) {
        const peer = e.peerIfAny
        if (peer && peer.node !== state.id && !e.isClosed) this.connectionAbort(peer, 'NO_NODE')
        this.failConnect(e, reason)
      }
      if (e instanceof MemorySeqpacketListener) for (const client of e.takeBacklog()) this.refuse(client)
      e.terminate(reason)
    }
    state.endpoints.clear()
    for (const b of this.names.removeNode(state.id)) this.topology.withdrawn(b)
    this.topology.nodeDown(state.id)
  }

  /** After each tick: every node hands over what its endpoints hold. */
  private flush(): void {
    for (const state of this.nodes.values()) state.endpoints.flush()
  }

  private hasWork(): boolean {
    for (const state of this.nodes.values()) if (state.endpoints.hasWork) return true
    return false
  }

  private endpointOf(a: SocketAddress, incarnation: number): Endpoint | undefined {
    const state = this.nodes.get(a.node)
    if (!state || state.incarnation !== incarnation) return undefined
    return state.endpoints.get(a.ref)
  }

  private incarnationOf(node: number): number {
    return this.nodes.get(node)?.incarnation ?? -1
  }

  private lossReason(a: SocketAddress): 'NO_PORT' | 'NO_NODE' {
    return this.nodes.has(a.node) ? 'NO_PORT' : 'NO_NODE'
  }

  private liveState(node: number): NodeState {
    const state = this.nodes.get(node)
    if (!state) throw new TransportClosedError()
    return state
  }
}
