// A udp node: one UDP socket, its peers (one link each), its endpoints
// (RDM sockets, listeners, connections), its view of the name table and its
// topology service. Packets in are checked (bounds, cluster, seal, session)
// and dropped with a counted reason when anything is wrong: nothing thrown
// from a packet handler ever reaches the event loop.
import dgram from 'node:dgram'
import { randomInt } from 'node:crypto'
import type { Destination, Scope, ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import { ConnectionRefusedError, PeerLostError } from '../../transport-contract/errors.js'
import type { ReturnCode } from '../../transport-contract/message.js'
import { NameTable } from '../shared/name-table.js'
import { BlockedSenders } from '../shared/blocked-senders.js'
import { Endpoints } from '../shared/endpoints.js'
import { NextTurn } from '../shared/next-turn.js'
import { isolate } from '../shared/isolate.js'
import { Topology } from '../shared/topology.js'
import { TurnQueue } from '../shared/turn-queue.js'
import { PendingConnects } from '../shared/pending-connects.js'
import { Delivery } from '../shared/delivery.js'
import type { RdmData } from '../shared/rdm-data.js'
import { Router } from '../shared/routing.js'
import { returnedMessage, Returns } from '../shared/returned.js'
import { Malformed, Reader, Writer } from './bytes.js'
import { encodeData } from './data-record.js'
import { AuthFailure, PacketSealer, SEAL_OVERHEAD } from './crypto.js'
import { Discovery } from './discovery.js'
import { FaultInjector } from './faults.js'
import { Link, type LinkConfig } from './link.js'
import { linkHeader, linkPacket } from './link-packet.js'
import { literalLookup } from './literal-lookup.js'
import type { ResolvedUdpOptions } from './options.js'
import {
  FLAG_SEALED, HEADER_SIZE, LINK_FIXED_SIZE, LINK_FLAG_LEAVING, PACKET_BEACON, PACKET_LINK,
  encodeBeaconBody, readBeaconBody, readHeader, readLinkBody, writeHeader, type LinkBody,
} from './packet.js'
import { UdpRdmSocket } from './rdm-socket.js'
import {
  MODE_UNICAST, R_CONN_ABORT, R_CONN_ACCEPT, R_CONN_CREDIT, R_CONN_DATA, R_CONN_END,
  R_CONN_REFUSE, R_CONN_REQ, R_DATA, R_PUBLISH, R_RETURN, R_WITHDRAW,
  decodeRecord, encodeRecord, type UdpRecord,
} from './records.js'
import { UdpSeqpacketConnection, UdpSeqpacketListener } from './seqpacket.js'
import { createNodeStats, type LinkStats, type NodeStats, type UdpStats } from './stats.js'

type Endpoint = UdpRdmSocket | UdpSeqpacketListener | UdpSeqpacketConnection

interface Peer {
  node: number
  session: number
  address: string
  port: number
  link: Link<RdmData>
  up: boolean
  since: number
  /** The 28-byte header of every link packet to this peer (link-packet.ts). */
  header: Buffer
}

const EMPTY = new Uint8Array(0)

export class UdpNode {
  readonly id: number
  readonly session: number
  readonly options: ResolvedUdpOptions
  readonly stats: NodeStats = createNodeStats()
  readonly names = new NameTable()
  readonly topology: Topology
  /** Topology events, each on the next turn (as from TIPC's topology server), a throwing handler isolated. */
  private readonly events = new TurnQueue<() => void>(isolate)
  private readonly socket: dgram.Socket
  private readonly discovery: Discovery
  private readonly sealer: PacketSealer | undefined
  private readonly faults: FaultInjector
  private readonly peers = new Map<number, Peer>()
  /** Link stats of peers gone, so stats() still shows them. */
  private readonly pastLinks = new Map<number, LinkStats>()
  private readonly endpoints: Endpoints<Endpoint>
  /** The endpoints' flush on the next turn, when they were woken outside a packet. */
  private readonly flushTurn: NextTurn
  private readonly linkConfig: LinkConfig
  private nextRef = randomInt(1, 0x40000000)
  /** A packet is being handled: endpoints woken now are flushed when it is done (onPacket). */
  private inPacket = false
  /** Records to this node itself, dispatched on the next turn (never within the sender's call). */
  private readonly local = new TurnQueue<UdpRecord>(rec => this.guard(() => this.dispatch(this.id, rec)))
  private housekeeping: NodeJS.Timeout | undefined
  /** Connects waiting for an answer, with the node they wait for. */
  private readonly pendingConnects = new PendingConnects<UdpSeqpacketConnection, number>()
  /** Undelivered messages back to their senders (R_RETURN records). */
  readonly returns: Returns<RdmData>
  readonly router: Router<UdpRdmSocket>
  private readonly delivery: Delivery<RdmData>
  /** Sockets whose send a full link refused, by the peer they wait for. */
  private readonly blocked = new BlockedSenders<UdpRdmSocket>(node => this.congested(node))
  /** Why something failed inside a handler (counted, never thrown): the last one, for debugging. */
  lastInternalError: unknown
  closed = false

  private constructor(options: ResolvedUdpOptions, socket: dgram.Socket) {
    this.options = options
    this.id = options.node
    this.session = randomInt(1, 0xffffffff)
    this.socket = socket
    this.topology = new Topology(this.names, run => this.events.push(run))
    this.sealer = options.key ? new PacketSealer(options.key, options.cipher, options.cluster, this.id) : undefined
    this.faults = new FaultInjector(options.faults, this.stats)
    this.discovery = new Discovery(options, (address, port) => this.sendBeacon(address, port))
    this.flushTurn = new NextTurn(() => this.endpoints.flush())
    this.returns = new Returns<RdmData>(this.stats, { carryBack: (to, rec, code, byRef, data) => this.carryBack(to, rec, code, byRef, data) })
    // Inside a packet handler, onPacket hands over before it returns.
    this.endpoints = new Endpoints<Endpoint>(options.batchSize, () => {
      if (!this.inPacket) this.flushTurn.request()
    })
    this.router = new Router<UdpRdmSocket>(this.id, this.names, this.blocked, {
      reaches: node => this.isUp(node),
      full: node => this.congested(node),
      refused: node => this.peers.get(node)!.link.stall(),
      transmit: (msg, nodes) => this.transmitData(msg, nodes),
    })
    this.delivery = new Delivery<RdmData>(this.id, this.names, this.endpoints, this.returns, this.stats, { batchSize: options.batchSize, eagerBatches: true })
    this.linkConfig = { ...options, itemSpace: options.maxPacketSize - HEADER_SIZE - (this.sealer ? SEAL_OVERHEAD : 0) - LINK_FIXED_SIZE }
  }

  static async open(options: ResolvedUdpOptions): Promise<UdpNode> {
    const socket = dgram.createSocket({ type: 'udp4', lookup: literalLookup })
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind({ port: options.port, address: options.address, exclusive: true }, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    try {
      socket.setRecvBufferSize(4 << 20)
      socket.setSendBufferSize(4 << 20)
    } catch {
      // The system caps buffer sizes; the defaults still work (with more retransmissions).
    }
    const node = new UdpNode(options, socket)
    socket.on('message', (msg, rinfo) => node.onPacket(msg, rinfo))
    socket.on('error', err => { node.lastInternalError = err })
    try {
      await node.discovery.start(socket, (msg, rinfo) => node.onPacket(msg, rinfo))
    } catch (err) {
      socket.close()
      node.discovery.close()
      throw err
    }
    const every = Math.max(5, Math.min(50, Math.floor(Math.min(options.heartbeatMs, options.toleranceMs) / 4)))
    node.housekeeping = setInterval(() => node.tick(), every)
    node.housekeeping.unref()
    return node
  }

  /** The UDP port this node listens on. */
  get port(): number {
    return this.socket.address().port
  }

  /** Peer nodes whose link is up. */
  get liveNodes(): number[] {
    return [this.id, ...[...this.peers.values()].filter(p => p.up).map(p => p.node)]
  }

  isUp(node: number): boolean {
    return node === this.id || this.peers.get(node)?.up === true
  }

  snapshot(): UdpStats {
    const links: Record<number, LinkStats> = {}
    for (const [n, s] of this.pastLinks) links[n] = { ...s }
    for (const p of this.peers.values()) links[p.node] = { ...p.link.stats }
    return { node: structuredClone(this.stats), links }
  }

  // --- endpoints ------------------------------------------------------------

  allocateRef(): number {
    for (;;) {
      const ref = this.nextRef
      this.nextRef = this.nextRef >= 0xfffffffe ? 1 : this.nextRef + 1
      if (!this.endpoints.has(ref)) return ref
    }
  }

  newRdm(): UdpRdmSocket {
    const s = new UdpRdmSocket(this, this.allocateRef())
    this.endpoints.add(s)
    return s
  }

  newListener(name: ServiceRange, scope: Scope): UdpSeqpacketListener {
    const l = new UdpSeqpacketListener(this, this.allocateRef(), name, scope)
    this.endpoints.add(l)
    this.publish(l.address.ref, name, scope)
    return l
  }

  newConnection(): UdpSeqpacketConnection {
    const c = new UdpSeqpacketConnection(this, this.allocateRef(), this.options.connectionWindow)
    this.endpoints.add(c)
    return c
  }

  removeEndpoint(e: Endpoint): void {
    this.endpoints.remove(e)
    if (e instanceof UdpRdmSocket) this.blocked.forget(e)
  }

  wake(e: Endpoint): void {
    this.endpoints.wake(e)
  }


  // --- names ----------------------------------------------------------------

  publish(ref: number, range: ServiceRange, scope: Scope): void {
    const b = { range: { ...range }, scope, socket: { node: this.id, ref } }
    this.names.add(b)
    this.topology.published(b)
    if (scope === 'cluster') this.toAllPeers({ kind: R_PUBLISH, ref, ...range })
  }

  withdraw(ref: number, range: ServiceRange, scope: Scope): void {
    const b = this.names.remove({ node: this.id, ref }, range, scope)
    if (!b) return
    this.topology.withdrawn(b)
    if (scope === 'cluster') this.toAllPeers({ kind: R_WITHDRAW, ref, ...range })
  }

  private toAllPeers(rec: UdpRecord): void {
    let bytes: Buffer | undefined
    for (const p of this.peers.values()) {
      if (!p.up) continue
      bytes ??= encodeRecord(rec)
      p.link.enqueue(bytes, undefined, 0)
    }
  }

  // --- sending --------------------------------------------------------------

  private congested(node: number): boolean {
    const p = this.peers.get(node)
    return p !== undefined && p.up && p.link.full(1)
  }

  /** Whether the socket's last refused send still waits for its link (writable()). */
  isBlocked(socket: UdpRdmSocket): boolean {
    return this.blocked.isBlocked(socket)
  }

  /** The router's transmit: one record per node, encoded once; to this node, a copy on the next turn. */
  private transmitData(msg: RdmData, nodes: readonly number[]): void {
    let encoded: Buffer | undefined
    for (const n of nodes) {
      if (n === this.id) {
        this.toLocal({ kind: R_DATA, ...msg, data: msg.data.slice() })
      } else {
        encoded ??= encodeData(msg)
        // The message is the link's tag: what goes back NO_NODE if the link goes down with it.
        this.peers.get(n)!.link.enqueue(encoded, msg, 1)
      }
    }
  }

  /** Send a control record to a node (this one included); dropped if its link is not up. */
  sendRecord(node: number, rec: UdpRecord): void {
    if (node === this.id) return this.toLocal(rec)
    const p = this.peers.get(node)
    if (p?.up) p.link.enqueue(encodeRecord(rec), undefined, 0)
  }

  /** A return record to the sender's node; `data` is already cut, the length as sent stays on the wire. */
  private carryBack(toNode: number, rec: RdmData, code: ReturnCode, fromRef: number, data: Uint8Array): void {
    this.sendRecord(toNode, {
      kind: R_RETURN, code, hasName: rec.mode !== MODE_UNICAST, dstRef: rec.srcRef, fromRef,
      type: rec.type, lower: rec.lower, upper: rec.upper, length: rec.data.byteLength, data,
    })
  }

  private toLocal(rec: UdpRecord): void {
    this.local.push(rec)
  }

  // --- connections ----------------------------------------------------------

  connect(dest: Destination, target: SocketAddress, timeoutMs: number): Promise<UdpSeqpacketConnection> {
    const client = this.newConnection()
    const connected = this.pendingConnects.start(client, dest, timeoutMs, target.node)
    this.sendRecord(target.node, { kind: R_CONN_REQ, dstRef: target.ref, srcRef: client.address.ref })
    return connected
  }

  failConnect(client: UdpSeqpacketConnection, err: Error): void {
    this.pendingConnects.fail(client, err)
  }

  refuse(client: SocketAddress, listenerRef: number): void {
    this.sendRecord(client.node, { kind: R_CONN_REFUSE, dstRef: client.ref, srcRef: listenerRef })
  }

  // --- receiving ------------------------------------------------------------

  /** Every packet enters here. Nothing thrown escapes: it is counted and dropped. */
  onPacket(msg: Buffer, rinfo: { address: string; port: number }): void {
    if (this.closed) return
    this.stats.packetsReceived++
    this.stats.bytesReceived += msg.byteLength
    this.inPacket = true
    try {
      this.handlePacket(msg, rinfo)
    } catch (err) {
      if (err instanceof Malformed) this.stats.drops.malformed++
      else if (err instanceof AuthFailure) this.stats.drops[err.reason]++
      else {
        this.stats.drops.malformed++
        this.lastInternalError = err
      }
    } finally {
      this.inPacket = false
    }
    // Hand what this packet completed to the handlers now, in the socket's
    // own callback: a packet handler is never the application's own call,
    // so this is as safe as the next turn, and a whole event-loop turn
    // sooner. Performance: one of the two setImmediate hops per request.
    if (this.endpoints.pending) this.endpoints.flush()
  }

  private handlePacket(msg: Buffer, rinfo: { address: string; port: number }): void {
    const r = new Reader(msg)
    const h = readHeader(r)
    if (h.cluster !== this.options.cluster) {
      this.stats.drops.otherCluster++
      return
    }
    const sealed = (h.flags & FLAG_SEALED) !== 0
    if (sealed !== (this.sealer !== undefined)) throw new AuthFailure('auth')
    const body = this.sealer ? this.sealer.open(msg, h.srcNode) : msg.subarray(HEADER_SIZE)
    if (h.srcNode === this.id) {
      if (h.srcSession === this.session) this.stats.ownBeacons++
      else this.stats.drops.nodeConflict++
      return
    }
    if (h.srcSession === 0) throw new Malformed('zero session')
    const br = new Reader(body)
    if (h.type === PACKET_BEACON) {
      readBeaconBody(br)
      this.stats.beaconsReceived++
      this.onBeacon(h.srcNode, h.srcSession, rinfo)
      return
    }
    if (h.dstNode !== this.id || h.dstSession !== this.session) {
      this.stats.drops.notForUs++
      return
    }
    const link = readLinkBody(br)
    let peer = this.peers.get(h.srcNode)
    if (peer && peer.session !== h.srcSession) {
      // The peer restarted: its former self is gone.
      this.peerDown(peer)
      peer = undefined
    }
    if (!peer) {
      peer = this.addPeer(h.srcNode, h.srcSession, rinfo)
      if (!peer) return
    }
    if (!peer.up) this.peerUp(peer)
    peer.link.receive(link, msg.byteLength)
    if ((link.flags & LINK_FLAG_LEAVING) !== 0 && this.peers.get(peer.node) === peer) this.peerDown(peer)
  }

  private onBeacon(node: number, session: number, rinfo: { address: string; port: number }): void {
    const peer = this.peers.get(node)
    if (peer && peer.session === session) {
      if (!peer.up) peer.link.sendState(true)
      return
    }
    if (peer) this.peerDown(peer)
    this.addPeer(node, session, rinfo)?.link.sendState(true)
  }

  private addPeer(node: number, session: number, rinfo: { address: string; port: number }): Peer | undefined {
    if (this.peers.size >= this.options.maxPeers) {
      this.stats.drops.peerLimit++
      return undefined
    }
    const peer: Peer = {
      node, session, address: rinfo.address, port: rinfo.port, up: false, since: performance.now(),
      link: undefined as unknown as Link<RdmData>,
      header: linkHeader(this.sealer ? FLAG_SEALED : 0, this.options.cluster, this.id, this.session, node, session),
    }
    peer.link = new Link<RdmData>(this.linkConfig, {
      transmit: body => this.sendLink(peer, body),
      deliver: bytes => this.onRecord(peer, bytes),
      drained: () => this.blocked.drained(peer.node),
      random: Math.random,
    })
    this.peers.set(node, peer)
    return peer
  }

  private peerUp(peer: Peer): void {
    peer.up = true
    this.stats.linksUp++
    // The full table first: the peer knows our bindings before any data of ours.
    for (const b of this.names.ofNode(this.id)) {
      if (b.scope === 'cluster') peer.link.enqueue(encodeRecord({ kind: R_PUBLISH, ref: b.socket.ref, ...b.range }), undefined, 0)
    }
    this.topology.nodeUp(peer.node)
  }

  private peerDown(peer: Peer): void {
    if (this.peers.get(peer.node) !== peer) return
    this.peers.delete(peer.node)
    this.remember(peer)
    const lost = peer.link.close()
    if (!peer.up) return
    this.stats.linksDown++
    for (const b of this.names.removeNode(peer.node)) this.topology.withdrawn(b)
    this.topology.nodeDown(peer.node)
    for (const rec of lost) this.returns.give(this.id, rec, 'NO_NODE', rec.dstRef)
    const lostErr = () => new PeerLostError('NO_NODE')
    for (const e of this.endpoints.list()) {
      if (e instanceof UdpSeqpacketConnection && e.peerIfAny?.node === peer.node) e.deliver({ end: lostErr() })
    }
    this.pendingConnects.failWhere(target => target === peer.node, lostErr)
    this.blocked.drained(peer.node)
  }

  /** Keep a gone link's stats for stats(), the most recent maxPeers of them. */
  private remember(peer: Peer): void {
    this.pastLinks.delete(peer.node)
    this.pastLinks.set(peer.node, peer.link.stats)
    if (this.pastLinks.size > this.options.maxPeers) this.pastLinks.delete(this.pastLinks.keys().next().value!)
  }


  private onRecord(peer: Peer, bytes: Uint8Array): void {
    let rec: UdpRecord
    try {
      rec = decodeRecord(bytes)
    } catch (err) {
      if (!(err instanceof Malformed)) throw err
      peer.link.stats.malformedRecords++
      return
    }
    this.guard(() => this.dispatch(peer.node, rec))
  }

  private guard(run: () => void): void {
    try {
      run()
    } catch (err) {
      this.lastInternalError = err
      this.stats.drops.malformed++
    }
  }

  private dispatch(from: number, rec: UdpRecord): void {
    switch (rec.kind) {
      case R_DATA:
        return this.delivery.arrive(from, rec)
      case R_RETURN: {
        // rec.data was cut by the returning node (carryBack); rec.length, the length as sent, stays on the wire.
        const dest = rec.hasName ? { type: rec.type, lower: rec.lower, upper: rec.upper } : undefined
        return this.delivery.home(rec.dstRef, returnedMessage({ node: from, ref: rec.fromRef }, rec.code, rec.data, dest), from)
      }
      case R_PUBLISH: {
        if (from === this.id) return
        const b = { range: { type: rec.type, lower: rec.lower, upper: rec.upper }, scope: 'cluster' as const, socket: { node: from, ref: rec.ref } }
        this.names.add(b)
        this.topology.published(b)
        return
      }
      case R_WITHDRAW: {
        if (from === this.id) return
        const b = this.names.remove({ node: from, ref: rec.ref }, { type: rec.type, lower: rec.lower, upper: rec.upper }, 'cluster')
        if (b) this.topology.withdrawn(b)
        return
      }
      case R_CONN_REQ: {
        const l = this.endpoints.get(rec.dstRef)
        if (l instanceof UdpSeqpacketListener && !l.closed) l.offer({ node: from, ref: rec.srcRef })
        else this.refuse({ node: from, ref: rec.srcRef }, rec.dstRef)
        return
      }
      case R_CONN_ACCEPT: {
        const c = this.endpoints.get(rec.dstRef)
        const connected = c instanceof UdpSeqpacketConnection ? this.pendingConnects.accept(c) : undefined
        if (!connected || !(c instanceof UdpSeqpacketConnection)) {
          this.sendRecord(from, { kind: R_CONN_ABORT, dstRef: rec.srcRef, srcRef: rec.dstRef })
          return
        }
        c.established({ node: from, ref: rec.srcRef })
        connected()
        return
      }
      case R_CONN_REFUSE: {
        const c = this.endpoints.get(rec.dstRef)
        const dest = c instanceof UdpSeqpacketConnection ? this.pendingConnects.destOf(c) : undefined
        if (dest) this.failConnect(c as UdpSeqpacketConnection, new ConnectionRefusedError(dest))
        return
      }
      default: {
        const c = this.endpoints.get(rec.dstRef)
        const p = c instanceof UdpSeqpacketConnection ? c.peerIfAny : undefined
        if (!(c instanceof UdpSeqpacketConnection) || !p || p.node !== from || p.ref !== rec.srcRef) {
          if (rec.kind === R_CONN_DATA) this.sendRecord(from, { kind: R_CONN_ABORT, dstRef: rec.srcRef, srcRef: rec.dstRef })
          return
        }
        if (rec.kind === R_CONN_DATA) c.deliver({ message: { data: rec.data, from: { node: from, ref: rec.srcRef } } })
        else if (rec.kind === R_CONN_CREDIT) c.credit(rec.count)
        else if (rec.kind === R_CONN_END) c.deliver({ end: undefined })
        else if (rec.kind === R_CONN_ABORT) c.deliver({ end: new PeerLostError('NO_PORT') })
      }
    }
  }

  // --- packets out ----------------------------------------------------------

  private sendBeacon(address: string, port: number): void {
    this.stats.beaconsSent++
    const body = encodeBeaconBody()
    this.sendPacket(PACKET_BEACON, 0, 0, body, address, port)
  }

  private sendLink(peer: Peer, body: LinkBody): void {
    if (this.closed) return
    // Sealed: the body is encrypted whole (one buffer); open: header and body in one go (link-packet.ts).
    const out = this.sealer ? this.sealer.seal(peer.header, linkPacket(EMPTY, body, false) as Buffer) : linkPacket(peer.header, body, true)
    let size = 0
    if (Array.isArray(out)) for (const b of out) size += b.byteLength
    else size = out.byteLength
    peer.link.stats.bytesSent += size
    this.transmitPacket(out, size, peer.address, peer.port, true)
  }

  private sendPacket(type: number, dstNode: number, dstSession: number, body: Uint8Array, address: string, port: number): void {
    if (this.closed) return
    const header = new Writer(HEADER_SIZE)
    writeHeader(header, {
      type, flags: this.sealer ? FLAG_SEALED : 0, cluster: this.options.cluster,
      srcNode: this.id, srcSession: this.session, dstNode, dstSession,
    })
    const packet = this.sealer ? this.sealer.seal(header.finish(), body) : Buffer.concat([header.finish(), body])
    this.transmitPacket(packet, packet.byteLength, address, port, type === PACKET_LINK)
  }

  private transmitPacket(packet: Buffer | Uint8Array[], size: number, address: string, port: number, link: boolean): void {
    const send = () => {
      if (this.closed) return
      this.stats.packetsSent++
      this.stats.bytesSent += size
      try {
        this.socket.send(packet, port, address, this.onSent)
      } catch {
        this.stats.sendErrors++
      }
    }
    if (this.faults.active && link) this.faults.apply(send)
    else send()
  }

  private readonly onSent = (err: Error | null): void => {
    if (err) this.stats.sendErrors++
  }

  private tick(): void {
    const now = performance.now()
    for (const p of [...this.peers.values()]) {
      if (!p.link.tick(now)) this.peerDown(p)
      else if (!p.up && now - p.link.lastSent >= Math.min(50, this.options.heartbeatMs)) p.link.sendState(true)
    }
  }

  /** Tell every peer we are leaving (after what is queued), then stop. */
  async close(): Promise<void> {
    if (this.closed) return
    for (const e of this.endpoints.list()) e.terminate(new Error('transport closed'))
    this.pendingConnects.failWhere(() => true, () => new PeerLostError('RESET'))
    // Give the links a moment to carry what the endpoints' closing queued (withdrawals, returns).
    const deadline = performance.now() + 200
    while (performance.now() < deadline && [...this.peers.values()].some(p => p.up && p.link.queued + p.link.held.unacked > 0)) {
      await new Promise(resolve => setTimeout(resolve, 2))
    }
    for (const p of this.peers.values()) {
      if (p.up) p.link.sendLeaving()
    }
    this.closed = true
    if (this.housekeeping) clearInterval(this.housekeeping)
    this.discovery.close()
    this.faults.close()
    for (const p of [...this.peers.values()]) {
      this.peers.delete(p.node)
      this.remember(p)
      p.link.close()
    }
    this.topology.close()
    this.events.clear()
    await new Promise<void>(resolve => this.socket.close(() => resolve()))
  }

  /** Vanish without a word, as a killed process would (tests). */
  crash(): void {
    if (this.closed) return
    this.closed = true
    if (this.housekeeping) clearInterval(this.housekeeping)
    this.discovery.close()
    this.faults.close()
    for (const p of this.peers.values()) p.link.close()
    this.peers.clear()
    this.topology.close()
    this.events.clear()
    for (const e of this.endpoints.list()) {
      if (e instanceof UdpSeqpacketConnection) e.fail(new Error('node crashed'))
      else if (e instanceof UdpRdmSocket) e.terminate(new Error('node crashed'))
    }
    this.socket.close()
  }
}
