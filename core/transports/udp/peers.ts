// The peers: one per node this node hears from, each with its link
// (link.ts). A beacon from an unknown node, or from a new session of a known
// one whose link is not up, makes a peer and a probe; the link is up when a
// packet of the peer's proves it knows our session; when the peer goes
// silent for the tolerance an up link is reset (peer down, a new incarnation
// that probes) and one never up is dropped; a peer that says it is leaving
// is down at once. Another session of a
// node whose link is up is ignored and counted (staleSession): a restarted
// process is taken once its former self's link has gone down. Packets come
// up from the wire (PacketSink) and go down to it (LinkWire); what a link
// delivers (whole records, in order) and each peer's up and down go up to
// the node (PeerEvents). Time comes from a Clock (clock.ts): the real one,
// or a simulation's (test/udp/sim/).
import type { Keep } from '../shared/keep.js'
import type { RdmData } from '../shared/rdm-data.js'
import { decodeData } from './data-record.js'
import { realClock, type Clock, type TimerHandle } from './clock.js'
import { judgeIncarnation, ESTABLISH, LEARN, OLD, RESET } from './link-incarnation.js'
import { DUPLICATE_DATA, Link, REPLAYED_STATE, type LinkConfig } from './link.js'
import type { ResolvedUdpOptions } from './options.js'
import type { RecordLease } from './record-pool.js'
import { LINK_FLAG_LEAVING, LINK_FLAG_PROBE, type LinkBody } from './packet.js'
import type { LinkStats, NodeStats } from './stats.js'
import type { PacketSink, Rinfo } from './wire.js'

/** What the peers tell the node. */
export interface PeerEvents {
  /** A whole record off `node`'s link, in order; false when it does not parse (counted on the link). */
  record(node: number, bytes: Uint8Array): boolean
  /** The link to `node` is up: nothing of ours has gone over it yet. */
  up(node: number): void
  /** The link to `node` is down; `lost`: the data it had not delivered, in send order. */
  down(node: number, lost: RdmData[]): void
  /** The link to `node` has room again after refusing a send. */
  drained(node: number): void
  /** A packet has been handled. */
  packetDone(): void
  /** A receive batch ended: queued messages must keep their borrowed data now (PacketSink.batchEnd). */
  batchEnd(): void
}

/** What the peers need of the wire (wire.ts: the node's UDP socket). */
export interface LinkWire {
  /** Bytes of items one link packet can carry. */
  readonly itemSpace: number
  /** The fixed header of every link packet to one peer session. */
  linkHeader(node: number, session: number): Buffer
  /** One link packet to a peer, `header` from linkHeader(). */
  sendLink(header: Buffer, body: LinkBody, to: Rinfo, stats: LinkStats): void
  /** Bytes of their own for items held past their packet's batch (Wire.keep; default: as they are). */
  readonly keep?: Keep | undefined
}

/** The state of the link to one peer, as far as this end knows (tests: do both ends agree?). */
export interface LinkView {
  session: number
  up: boolean
  incarnation: number
  peerIncarnation: number
}

interface Peer extends Rinfo {
  node: number
  session: number
  /** Its tags: the encoded data records, decoded again only if the link goes down with them. */
  link: Link<Uint8Array>
  up: boolean
  /** The 28-byte header of every link packet to this peer (link-packet.ts). */
  header: Buffer
}

export class Peers implements PacketSink {
  private readonly peers = new Map<number, Peer>()
  /** Link stats of peers gone, so stats() still shows them. */
  private readonly pastLinks = new Map<number, LinkStats>()
  private readonly options: ResolvedUdpOptions
  private readonly stats: NodeStats
  private readonly wire: LinkWire
  private readonly linkConfig: LinkConfig
  private readonly events: PeerEvents
  private readonly clock: Clock
  /** Jitter for the links' retransmission timers. */
  private readonly random: () => number
  private housekeeping: TimerHandle | undefined
  private housekeepingEvery = 0
  /** When the last housekeeping tick ran (to see this process's own stalls). */
  private lastTickAt = 0
  /** The incarnation of the link made last (every link gets a new one: link-incarnation.ts). */
  private lastIncarnation = 0
  /** A silence check waits for the poll phase (tick). */
  private confirming = false

  constructor(options: ResolvedUdpOptions, stats: NodeStats, wire: LinkWire, events: PeerEvents, clock: Clock = realClock, random: () => number = Math.random) {
    this.options = options
    this.stats = stats
    this.wire = wire
    this.linkConfig = { ...options, itemSpace: wire.itemSpace, clock, ...(wire.keep ? { keep: wire.keep } : {}) }
    this.events = events
    this.clock = clock
    this.random = random
  }

  // --- up from the wire -------------------------------------------------------

  beacon(node: number, session: number, from: Rinfo): void {
    const peer = this.peers.get(node)
    if (peer && peer.session === session) {
      if (!peer.up) peer.link.sendState(true)
      return
    }
    if (peer) {
      if (this.staleSession(peer)) return
      this.down(peer)
    }
    this.add(node, session, from)?.link.sendState(true)
  }

