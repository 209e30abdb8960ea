// A link to one peer node: TIPC's link, on the Galaxy seed's design. Its
// sending side (link-sender.ts: queue, packets, window, retransmission)
// and its receiving side (link-receiver.ts: order, duplicates, selective
// acks, reassembly) share its packets: every packet out carries the
// cumulative ack and the selective-ack map of what came in, so acks ride on
// traffic; with nothing to send, a standalone state packet answers after
// ackDelayMs, or at once when the receiving side asks (after 8 packets, a
// duplicate, a gap, or the peer's probe).
//
// Liveness: an idle link sends a heartbeat every heartbeatMs (a probe once
// the peer has been silent that long). A peer silent for toleranceMs is
// handled by peers.ts: an up link is reset (a new incarnation, which probes),
// one not yet up is dropped. A closing node sends a "leaving" state packet.
//
// Incarnations: a Link object is one incarnation of the link to a peer
// (peers.ts and link-incarnation.ts decide which packets reach it). Its
// sequence numbers start at 1 and never restart; after a reset a new Link,
// with a new incarnation, starts again. Every packet out carries both
// incarnations and a packet number that grows with every transmission, so
// packets of a former incarnation, still queued in a socket after a pause,
// cannot be taken for this one's, and a state packet older than the newest
// heard (reordered, or replayed) is dropped without refreshing liveness.
import { realClock, type Clock, type TimerHandle } from './clock.js'
import type { LinkConfig, LinkHost } from './link-config.js'
import { ACK_NOW, ACK_SOON, LinkReceiver } from './link-receiver.js'
import { LinkSender } from './link-sender.js'
import { LINK_FLAG_LEAVING, LINK_FLAG_PROBE, unwrap, type Item, type LinkBody } from './packet.js'
import type { RecordLease } from './record-pool.js'
import { createLinkStats, type LinkStats } from './stats.js'

export type { LinkConfig, LinkHost } from './link-config.js'

/** What became of a packet given to receive(). */
export const RECEIVED = 0
/** A state packet not newer than the newest heard: reordered or replayed (nothing done). */
export const REPLAYED_STATE = 1
/** A data packet not newer than the newest heard, every item of it already taken: a network duplicate or a replay (acked again). */
export const DUPLICATE_DATA = 2
export type ReceiveOutcome = typeof RECEIVED | typeof REPLAYED_STATE | typeof DUPLICATE_DATA

export class Link<T = unknown> {
  readonly stats: LinkStats = createLinkStats()
  /** When a packet last went out (clock ms). */
  lastSent: number
  /** When a packet newer than any before last came in. */
  lastHeard: number
  /** This end's incarnation of the link: never 0, not reused by the node before 2^32 resets. */
  readonly incarnation: number
  /** The peer's incarnation as far as this end knows (0: not known yet). */
  peerIncarnation = 0
  /** Packets sent (the number of the last one). */
  private packetsOut = 0
  /** The newest packet number heard from the peer's incarnation. */
  private newestHeard = 0
  private readonly config: LinkConfig
  private readonly host: LinkHost
  private readonly clock: Clock
  private readonly sender: LinkSender<T>
  private readonly receiver: LinkReceiver
  private ackTimer: TimerHandle | undefined
  /** An ack is owed and settleAck is queued to decide whether it needs the timer. */
  private ackSettling = false
  /** settleAck found a flush due this turn: the ack is left to it (afterFlush). */
  private ackAfterFlush = false
  private closed = false

  constructor(config: LinkConfig, host: LinkHost, incarnation = 1) {
    this.incarnation = incarnation
    this.config = config
    this.host = host
    const clock = config.clock ?? realClock
    this.clock = clock
    const now = clock.now()
    this.sender = new LinkSender<T>(config, clock, this.stats, () => host.random(), (items, seq, askAck) => this.transmit(items, seq, askAck ? LINK_FLAG_PROBE : 0), () => host.drained(),
      () => this.afterFlush())
    this.receiver = new LinkReceiver(config.receiveWindow, this.stats, record => host.deliver(record), config.keep)
    this.lastHeard = now
    this.lastSent = now
  }

  // --- sending ------------------------------------------------------------------

  /** Whether a record of `weight` would be refused now (the window counts records and bytes queued or unacked). */
  full(weight: number): boolean {
    return this.sender.full(weight)
  }

  /** Records (weighted) queued or unacked. */
  get queued(): number {
    return this.sender.queued
  }

  /** Note a refused send: the host hears drained() when there is room. */
  stall(): void {
    this.sender.stall()
  }

  /** Queue a record. The caller checks full() first for data; control records always go. */
  enqueue(record: Uint8Array, tag: T | undefined, weight: number, lease?: RecordLease): void {
    this.sender.enqueue(record, tag, weight, lease)
  }

  /** Pack queued items into packets and send what the flight limit allows. */
  flush(): void {
    this.sender.flush()
  }

  // --- receiving ----------------------------------------------------------------

