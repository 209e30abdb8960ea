// A udp node: the pieces of one process's transport, put together, and the
// node as its sockets see it. A datagram goes up through them in this
// order, and a send comes down the same way:
//
//   wire.ts              the UDP socket: every packet checked, counted, dropped or passed up
//   peers.ts             one peer per node heard from, each with its link (link.ts)
//   record-dispatch.ts   each record a link delivers, by kind, to:
//     shared/delivery.ts   RDM data to the sockets of this node (TIPC's rules)
//     name-distributor.ts  the name table across the cluster
//     connections.ts       SEQPACKET ends
//   outbound.ts          what goes down: records to a node, the router's data, returns
//
// RDM sends are routed by shared/routing.ts; the endpoints and their flush,
// blocked senders, returned messages and the topology service are the
// shared pieces (core/transports/shared/).
import { randomInt } from 'node:crypto'
import type { Destination, Scope, ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import { BlockedSenders } from '../shared/blocked-senders.js'
import { Delivery } from '../shared/delivery.js'
import { Endpoints } from '../shared/endpoints.js'
import { isolate } from '../shared/isolate.js'
import { NameTable, type NameBinding } from '../shared/name-table.js'
import { NextTurn } from '../shared/next-turn.js'
import type { RdmData } from '../shared/rdm-data.js'
import type { BaseRdmSocket, RdmSocketHost } from '../shared/rdm-socket.js'
import { Returns } from '../shared/returned.js'
import { Router } from '../shared/routing.js'
import { Topology } from '../shared/topology.js'
import { TurnQueue } from '../shared/turn-queue.js'
import { UdpConnections } from './connections.js'
import { NameDistributor } from './name-distributor.js'
import type { ResolvedUdpOptions } from './options.js'
import { Outbound } from './outbound.js'
import { Peers } from './peers.js'
import { UdpRdmSocket } from './rdm-socket.js'
import { RecordDispatch } from './record-dispatch.js'
import type { UdpRecord } from './records.js'
import { UdpSeqpacketConnection, UdpSeqpacketListener, type UdpSeqpacketHost } from './seqpacket.js'
import { createNodeStats, type NodeStats, type UdpStats } from './stats.js'
import { Wire, type Rinfo } from './wire.js'

type UdpEndpoint = UdpRdmSocket | UdpSeqpacketListener | UdpSeqpacketConnection

export class UdpNode implements RdmSocketHost<RdmData>, UdpSeqpacketHost {
  readonly id: number
  readonly session: number
  readonly options: ResolvedUdpOptions
  readonly stats: NodeStats = createNodeStats()
  /** This node's view of the name table: its own bindings and those its peers announced. */
  readonly names = new NameTable()
  readonly topology: Topology
  readonly router: Router<BaseRdmSocket<RdmData>>
  readonly returns: Returns<RdmData>
  /** Why something failed inside a handler (counted, never thrown): the last one, for debugging. */
  lastInternalError: unknown
  closed = false
  private readonly wire: Wire
  private readonly peers: Peers
  private readonly out: Outbound
  private readonly endpoints: Endpoints<UdpEndpoint>
  private readonly blocked: BlockedSenders<BaseRdmSocket<RdmData>>
  private readonly nameDistributor: NameDistributor
  private readonly connections: UdpConnections
  private readonly dispatch: RecordDispatch
  /** Topology events, each on the next turn (as from TIPC's topology server), a throwing handler isolated. */
  private readonly events = new TurnQueue<() => void>(isolate)
  private nextRef = randomInt(1, 0x40000000)

  private constructor(options: ResolvedUdpOptions) {
    this.options = options
    this.id = options.node
    this.session = randomInt(1, 0xffffffff)
    const onError = (err: unknown) => { this.lastInternalError = err }
    this.wire = new Wire(options, this.session, this.stats, onError)
    this.peers = new Peers(options, this.stats, this.wire, {
      record: (node, bytes) => this.dispatch.fromLink(node, bytes),
      up: node => this.linkUp(node),
      down: (node, lost) => this.linkDown(node, lost),
      drained: node => this.blocked.drained(node),
      packetDone: () => this.packetDone(),
    })
    this.out = new Outbound(this.id, this.peers, (rec: UdpRecord) => this.dispatch.fromSelf(rec))
    // Woken inside a packet handler, endpoints are flushed before it returns (packetDone).
    const flushTurn = new NextTurn(() => this.endpoints.flush())
    this.endpoints = new Endpoints<UdpEndpoint>(options.batchSize, () => {
      if (!this.wire.inPacket) flushTurn.request()
    })
    this.blocked = new BlockedSenders<BaseRdmSocket<RdmData>>(node => this.peers.full(node))
    this.router = new Router(this.id, this.names, this.blocked, this.out)
    this.returns = new Returns(this.stats, this.out)
    this.topology = new Topology(this.names, run => this.events.push(run))
    this.nameDistributor = new NameDistributor(this.id, this.names, this.topology, this.out)
    this.connections = new UdpConnections(this.endpoints, this.out, () => this.newConnection())
    const delivery = new Delivery<RdmData>(this.id, this.names, this.endpoints, this.returns, this.stats, {
      batchSize: options.batchSize, eagerBatches: true,
    })
    this.dispatch = new RecordDispatch(this.id, this.stats, delivery, this.nameDistributor, this.connections, err => {
      this.lastInternalError = err
    })
  }

  /** Bind the node's socket and start discovery and the links' housekeeping. */
  static async open(options: ResolvedUdpOptions): Promise<UdpNode> {
    const node = new UdpNode(options)
    await node.wire.start(node.peers)
    node.peers.startHousekeeping()
    return node
  }

  /** The UDP port this node listens on. */
  get port(): number {
    return this.wire.port
  }

  /** This node and the peers whose link is up. */
  get liveNodes(): number[] {
    return [this.id, ...this.peers.upNodes()]
  }

  isUp(node: number): boolean {
    return node === this.id || this.peers.isUp(node)
  }

  snapshot(): UdpStats {
    return { node: structuredClone(this.stats), links: this.peers.linkStats() }
  }

  /** @internal a datagram, as if it arrived on the socket (tests feed forged packets here). */
  receive(msg: Buffer, from: Rinfo): void {
    this.wire.onPacket(msg, from)
  }

  // --- endpoints ------------------------------------------------------------

  newRdm(): UdpRdmSocket {
    const s = new UdpRdmSocket(this, this.allocateRef())
    this.endpoints.add(s)
    return s
  }

  newListener(name: ServiceRange, scope: Scope): UdpSeqpacketListener {
    const l = new UdpSeqpacketListener(this, this.allocateRef(), name, scope)
    this.endpoints.add(l)
    this.publish(l.binding)
    return l
  }

  connect(dest: Destination, target: SocketAddress, timeoutMs: number): Promise<UdpSeqpacketConnection> {
    return this.connections.connect(dest, target, timeoutMs)
  }

  // --- what the sockets ask of their node (RdmSocketHost, UdpSeqpacketHost) ----------

  publish(binding: NameBinding): void {
    this.nameDistributor.publish(binding)
  }

  withdraw(binding: NameBinding): void {
    this.nameDistributor.withdraw(binding)
  }

  isBlocked(socket: BaseRdmSocket<RdmData>): boolean {
    return this.blocked.isBlocked(socket)
  }

  wake(e: UdpEndpoint): void {
    this.endpoints.wake(e)
  }

  removeEndpoint(e: UdpEndpoint): void {
    this.endpoints.remove(e)
    if (e instanceof UdpRdmSocket) this.blocked.forget(e)
  }

  sendRecord(node: number, rec: UdpRecord): void {
    this.out.send(node, rec)
  }

  accept(client: SocketAddress): UdpSeqpacketConnection {
    return this.connections.accept(client)
  }

  refuse(client: SocketAddress, listenerRef: number): void {
    this.connections.refuse(client, listenerRef)
  }

  failConnect(client: UdpSeqpacketConnection, err: Error): void {
    this.connections.fail(client, err)
  }

  // --- closing ----------------------------------------------------------------

  /** Tell every peer we are leaving (after what is queued), then stop. */
  async close(): Promise<void> {
    if (this.closed) return
    for (const e of this.endpoints.list()) e.terminate(new Error('transport closed'))
    this.connections.reset()
    // Give the links a moment to carry what the endpoints' closing queued (withdrawals, returns).
    const deadline = performance.now() + 200
    while (performance.now() < deadline && this.peers.busy) await new Promise(resolve => setTimeout(resolve, 2))
    this.peers.sendLeaving()
    this.closed = true
    const socketClosed = this.wire.close()
    this.peers.closeAll(true)
    this.topology.close()
    this.events.clear()
    await socketClosed
  }

  /** Vanish without a word, as a killed process would (tests). */
  crash(): void {
    if (this.closed) return
    this.closed = true
    const socketClosed = this.wire.close()
    this.peers.closeAll(false)
    this.topology.close()
    this.events.clear()
    for (const e of this.endpoints.list()) {
      if (e instanceof UdpSeqpacketConnection) e.fail(new Error('node crashed'))
      else if (e instanceof UdpRdmSocket) e.terminate(new Error('node crashed'))
    }
    void socketClosed
  }

  // --- internals ----------------------------------------------------------------

  private allocateRef(): number {
    for (;;) {
      const ref = this.nextRef
      this.nextRef = this.nextRef >= 0xfffffffe ? 1 : this.nextRef + 1
      if (!this.endpoints.has(ref)) return ref
    }
  }

  private newConnection(): UdpSeqpacketConnection {
    const c = new UdpSeqpacketConnection(this, this.allocateRef(), this.options.connectionWindow)
    this.endpoints.add(c)
    return c
  }

  private linkUp(node: number): void {
    this.nameDistributor.linkUp(node)
    this.topology.nodeUp(node)
  }

  /** Its bindings go, then the node; its lost data goes back NO_NODE; its connections end; its senders are free. */
  private linkDown(node: number, lost: RdmData[]): void {
    this.nameDistributor.nodeDown(node)
    this.topology.nodeDown(node)
    for (const msg of lost) this.returns.give(this.id, msg, 'NO_NODE', msg.dstRef)
    this.connections.nodeDown(node)
    this.blocked.drained(node)
  }

  /**
   * Hand what a packet completed to the handlers now, in the socket's own
   * callback: a packet handler is never the application's own call, so this
   * is as safe as the next turn, and a whole event-loop turn sooner.
   * Performance: one of the two setImmediate hops per request.
   */
  private packetDone(): void {
    if (this.endpoints.pending) this.endpoints.flush()
  }
}