  link(node: number, session: number, body: LinkBody, size: number, from: Rinfo): void {
    let peer = this.peers.get(node)
    if (peer && peer.session !== session) {
      if (this.staleSession(peer)) return
      this.down(peer)
      peer = undefined
    }
    if (!peer) {
      peer = this.add(node, session, from)
      if (!peer) return
    }
    const link = peer.link
    const leaving = (body.flags & LINK_FLAG_LEAVING) !== 0
    const verdict = judgeIncarnation(peer.up, link.incarnation, link.peerIncarnation, body.incarnation, body.peerIncarnation)
    switch (verdict) {
      case OLD:
        this.stats.drops.oldIncarnation++
        return
      case RESET:
      case LEARN: {
        // Not the agreed pair: a leaving peer just goes; else (after our own reset if the peer reset) learn its incarnation.
        if (leaving) this.down(peer)
        else this.learn(verdict === RESET ? this.reset(peer) : peer, body)
        return
      }
      case ESTABLISH:
        link.peerIncarnation = body.incarnation
        this.establish(peer)
        break
    }
    const outcome = link.receive(body, size)
    if (outcome === REPLAYED_STATE) this.stats.drops.replayedState++
    else if (outcome === DUPLICATE_DATA) this.stats.drops.duplicateData++
    // A replayed "leaving" is no reason to go down.
    if (leaving && outcome !== REPLAYED_STATE) this.down(peer)
  }

  packetDone(): void {
    this.events.packetDone()
  }

  batchEnd(): void {
    this.events.batchEnd()
  }

  // --- down from the node -------------------------------------------------------

  isUp(node: number): boolean {
    return this.peers.get(node)?.up === true
  }

  /** Nodes whose link is up. */
  upNodes(): number[] {
    const nodes: number[] = []
    for (const p of this.peers.values()) if (p.up) nodes.push(p.node)
    return nodes
  }

  /** Whether the link to `node` refuses data now. */
  full(node: number): boolean {
    const p = this.peers.get(node)
    return p !== undefined && p.up && p.link.full(1)
  }

  /** A send was refused: the link will say when it drained. */
  stall(node: number): void {
    this.peers.get(node)?.link.stall()
  }

  /**
   * Queue an encoded record on the link to `node` if it is up. A data
   * record (`data`) is returned NO_NODE if the link goes down with it, and
   * counts against the window; control records do neither. The link keeps
   * the record itself for that, not a message object per record: what it
   * holds until the peer acks is what every scavenge copies.
   */
  send(node: number, record: Uint8Array, data = false, lease?: RecordLease): void {
    const p = this.peers.get(node)
    if (p?.up) p.link.enqueue(record, data ? record : undefined, data ? 1 : 0, lease)
  }

  /** A control record to every peer whose link is up. */
  sendToAll(record: Uint8Array): void {
    for (const p of this.peers.values()) if (p.up) p.link.enqueue(record, undefined, 0)
  }

  /** The link to `node` as this end sees it; undefined when there is none. */
  linkView(node: number): LinkView | undefined {
    const p = this.peers.get(node)
    if (!p) return undefined
    return { session: p.session, up: p.up, incarnation: p.link.incarnation, peerIncarnation: p.link.peerIncarnation }
  }

  /** Every link's counters, gone ones included (copies). */
  linkStats(): Record<number, LinkStats> {
    const links: Record<number, LinkStats> = {}
    for (const [n, s] of this.pastLinks) links[n] = { ...s }
    for (const p of this.peers.values()) links[p.node] = { ...p.link.stats }
    return links
  }

  /** Heartbeats and tolerance, from now on. */
  startHousekeeping(): void {
    const o = this.options
    this.housekeepingEvery = Math.max(5, Math.min(50, Math.floor(Math.min(o.heartbeatMs, o.toleranceMs) / 4)))
    this.lastTickAt = this.clock.now()
    this.housekeeping = this.clock.setTimer(this.onHousekeeping, this.housekeepingEvery)
  }

  /** Some link that is up still has records queued or unacknowledged. */
  get busy(): boolean {
    for (const p of this.peers.values()) if (p.up && p.link.queued + p.link.held.unacked > 0) return true
    return false
  }

  /** Tell every peer whose link is up that this node is leaving. */
  sendLeaving(): void {
    for (const p of this.peers.values()) if (p.up) p.link.sendLeaving()
  }

  /** Close every link without a word; `remember` keeps their stats for stats(). */
  closeAll(remember: boolean): void {
    if (this.housekeeping) this.clock.clearTimer(this.housekeeping)
    this.housekeeping = undefined
    for (const p of [...this.peers.values()]) {
      this.peers.delete(p.node)
      if (remember) this.remember(p)
      p.link.close()
    }
  }

  /** Re-armed first, as setInterval does: the period does not stretch by the tick's own time. */
  private readonly onHousekeeping = (): void => {
    this.housekeeping = this.clock.setTimer(this.onHousekeeping, this.housekeepingEvery)
    this.tick()
  }

