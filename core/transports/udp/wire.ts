// The wire: the node's one UDP socket, and the first and last thing a packet
// meets. Every packet in is checked here before anything else sees it (the
// header's magic and version, the cluster, the seal, the sender's node and
// session, the link body's every count and length) and goes up to the peers
// (PacketSink) as a beacon or a parsed link packet; anything wrong is
// dropped and counted by reason, and nothing thrown while a packet is
// handled reaches the event loop. Packets out are written once (link
// packets: link-packet.ts; sealed: crypto.ts), pass the seeded fault
// injection, and are counted. Discovery's beacons go out from this socket,
// so their source address is where the node listens. The socket itself is
// native (native-node-socket.ts: batched, the default) or node:dgram
// (dgram-node-socket.ts): node-socket.ts.
import type { Keep } from '../shared/keep.js'
import { Malformed, Reader, Writer } from './bytes.js'
import { AuthFailure, PacketSealer, SEAL_OVERHEAD } from './crypto.js'
import { DgramNodeSocket } from './dgram-node-socket.js'
import { Discovery } from './discovery.js'
import { FaultInjector } from './faults.js'
import { linkHeader, linkPacket } from './link-packet.js'
import { NativeNodeSocket } from './native-node-socket.js'
import type { NodeSocket, NodeSocketInfo, Rinfo } from './node-socket.js'
import type { ResolvedUdpOptions } from './options.js'
import {
  FLAG_SEALED, HEADER_SIZE, LINK_FIXED_SIZE, PACKET_BEACON,
  encodeBeaconBody, readBeaconBody, readHeader, readLinkBody, writeHeader, type LinkBody,
} from './packet.js'
import type { LinkStats, NodeStats } from './stats.js'

export type { Rinfo } from './node-socket.js'

/** Where checked packets go: the peers. */
export interface PacketSink {
  beacon(node: number, session: number, from: Rinfo): void
  /** A link packet for this node's session; `size` is the datagram's. */
  link(node: number, session: number, body: LinkBody, size: number, from: Rinfo): void
  /** The packet has been handled (whatever became of it): hand over what it completed. */
  packetDone(): void
  /** A borrowed receive batch ended: what still holds its views must keep them now (NodeSocket.keep). */
  batchEnd(): void
}

const EMPTY = new Uint8Array(0)

function asParts(packet: Buffer | Uint8Array[]): Uint8Array[] {
  return Array.isArray(packet) ? packet : [packet]
}

function packetSize(packet: Buffer | Uint8Array[]): number {
  if (!Array.isArray(packet)) return packet.byteLength
  let size = 0
  for (const b of packet) size += b.byteLength
  return size
}

export class Wire {
  readonly node: number
  readonly session: number
  /** Bytes of items one link packet can carry (the packet size less headers and seal). */
  readonly itemSpace: number
  private readonly options: ResolvedUdpOptions
  private readonly stats: NodeStats
  private readonly socket: NodeSocket
  private readonly sealer: PacketSealer | undefined
  private readonly faults: FaultInjector
  private readonly discovery: Discovery
  private readonly onError: (err: unknown) => void
  private sink: PacketSink | undefined
  /** The socket's NodeSocket.keep: how what outlives a borrowed batch gets bytes of its own (undefined: nothing is lent). */
  readonly keep: Keep | undefined
  private inPacketFlag = false
  private closedFlag = false

  /** `onError` hears what failed other than a bad packet (the socket, a bug): for debugging, never thrown. */
  constructor(options: ResolvedUdpOptions, session: number, stats: NodeStats, onError: (err: unknown) => void) {
    this.options = options
    this.node = options.node
    this.session = session
    this.stats = stats
    this.onError = onError
    const events = { datagram: this.onPacket, batchEnd: this.onBatchEnd, error: onError }
    const onSendError = () => { this.stats.sendErrors++ }
    this.socket = options.socket === 'native' ? new NativeNodeSocket(events, onSendError, options.borrowedReceive) : new DgramNodeSocket(events, onSendError)
    this.keep = this.socket.keep
    this.sealer = options.key ? new PacketSealer(options.key, options.cipher, options.cluster, this.node) : undefined
    this.faults = new FaultInjector(options.faults, stats)
    this.discovery = new Discovery(options, (address, port) => this.sendBeacon(address, port))
    this.itemSpace = options.maxPacketSize - HEADER_SIZE - (this.sealer ? SEAL_OVERHEAD : 0) - LINK_FIXED_SIZE
  }

  /** Bind the socket, then start discovery; packets go to `sink` from then on. */
  async start(sink: PacketSink): Promise<void> {
    this.sink = sink
    const socket = this.socket
    await socket.bind(this.options.address, this.options.port, this.options.peers.map(p => p.address))
    try {
      await this.discovery.start(socket, this.onPacket)
    } catch (err) {
      this.stop()
      await socket.close()
      throw err
    }
  }

