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
// The socket side (endpoints and their flush, the router RDM sends go
// through, blocked senders) is shared/socket-layer.ts; returned messages
// and the topology service are shared pieces too (core/transports/shared/).
import { randomInt } from 'node:crypto'
import type { Destination, Scope, ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import { isolate } from '../shared/isolate.js'
import { NameTable, type NameBinding } from '../shared/name-table.js'
import { NextTurn } from '../shared/next-turn.js'
import type { RdmData } from '../shared/rdm-data.js'
import { Returns } from '../shared/returned.js'
import type { ListenerHost } from '../shared/seqpacket-listener.js'
import { SocketLayer } from '../shared/socket-layer.js'
import { Topology } from '../shared/topology.js'
import { TurnQueue } from '../shared/turn-queue.js'
import { UdpConnections } from './connections.js'
import { NameDistributor } from './name-distributor.js'
import type { ResolvedUdpOptions } from './options.js'
import { Outbound } from './outbound.js'
import { RecordPool } from './record-pool.js'
import { Peers } from './peers.js'
import { UdpRdmSocket } from './rdm-socket.js'
import { RecordDispatch } from './record-dispatch.js'
import type { UdpRecord } from './records.js'
import { UdpSeqpacketConnection, UdpSeqpacketListener, type UdpConnectionHost } from './seqpacket.js'
import { createNodeStats, type NodeStats, type UdpStats } from './stats.js'
import { Wire, type Rinfo } from './wire.js'

type UdpEndpoint = UdpRdmSocket | UdpSeqpacketListener | UdpSeqpacketConnection

export class UdpNode implements ListenerHost<UdpSeqpacketListener, SocketAddress>, UdpConnectionHost {
  readonly id: number
  readonly session: number
  readonly options: ResolvedUdpOptions
  readonly topology: Topology
  readonly sockets: SocketLayer<RdmData, UdpEndpoint>
  /** Why something failed inside a handler (counted, never thrown): the last one, for debugging. */
  lastInternalError: unknown
  closed = false
  private readonly stats: NodeStats = createNodeStats()
  /** This node's view of the name table: its own bindings and those its peers announced. */
  private readonly names = new NameTable()
  private readonly returns: Returns<RdmData>
  private readonly wire: Wire
  private readonly peers: Peers
  private readonly out: Outbound
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
      drained: node => this.sockets.drained(node),
      packetDone: () => this.packetDone(),
      // Borrowed receive: the socket reuses the batch's memory next; what is still queued copies it now.
      batchEnd: () => {
        if (this.wire.keep) this.sockets.endpoints.keepQueued(this.wire.keep)
      },
    })
    this.out = new Outbound(this.id, this.peers, new RecordPool(this.wire.quiet, this.stats.recordChunks), (rec: UdpRecord) => this.dispatch.fromSelf(rec))
    this.returns = new Returns(this.stats, this.out)
    this.topology = new Topology(this.names, run => this.events.push(run))
    this.nameDistributor = new NameDistributor(this.id, this.names, this.topology, this.out)
    // Woken inside a packet handler, endpoints are flushed before it returns (packetDone).
    const flushTurn = new NextTurn(() => this.sockets.endpoints.flush())
    this.sockets = new SocketLayer<RdmData, UdpEndpoint>({
      node: this.id,
      names: this.names,
      returns: this.returns,
      stats: this.stats,
      carrier: this.out,
      bindings: this.nameDistributor,
      scheduleFlush: () => {
        if (!this.wire.inPacket) flushTurn.request()
      },
      delivery: { batchSize: options.batchSize, eagerBatches: true },
    })
    // Borrowed receive: the endpoints that queue lent bytes keep them at the batch's end (Wire.keep).
    if (this.wire.keep) this.sockets.endpoints.trackLent()
    this.connections = new UdpConnections(this.sockets.endpoints, this.out, () => this.newConnection())
    this.dispatch = new RecordDispatch(this.id, this.stats, this.sockets.delivery, this.nameDistributor, this.connections, onError)
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

  snapshot(): UdpStats {
    return { node: structuredClone(this.stats), links: this.peers.linkStats(), socket: this.wire.socketInfo() }
  }

  /** a datagram, as if it arrived on the socket (tests feed forged packets here). */
  receive(msg: Buffer, from: Rinfo): void {
    this.wire.onPacket(msg, from)
  }

  // --- endpoints ------------------------------------------------------------

  newRdm(): UdpRdmSocket {
    const limits = { messages: this.options.receiveQueueLimit, bytes: this.options.receiveQueueBytes }
    return this.sockets.add(new UdpRdmSocket(this.sockets, this.address(), limits))
  }

  newListener(name: ServiceRange, scope: Scope): UdpSeqpacketListener {
    const l = this.sockets.add(new UdpSeqpacketListener(this, { range: name, scope, socket: this.address() }))
    this.nameDistributor.publish(l.binding)
    return l
  }

  connect(dest: Destination, target: SocketAddress, timeoutMs: number): Promise<UdpSeqpacketConnection> {
    return this.connections.connect(dest, target, timeoutMs)
  }

  // --- what listeners and connection ends ask of their node ---------------------------

  withdraw(binding: NameBinding): void {
    this.nameDistributor.withdraw(binding)
  }

  wake(e: UdpEndpoint): void {
    this.sockets.wake(e)
  }

  removeEndpoint(e: UdpEndpoint): void {
    this.sockets.removeEndpoint(e)
  }

  sendRecord(node: number, rec: UdpRecord): void {
    this.out.send(node, rec)
  }

  accept(client: SocketAddress): UdpSeqpacketConnection {
    return this.connections.accept(client)
  }

  refuse(client: SocketAddress, listener: UdpSeqpacketListener): void {
    this.connections.refuse(client, listener.address.ref)
  }

  failConnect(client: UdpSeqpacketConnection, err: Error): void {
    this.connections.fail(client, err)
  }

  // --- closing ----------------------------------------------------------------

  /** Tell every peer we are leaving (after what is queued), then stop. */
  async close(): Promise<void> {
    if (this.closed) return
    for (const e of this.sockets.endpoints.list()) e.terminate(new Error('transport closed'))
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
    for (const e of this.sockets.endpoints.list()) {
      if (e instanceof UdpSeqpacketConnection) e.fail(new Error('node crashed'))
      else if (e instanceof UdpRdmSocket) e.terminate(new Error('node crashed'))
    }
    void socketClosed
  }

  // --- internals ----------------------------------------------------------------

  /** A free ref of this node's: they start at random and wrap around. */
  private address(): SocketAddress {
    for (;;) {
      const ref = this.nextRef
      this.nextRef = this.nextRef >= 0xfffffffe ? 1 : this.nextRef + 1
      if (!this.sockets.endpoints.has(ref)) return { node: this.id, ref }
    }
  }

  private newConnection(): UdpSeqpacketConnection {
    return this.sockets.add(new UdpSeqpacketConnection(this, this.address(), this.options.connectionWindow))
  }

  private linkUp(node: number): void {
    this.nameDistributor.linkUp(node)
    this.topology.nodeUp(node)
  }

  /** Its bindings go, then the node; its lost data goes back NO_NODE; its connections end; its senders are free. */
  private linkDown(node: number, lost: RdmData[]): void {
    this.nameDistributor.nodeDown(node)
    this.topology.nodeDown(node)
    for (const msg of lost) this.returns.give(this.id, msg, 'NO_NODE', msg.dstRef, node)
    this.connections.nodeDown(node)
    this.sockets.drained(node)
  }

  /**
   * Hand what a packet completed to the handlers now, in the socket's own
   * callback: a packet handler is never the application's own call, so this
   * is as safe as the next turn, and a whole event-loop turn sooner.
   * Performance: one of the two setImmediate hops per request.
   */
  private packetDone(): void {
    const endpoints = this.sockets.endpoints
    if (endpoints.pending) endpoints.flush()
  }
}