  private tick(): void {
    const now = this.clock.now()
    // A tick far behind its time means this process did not run (a long GC,
    // a starved CPU, SIGSTOP): what it did not hear meanwhile is not the
    // peer's silence. Kernel TIPC counts silent probe intervals, not wall
    // time, for the same reason. Measured on udp: two nodes in one process
    // at load 12 both stalled past the tolerance, reset each other's link
    // and withdrew each other's bindings mid-burst, so the subscribers of a
    // 10,000-message burst missed thousands of it.
    const stalled = now - this.lastTickAt - this.housekeepingEvery
    this.lastTickAt = now
    if (stalled > this.housekeepingEvery) for (const p of this.peers.values()) p.link.excuse(stalled, now)
    let silent = false
    for (const p of this.peers.values()) {
      if (!p.link.tick(now)) silent = true
      else if (!p.up && now - p.link.lastSent >= Math.min(50, this.options.heartbeatMs)) p.link.sendState(true)
    }
    // Timers run before the poll phase: after a pause of this process (a
    // long GC, SIGSTOP) the peer's packets may be waiting in our socket.
    // Decide after the poll phase has read them, as the retransmission
    // timer does (retransmit-timer.ts).
    if (silent && !this.confirming) {
      this.confirming = true
      this.clock.nextTurn(this.confirmSilence)
    }
  }

  /** Silent past the tolerance after the poll phase too: an up link resets (and probes with its new incarnation), another goes. */
  private readonly confirmSilence = (): void => {
    this.confirming = false
    const now = this.clock.now()
    for (const p of [...this.peers.values()]) {
      if (!p.link.silent(now)) continue
      if (p.up) this.reset(p).link.sendState(true)
      else this.down(p)
    }
  }

  private establish(peer: Peer): void {
    peer.up = true
    this.stats.linksUp++
    this.events.up(peer.node)
  }

  /**
   * A packet of the peer's that does not carry our incarnation (the link is
   * not up): note the peer's, and tell it ours when that is news to us or it
   * asks. Items in it belonged to a former pair: lost with it, counted.
   */
  private learn(peer: Peer, body: LinkBody): void {
    const link = peer.link
    const news = body.incarnation !== link.peerIncarnation
    link.peerIncarnation = body.incarnation
    link.heard()
    if (body.items.length > 0) this.stats.drops.oldIncarnation++
    if (news || (body.flags & LINK_FLAG_PROBE) !== 0) link.sendState(true)
  }

  /**
   * The link to `peer` goes down (its unacked data returned, its bindings
   * withdrawn: down()) and a new incarnation of it starts, not up until the
   * peer shows it knows the new one (link-incarnation.ts). The peer's
   * incarnation is kept: what is older is still refused.
   */
  private reset(peer: Peer): Peer {
    const theirs = peer.link.peerIncarnation
    this.down(peer)
    // down() made room for it.
    const fresh = this.add(peer.node, peer.session, peer)!
    fresh.link.peerIncarnation = theirs
    return fresh
  }

  /**
   * Another session of `peer`'s node was heard. While the link is up, that
   * alone proves nothing (a forged or stale datagram; a restarted process
   * waits): it is counted and ignored. The new session is taken once the
   * link has gone down (silence past the tolerance, or the old session
   * said it was leaving).
   */
  private staleSession(peer: Peer): boolean {
    if (!peer.up) return false
    this.stats.drops.staleSession++
    return true
  }

  private add(node: number, session: number, from: Rinfo): Peer | undefined {
    if (this.peers.size >= this.options.maxPeers) {
      this.stats.drops.peerLimit++
      return undefined
    }
    const peer: Peer = {
      node, session, address: from.address, port: from.port, up: false,
      link: undefined as unknown as Link<Uint8Array>,
      header: this.wire.linkHeader(node, session),
    }
    // 2^32 resets (136 years at one a second) before this wraps; the wrap is
    // not handled (link-incarnation.ts compares incarnations as numbers).
    this.lastIncarnation = this.lastIncarnation >= 0xffffffff ? 1 : this.lastIncarnation + 1
    peer.link = new Link<Uint8Array>(this.linkConfig, {
      transmit: body => this.wire.sendLink(peer.header, body, peer, peer.link.stats),
      deliver: bytes => {
        if (!this.events.record(node, bytes)) peer.link.stats.malformedRecords++
      },
      drained: () => this.events.drained(node),
      random: this.random,
    }, this.lastIncarnation)
    this.peers.set(node, peer)
    return peer
  }

  private down(peer: Peer): void {
    if (this.peers.get(peer.node) !== peer) return
    this.peers.delete(peer.node)
    this.remember(peer)
    const lost = peer.link.close()
    if (!peer.up) return
    this.stats.linksDown++
    // The bytes as sent (a closed link keeps their leases): our own encoding, so they decode.
    this.events.down(peer.node, lost.map(decodeData))
  }

  /** Keep a gone link's stats for stats(), the most recent maxPeers of them. */
  private remember(peer: Peer): void {
    this.pastLinks.delete(peer.node)
    this.pastLinks.set(peer.node, peer.link.stats)
    if (this.pastLinks.size > this.options.maxPeers) this.pastLinks.delete(this.pastLinks.keys().next().value!)
  }
}
