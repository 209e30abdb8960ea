// One simulated udp node: a process on virtual time (virtual-process.ts)
// running the real Peers and links (core/transports/udp/peers.ts) over the
// simulated network, with the wire's checks that come before the peers (a
// link packet for another node or session is dropped as notForUs), and an
// application on top: a numbered stream to every other node, sent with
// backpressure (full() refuses, stall(), wait for drained or up), and a
// tally of what each stream delivered. What a link returns at its down is
// the stream's NO_NODE returns.
import type { SeededRandom } from '../../../core/transports/shared/prng.js'
import { MODE_UNICAST, type RdmData } from '../../../core/transports/shared/rdm-data.js'
import { DATA_HEADER_SIZE, encodeData } from '../../../core/transports/udp/data-record.js'
import { linkHeader } from '../../../core/transports/udp/link-packet.js'
import { resolveUdpOptions, type UdpTransportOptions } from '../../../core/transports/udp/options.js'
import { HEADER_SIZE, LINK_FIXED_SIZE, linkBodySize, type LinkBody } from '../../../core/transports/udp/packet.js'
import { Peers, type LinkView, type LinkWire } from '../../../core/transports/udp/peers.js'
import { createNodeStats, type DropStats, type LinkStats, type NodeStats } from '../../../core/transports/udp/stats.js'
import { SenderLedger } from '../stream-ledger.js'
import type { SimNetwork } from './sim-network.js'
import { injected, type SimPacket } from './sim-packet.js'
import { StreamTally } from './stream-tally.js'
import { VirtualProcess, type VirtualTime } from './virtual-process.js'

export interface StreamPlan {
  /** Messages per stream. */
  messages: number
  /** Message sizes, bytes (larger than a packet's item space: fragmented). */
  minBytes: number
  maxBytes: number
  /** The application sends up to `burst` messages per stream every `everyMs`. */
  burst: number
  everyMs: number
}

/** What an injected datagram did at the node it reached. */
export interface InjectionOutcome {
  packet: SimPacket
  /** The node's link to the packet's source node before and after. */
  before: LinkView | undefined
  after: LinkView | undefined
  /** The drop counter it raised, if any. */
  dropped: keyof DropStats | undefined
}

/** A link down this node declared; `initiated`: the peer's end was still up with the same pair (this end decided, not the peer). */
export interface DownEvent {
  at: number
  peer: number
  initiated: boolean
}

interface OutStream {
  to: number
  ledger: SenderLedger
  next: number
  /** A send was refused: waiting for drained (or the link's down and up). */
  stalled: boolean
}

const CLUSTER = 4711
const SOCKET_LIMIT = 512

export class SimNode {
  readonly id: number
  readonly session: number
  readonly process: VirtualProcess<SimPacket>
  readonly peers: Peers
  readonly stats: NodeStats = createNodeStats()
  readonly streams = new Map<number, OutStream>()
  readonly tallies = new Map<number, StreamTally>()
  readonly injections: InjectionOutcome[] = []
  /** Link downs this node declared, per peer. */
  readonly downs = new Map<number, number>()
  readonly downLog: DownEvent[] = []
  /** The pair each link to a peer came up with. */
  private readonly upPairs = new Map<number, LinkView>()
  private readonly others = new Map<number, SimNode>()
  private readonly network: SimNetwork
  private readonly random: SeededRandom
  private readonly plan: StreamPlan
  private sendTimerSet = false

  constructor(id: number, session: number, options: UdpTransportOptions, time: VirtualTime, network: SimNetwork, random: SeededRandom, plan: StreamPlan) {
    this.id = id
    this.session = session
    this.network = network
    this.random = random
    this.plan = plan
    const resolved = resolveUdpOptions({ ...options, node: id, discovery: false })
    this.process = new VirtualProcess<SimPacket>(time, SOCKET_LIMIT, p => this.handle(p))
    const wire: LinkWire = {
      itemSpace: resolved.maxPacketSize - HEADER_SIZE - LINK_FIXED_SIZE,
      linkHeader: (node, peerSession) => linkHeader(0, CLUSTER, id, session, node, peerSession),
      sendLink: (header, body, _to, stats) => this.sendLink(header, body, stats),
    }
    this.peers = new Peers(resolved, this.stats, wire, {
      record: (node, bytes) => this.record(node, bytes),
      up: node => {
        this.upPairs.set(node, this.peers.linkView(node)!)
        this.process.nextTurn(() => this.pump(node))
      },
      down: (node, lost) => this.down(node, lost),
      drained: node => this.process.nextTurn(() => this.pump(node)),
      packetDone: () => undefined,
      batchEnd: () => undefined,
    }, this.process, () => random.next())
  }

