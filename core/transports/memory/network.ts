// MemoryNetwork: several TIPC "nodes" in one process, deterministic, with
// fault injection. Each open() is a node with its own Transport; all of them
// share one name table, one topology service and one virtual clock. The
// semantics are TIPC's (docs/transports.md): anycast round-robin, multicast one copy
// per socket, EHOSTUNREACH when nothing is bound, returned messages with
// NO_NAME / NO_PORT / NO_NODE / OVERLOAD and the first 1024 bytes.
import {
  checkDestination, deliveryOf, isServiceRange, isSocketAddress,
  type Destination, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../transport-contract/address.js'
import {
  ConnectionRefusedError, InvalidArgumentError, NoRouteError, PeerLostError, TransportClosedError,
} from '../../transport-contract/errors.js'
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../transport-contract/limits.js'
import type { ReceivedMessage, ReturnCode } from '../../transport-contract/message.js'
import type { ConnectOptions } from '../../transport-contract/seqpacket.js'
import { NameTable, visibleFrom, type NameBinding as Binding } from '../shared/name-table.js'
import { BlockedSenders } from '../shared/blocked-senders.js'
import { Endpoints } from '../shared/endpoints.js'
import { PendingConnects } from '../shared/pending-connects.js'
import { linkKey, type Endpoint } from './endpoint.js'
import { resolveFaults, resolveOptions, type FaultPlan, type MemoryNetworkOptions, type ResolvedOptions } from './options.js'
import { received, returned, type Packet } from './packet.js'
import { SeededRandom } from '../shared/prng.js'
import { MemoryRdmSocket } from './rdm-socket.js'
import { Scheduler } from './scheduler.js'
import { MemorySeqpacketConnection } from './seqpacket-connection.js'
import { MemorySeqpacketListener } from './seqpacket-listener.js'
import { createStats, type MemoryNetworkStats } from './stats.js'
import { TopologyHub } from './topology-hub.js'
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
}

export class MemoryNetwork {
  readonly stats: MemoryNetworkStats = createStats()
  private readonly options: ResolvedOptions
  private readonly random: SeededRandom
  private readonly scheduler: Scheduler
  private readonly names = new NameTable()
  private readonly topology: TopologyHub
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
    this.topology = new TopologyHub(this.scheduler, this.names)
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
    const blocked = new BlockedSenders<MemoryRdmSocket>(to => this.linkFull(id, to))
    this.nodes.set(id, { id, incarnation: ++this.incarnations, transport, endpoints, blocked })
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
  subscribe(node: number, range: ServiceRange, serviceOnly: boolean, handler: Parameters<TopologyHub['subscribe']>[3]) {
    return this.topology.subscribe(node, range, serviceOnly, handler)
  }

  /** @internal */
  watchNodes(node: number, handler: Parameters<TopologyHub['watchNodes']>[2]) {
    return this.topology.watchNodes(node, this.liveNodes, handler)
  }

  /** @internal */
  isBlocked(socket: MemoryRdmSocket): boolean {
    return this.nodes.get(socket.address.node)?.blocked.isBlocked(socket) ?? false
  }