  /** The UDP port the socket is bound to. */
  get port(): number {
    return this.socket.port
  }

  /** Which socket, what the system granted it, and how well it batches. */
  socketInfo(): NodeSocketInfo {
    return this.socket.info()
  }

  /**
   * No packet given to the socket can still be sent later: the socket holds
   * none, and no fault injection delays packets on timers (record-pool.ts
   * reuses a record's memory only then).
   */
  readonly quiet = (): boolean => !this.faults.active && !this.socket.holding

  /** A packet is being handled now (its handler is not the application's own call). */
  get inPacket(): boolean {
    return this.inPacketFlag
  }

  /** The fixed header of every link packet to one peer session. */
  linkHeader(node: number, session: number): Buffer {
    return linkHeader(this.sealer ? FLAG_SEALED : 0, this.options.cluster, this.node, this.session, node, session)
  }

  /** One link packet to a peer, `header` from linkHeader(). */
  sendLink(header: Buffer, body: LinkBody, to: Rinfo, stats: LinkStats): void {
    if (this.closedFlag) return
    // Header and body in one go, large items as their own buffers (link-packet.ts); sealed: the same parts, encrypted (crypto.ts).
    const out = this.sealer ? this.sealer.sealParts(header, asParts(linkPacket(EMPTY, body, true))) : linkPacket(header, body, true)
    const size = packetSize(out)
    stats.bytesSent += size
    // A state packet (no items) is an ack the peer's window may wait for: it leaves at once.
    const urgent = body.items.length === 0
    if (this.faults.active) this.faults.apply(() => this.write(out, size, to.address, to.port, urgent))
    else this.write(out, size, to.address, to.port, urgent)
  }

  /** No packet in or out from now on; discovery stops. The socket stays open until close(). */
  stop(): void {
    this.closedFlag = true
    this.discovery.close()
    this.faults.close()
  }

  /** stop(), and close the socket. */
  close(): Promise<void> {
    this.stop()
    return this.socket.close()
  }

  // Even when stopped: what is queued may still go back NO_PORT when its socket closes, with its data.
  private readonly onBatchEnd = (): void => {
    this.sink?.batchEnd()
  }

  /** Every packet enters here. */
  readonly onPacket = (msg: Buffer, from: Rinfo): void => {
    if (this.closedFlag) return
    this.stats.packetsReceived++
    this.stats.bytesReceived += msg.byteLength
    this.inPacketFlag = true
    try {
      this.check(msg, from)
    } catch (err) {
      if (err instanceof Malformed) this.stats.drops.malformed++
      else if (err instanceof AuthFailure) this.stats.drops[err.reason]++
      else {
        this.stats.drops.malformed++
        this.onError(err)
      }
    } finally {
      this.inPacketFlag = false
    }
    this.sink!.packetDone()
  }

  private check(msg: Buffer, from: Rinfo): void {
    const h = readHeader(new Reader(msg))
    if (h.cluster !== this.options.cluster) {
      this.stats.drops.otherCluster++
      return
    }
    const sealed = (h.flags & FLAG_SEALED) !== 0
    if (sealed !== (this.sealer !== undefined)) throw new AuthFailure('auth')
    const body = this.sealer ? this.sealer.open(msg, h.srcNode) : msg.subarray(HEADER_SIZE)
    if (h.srcNode === this.node) {
      if (h.srcSession === this.session) this.stats.ownBeacons++
      else this.stats.drops.nodeConflict++
      return
    }
    if (h.srcSession === 0) throw new Malformed('zero session')
    const r = new Reader(body)
    if (h.type === PACKET_BEACON) {
      readBeaconBody(r)
      this.stats.beaconsReceived++
      this.sink!.beacon(h.srcNode, h.srcSession, from)
      return
    }
    if (h.dstNode !== this.node || h.dstSession !== this.session) {
      this.stats.drops.notForUs++
      return
    }
    this.sink!.link(h.srcNode, h.srcSession, readLinkBody(r), msg.byteLength, from)
  }

  private sendBeacon(address: string, port: number): void {
    if (this.closedFlag) return
    this.stats.beaconsSent++
    const header = new Writer(HEADER_SIZE)
    writeHeader(header, {
      type: PACKET_BEACON, flags: this.sealer ? FLAG_SEALED : 0, cluster: this.options.cluster,
      srcNode: this.node, srcSession: this.session, dstNode: 0, dstSession: 0,
    })
    const body = encodeBeaconBody()
    const packet = this.sealer ? this.sealer.sealParts(header.finish(), [body]) : Buffer.concat([header.finish(), body])
    this.write(packet, packetSize(packet), address, port)
  }

  private write(packet: Buffer | Uint8Array[], size: number, address: string, port: number, urgent = false): void {
    if (this.closedFlag) return
    this.stats.packetsSent++
    this.stats.bytesSent += size
    if (!this.socket.send(packet, address, port, urgent)) this.stats.sendErrors++
  }
}