  /** Start the links' housekeeping, beacons every `beaconMs`, and a stream to each of `nodes` (but itself). */
  start(nodes: readonly SimNode[], beaconMs: number): void {
    for (const n of nodes) if (n !== this) this.others.set(n.id, n)
    const others = [...this.others.keys()]
    for (const to of others) {
      this.streams.set(to, { to, ledger: new SenderLedger(this.plan.messages), next: 0, stalled: false })
      this.tallies.set(to, new StreamTally(this.plan.messages))
    }
    this.process.call(() => {
      this.peers.startHousekeeping()
      const beacon = (): void => {
        for (const to of others) this.network.send({ srcNode: this.id, srcSession: this.session, dstNode: to, dstSession: 0, body: undefined, size: HEADER_SIZE, origin: 'beacon' })
        this.process.setTimer(beacon, beaconMs)
      }
      beacon()
      this.armSender()
    })
  }

  /** The link to `node` as this node sees it. */
  view(node: number): LinkView | undefined {
    return this.peers.linkView(node)
  }

  /** Every stream has had all its messages taken. */
  get streamsDone(): boolean {
    for (const s of this.streams.values()) if (s.next < this.plan.messages) return false
    return true
  }

  private armSender(): void {
    if (this.sendTimerSet || this.streamsDone) return
    this.sendTimerSet = true
    this.process.setTimer(() => {
      this.sendTimerSet = false
      for (const to of this.streams.keys()) this.pump(to, this.plan.burst)
      this.armSender()
    }, this.plan.everyMs)
  }

  /** Send on the stream to `to` while its link is up and has room, up to `limit` messages. */
  private pump(to: number, limit = Infinity): void {
    const s = this.streams.get(to)
    if (!s) return
    let sent = 0
    while (s.next < this.plan.messages && sent < limit && this.peers.isUp(to)) {
      if (this.peers.full(to)) {
        s.stalled = true
        this.peers.stall(to)
        return
      }
      s.stalled = false
      const seq = s.next++
      s.ledger.take(seq)
      // A data record, as the transport sends one: its seq in srcRef, which a link that goes down gives back NO_NODE.
      this.peers.send(to, encodeData({ mode: MODE_UNICAST, srcRef: seq, dstRef: 0, type: 0, lower: 0, upper: 0, data: this.message(seq) }), true)
      sent++
    }
  }

  private message(seq: number): Uint8Array {
    const size = this.plan.minBytes + Math.floor(this.random.next() * (this.plan.maxBytes - this.plan.minBytes + 1))
    const bytes = new Uint8Array(size)
    new DataView(bytes.buffer).setUint32(0, seq)
    bytes[size - 1] = seq & 0xff
    return bytes
  }

  private record(node: number, bytes: Uint8Array): boolean {
    const tally = this.tallies.get(node)
    if (!tally || bytes.byteLength < DATA_HEADER_SIZE + 5) return false
    const payload = bytes.subarray(DATA_HEADER_SIZE)
    const seq = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0)
    tally.deliver(seq, payload[payload.byteLength - 1] === (seq & 0xff))
    return true
  }

  private down(node: number, lost: RdmData[]): void {
    this.downs.set(node, (this.downs.get(node) ?? 0) + 1)
    const was = this.upPairs.get(node)
    const theirs = this.others.get(node)?.view(this.id)
    const initiated = was !== undefined && theirs?.up === true && theirs.incarnation === was.peerIncarnation && theirs.peerIncarnation === was.incarnation
    this.downLog.push({ at: this.process.now(), peer: node, initiated })
    const s = this.streams.get(node)
    if (s) for (const msg of lost) s.ledger.returned(msg.srcRef, 'NO_NODE')
    if (s) s.stalled = false
  }

  private sendLink(header: Buffer, body: LinkBody, stats: LinkStats): void {
    const size = HEADER_SIZE + linkBodySize(body.items)
    stats.bytesSent += size
    this.stats.packetsSent++
    this.network.send({
      srcNode: this.id, srcSession: this.session, dstNode: header.readUInt32BE(20), dstSession: header.readUInt32BE(24),
      body, size, origin: 'link',
    })
  }

  /** A datagram read from the socket: the wire's checks, then the peers. */
  private handle(p: SimPacket): void {
    if (!injected(p)) return this.pass(p)
    const before = this.peers.linkView(p.srcNode)
    const drops = { ...this.stats.drops }
    this.pass(p)
    let dropped: keyof DropStats | undefined
    for (const k of Object.keys(drops) as Array<keyof DropStats>) if (this.stats.drops[k] > drops[k]) dropped = k
    this.injections.push({ packet: p, before, after: this.peers.linkView(p.srcNode), dropped })
  }

  private pass(p: SimPacket): void {
    this.stats.packetsReceived++
    this.stats.bytesReceived += p.size
    const rinfo = { address: `sim:${p.srcNode}`, port: 1 }
    if (p.body === undefined) {
      this.stats.beaconsReceived++
      this.peers.beacon(p.srcNode, p.srcSession, rinfo)
    } else if (p.dstNode !== this.id || p.dstSession !== this.session) {
      this.stats.drops.notForUs++
    } else {
      this.peers.link(p.srcNode, p.srcSession, p.body, p.size, rinfo)
      if (p.origin === 'link') this.network.keep(p)
    }
    this.peers.packetDone()
  }
}