  /** @internal RdmSocket.send after the socket's own checks: route, check congestion, transmit. */
  sendRdm(socket: MemoryRdmSocket, dest: Destination, data: Uint8Array): boolean {
    const d = checkDestination(dest)
    const here = socket.address.node
    const mode = deliveryOf(d)
    let targets: SocketAddress[]
    let name: ServiceRange | undefined
    if (isSocketAddress(d)) {
      if (!this.nodes.has(d.node)) throw new NoRouteError(d)
      targets = [d]
    } else if (isServiceRange(d)) {
      targets = this.names.sockets(d, b => visibleFrom(here, b))
      if (targets.length === 0) throw new NoRouteError(d)
      name = d
    } else {
      const b = this.names.anycast(d.type, d.instance, false, b => visibleFrom(here, b))
      if (!b) throw new NoRouteError(d)
      targets = [b.socket]
      name = { type: d.type, lower: d.instance, upper: d.instance }
    }
    // All or nothing: a congested link to any target refuses the whole send.
    for (const t of targets) {
      if (t.node !== here && this.linkFull(here, t.node)) {
        this.liveState(here).blocked.block(socket, t.node)
        this.stats.congested++
        return false
      }
    }
    if (mode === 'anycast') this.names.anycast((d as ServiceAddress).type, (d as ServiceAddress).instance, true, b => visibleFrom(here, b))
    const fromIncarnation = this.liveState(here).incarnation
    for (const t of targets) {
      const packet: Packet = {
        from: { ...socket.address }, to: { ...t }, mode, data: data.slice(),
        fromIncarnation, toIncarnation: this.nodes.get(t.node)!.incarnation,
      }
      if (name) packet.dest = { ...name }
      this.transmit(packet)
    }
    return true
  }

  /** @internal give a packet back to its sender's socket as a returned message. */
  returnToSender(p: Packet, code: ReturnCode): void {
    this.stats.returned[code]++
    if (code === 'OVERLOAD') this.stats.overloaded++
    const message = returned(p, code)
    this.scheduler.after(1, () => {
      const sender = this.endpointOf(p.from, p.fromIncarnation)
      if (sender instanceof MemoryRdmSocket && !sender.closed) {
        sender.enqueue(message)
        this.wake(sender)
      }
    })
  }

  /** @internal SeqpacketApi.connect for a node */
  connect(node: number, dest: ServiceAddress | SocketAddress, options: ConnectOptions = {}): Promise<MemorySeqpacketConnection> {
    let d: Destination
    try {
      d = checkDestination(dest)
      if (isServiceRange(d)) throw new InvalidArgumentError('connect takes a service address or a socket address, not a range')
    } catch (err) {
      return Promise.reject(err)
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) return Promise.reject(new InvalidArgumentError('timeoutMs must be a non-negative integer'))
    let target: SocketAddress
    if (isSocketAddress(d)) {
      if (!this.nodes.has(d.node)) return Promise.reject(new NoRouteError(d))
      target = d
    } else {
      const b = this.names.anycast(d.type, d.instance, true, b => visibleFrom(node, b))
      if (!b) return Promise.reject(new NoRouteError(d))
      target = b.socket
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

  private transmit(p: Packet): void {
    const f = this.options.faults
    const link = linkKey(p.from.node, p.to.node)
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
      this.landed(link, p.from.node, p.to.node)
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
    if (this.incarnationOf(p.from.node) !== p.fromIncarnation) {
      this.stats.lostInCrash++
      return
    }
    const node = this.nodes.get(p.to.node)
    if (!node || node.incarnation !== p.toIncarnation) return this.returnToSender(p, 'NO_NODE')
    const socket = node.endpoints.get(p.to.ref)
    if (!(socket instanceof MemoryRdmSocket) || socket.closed) {
      if (socket === undefined && p.mode === 'anycast') return this.reroute(p)
      if (p.mode === 'multicast') {
        this.stats.multicastMissed++
        return
      }
      return this.returnToSender(p, 'NO_PORT')
    }
    if (this.random.chance(this.options.faults.overload) || !socket.accepts(this.options.receiveQueueLimit)) {
      return this.returnToSender(p, 'OVERLOAD')
    }
    this.stats.delivered++
    socket.enqueue(received(p), p)
    node.endpoints.wake(socket)
  }

  /** TIPC looks a named message up again when its socket is gone: another binding, or NO_NAME. */
  private reroute(p: Packet): void {
    const b = this.names.anycast(p.dest!.type, p.dest!.lower, true, b => visibleFrom(p.from.node, b))
    if (!b) return this.returnToSender(p, 'NO_NAME')
    const to = this.nodes.get(b.socket.node)!
    this.arrive({ ...p, to: { ...b.socket }, toIncarnation: to.incarnation })
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