  /** A link packet of the peer's incarnation, for this one (peers.ts checked both). */
  receive(body: LinkBody, bytes: number, now = this.clock.now()): ReceiveOutcome {
    if (this.closed) return RECEIVED
    const packet = unwrap(body.packet, this.newestHeard)
    const fresh = packet > this.newestHeard
    const items = body.items.length > 0
    if (!fresh && !items) return REPLAYED_STATE
    this.stats.packetsReceived++
    this.stats.bytesReceived += bytes
    // Only a packet newer than any before says the peer is alive now, and
    // only its acks are current (an old packet's are older than ours).
    if (fresh) {
      this.newestHeard = packet
      this.lastHeard = now
      this.sender.onAck(body, now)
    }
    const duplicate = items && this.receiver.taken(body.seq)
    const urgency = items ? this.receiver.receive(body.seq, body.items) : undefined
    if ((body.flags & LINK_FLAG_PROBE) !== 0 || urgency === ACK_NOW) this.sendState(false)
    else if (urgency === ACK_SOON) this.scheduleAck()
    // Room may have opened: send what waited for the flight limit.
    if (this.sender.waiting) this.sender.flush()
    return !fresh && duplicate ? DUPLICATE_DATA : RECEIVED
  }

  /** The peer is alive (a packet that belongs to no incarnation yet, while the link is being established). */
  heard(now = this.clock.now()): void {
    this.lastHeard = now
  }

  // --- liveness -----------------------------------------------------------------

  /** This process did not run for `ms`: that time does not count as the peer's silence (peers.ts sees the stall). */
  excuse(ms: number, now = this.clock.now()): void {
    this.lastHeard = Math.min(now, this.lastHeard + ms)
  }

  /**
   * Heartbeat; the node calls this periodically. Returns false when the peer
   * has been silent past the tolerance (the node confirms with silent()
   * after reading what waits in its socket).
   */
  tick(now = this.clock.now()): boolean {
    if (this.silent(now)) return false
    if (now - this.lastSent >= this.config.heartbeatMs) this.sendState(now - this.lastHeard > this.config.heartbeatMs)
    return true
  }

  /** Closed, or nothing heard from the peer for toleranceMs. */
  silent(now = this.clock.now()): boolean {
    return this.closed || now - this.lastHeard > this.config.toleranceMs
  }

  /** Send a state packet now (acks, selective acks); `probe` asks the peer to answer at once. */
  sendState(probe: boolean): void {
    if (this.closed) return
    this.stats.statesSent++
    this.transmit([], this.sender.nextSeq, probe ? LINK_FLAG_PROBE : 0)
  }

  /** A last state packet: this side is closing. */
  sendLeaving(): void {
    if (this.closed) return
    this.stats.statesSent++
    this.transmit([], this.sender.nextSeq, LINK_FLAG_LEAVING)
  }

  /** Stop everything; returns the tags of records the peer never acknowledged, in order. */
  close(): T[] {
    if (this.closed) return []
    this.closed = true
    if (this.ackTimer) this.clock.clearTimer(this.ackTimer)
    this.receiver.close()
    return this.sender.close()
  }

  /** Out-of-order packets, reassembly bytes, unacked packets and queued items held (for memory bounds in tests). */
  get held(): { ahead: number; reassembling: number; unacked: number; queued: number } {
    return { ...this.receiver.held, ...this.sender.held }
  }

  /**
   * Ack within ackDelayMs. A timer already running is good enough (it acks
   * a little sooner), and an ack that rides on a packet does not clear it
   * (onAckTimer finds nothing to do): clearing costs as much, as Node's own
   * timer still wakes the loop. The timer is armed only once the call that
   * received has returned (settleAck), and not at all when a packet of this
   * turn carries the acks: what the packet delivered is handed over after
   * receive() returns, and an answer written then leaves on a microtask.
   * Performance: armed at once, the timer fired every ackDelayMs on a
   * request/response link for nothing (the answers carry the acks), each a
   * wake-up of the process (docs/benchmarks.md, "Round trip").
   */
  private scheduleAck(): void {
    if (this.ackTimer || this.ackSettling) return
    this.ackSettling = true
    this.clock.afterCall(this.settleAck)
  }

  private readonly settleAck = (): void => {
    this.ackSettling = false
    if (!this.ackOwed()) return
    // A flush due this turn sends a packet, which carries the acks, unless
    // the flight is full (afterFlush then arms the timer).
    if (this.sender.flushSoon) this.ackAfterFlush = true
    else this.ackTimer = this.clock.setTimer(this.onAckTimer, this.config.ackDelayMs)
  }

  private afterFlush(): void {
    if (!this.ackAfterFlush) return
    this.ackAfterFlush = false
    if (this.ackOwed()) this.ackTimer = this.clock.setTimer(this.onAckTimer, this.config.ackDelayMs)
  }

  /** Records are unacked and no ack timer runs (the link is open). */
  private ackOwed(): boolean {
    return !this.closed && this.ackTimer === undefined && this.receiver.unacked > 0
  }

  private readonly onAckTimer = (): void => {
    this.ackTimer = undefined
    if (this.receiver.unacked > 0) this.sendState(false)
  }

  /** Every packet out carries the acks of what came in. */
  private transmit(items: Item[], seq: number, flags: number): void {
    const r = this.receiver
    const sackHi = r.sack(true)
    const sackLo = r.sack(false)
    r.acked()
    this.lastSent = this.clock.now()
    this.stats.packetsSent++
    this.packetsOut++
    this.host.transmit({
      incarnation: this.incarnation, peerIncarnation: this.peerIncarnation, packet: this.packetsOut % 0x100000000,
      seq: seq % 0x100000000, ack: r.ack, sackHi, sackLo, flags, items,
    })
  }
}
