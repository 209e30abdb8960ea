// A link to one peer node: TIPC's link, on the Galaxy seed's design.
//
// Sending: records are cut into items (fragmenter.ts) and queued; the
// batcher packs queued items into packets of at most maxPacketSize; each
// packet gets the next sequence number and stays in the unacked list until
// the peer's cumulative ack covers it. At most flightBytes are in flight.
// Acks ride on every packet; a receiver with nothing to send answers with a
// standalone state packet after ackDelayMs (at once after every 8 packets,
// for a duplicate, or for a gap). A state packet also carries a 64-bit
// selective-ack map of what arrived beyond the gap, so the sender resends
// just the missing packets. A retransmission timer (RTO from measured RTT,
// between minRtoMs and maxRtoMs, doubled per expiry, with jitter) resends
// what the acks do not cover. Queued plus unacked records are bounded by
// linkWindow / linkWindowBytes: past them, send() reports congestion.
//
// Receiving: packets are taken in sequence order; ones ahead of a gap wait
// (up to receiveWindow); ones already taken are duplicates (counted, and
// acked again, as the sender evidently missed our ack). Items of in-order
// packets are reassembled into records and handed up in order.
//
// Liveness: an idle link sends a heartbeat every heartbeatMs; a link that
// hears nothing for toleranceMs is down.
import { Malformed } from './bytes.js'
import { Batcher } from './batcher.js'
import { Reassembler, fragment } from './fragmenter.js'
import type { ResolvedUdpOptions } from './options.js'
import { LINK_FLAG_LEAVING, LINK_FLAG_PROBE, itemSize, type Item, type LinkBody } from './packet.js'
import { createLinkStats, type LinkStats } from './stats.js'

/** The node's options a link runs by (options.ts says what each means), and the room for items in a packet. */
export interface LinkConfig extends Pick<ResolvedUdpOptions,
  'batchDelayUs' | 'linkWindow' | 'linkWindowBytes' | 'flightBytes' | 'receiveWindow' |
  'minRtoMs' | 'maxRtoMs' | 'ackDelayMs' | 'heartbeatMs' | 'toleranceMs'> {
  /** Bytes of items one packet can carry (the packet size less headers). */
  itemSpace: number
}

export interface LinkHost {
  /** Send one link packet (the host adds the header, seals, sends). */
  transmit(body: LinkBody): void
  /** A whole record, in order. */
  deliver(record: Uint8Array): void
  /** The window has room again (after congestion). */
  drained(): void
  /** A float in [0, 1) for jitter. */
  random(): number
}

/** What the link keeps for each queued record until the peer has it. */
export interface Pending<T> {
  /** What the host needs if the record is lost with the link (returns NO_NODE). */
  tag: T | undefined
  /** Counts against linkWindow (data), or not (control records). */
  weight: number
  bytes: number
}

interface Frame<T> {
  seq: number
  items: Item[]
  /** Records whose last item is in this frame: done when it is acked. */
  completes: Pending<T>[]
  size: number
  sentAt: number
  transmissions: number
  sacked: boolean
}

const ACK_EVERY = 8
const SACK_BITS = 64
const MAX_TIMEOUT_RESENDS = 32

/** Sequence numbers are 32 bits on the wire and unbounded here. */
export function unwrap(wire: number, near: number): number {
  return near + ((wire - (near % 0x100000000)) | 0)
}

export class Link<T = unknown> {
  readonly stats: LinkStats = createLinkStats()
  private readonly config: LinkConfig
  private readonly host: LinkHost
  private readonly batcher: Batcher
  // --- sending
  private queue: Array<{ item: Item; pending: Pending<T> | undefined }> = []
  private queueHead = 0
  /** Bytes of items queued and not yet in a packet. */
  private queuedBytes = 0
  private unacked: Frame<T>[] = []
  private nextSeq = 1
  private inFlight = 0
  private load = 0
  private loadBytes = 0
  private congested = false
  private srtt = 0
  private rttvar = 0
  private backoff = 1
  // The retransmission deadline and its timer are kept apart (see armRetransmit).
  private rtxTimer: NodeJS.Timeout | undefined
  /** When rtxTimer fires (performance.now() ms). */
  private rtxAt = 0
  /** A retransmission deadline is set: the oldest unacked packet is due at rtxDue. */
  private rtxArmed = false
  private rtxDue = 0
  /** The expiry waits for the poll phase (onTimeout). */
  private rtxChecking = false
  lastSent = 0
  // --- receiving
  private expected = 1
  private readonly ahead = new Map<number, Item[]>()
  private readonly reassembler = new Reassembler()
  private unackedReceived = 0
  private ackTimer: NodeJS.Timeout | undefined
  lastHeard: number
  private closed = false

  constructor(config: LinkConfig, host: LinkHost, now = performance.now()) {
    this.config = config
    this.host = host
    this.batcher = new Batcher(config.batchDelayUs, () => this.flush())
    this.lastHeard = now
    this.lastSent = now
  }

  /** Whether a record of `weight` would be refused now (the window counts records and bytes queued or unacked). */
  full(weight: number): boolean {
    return weight > 0 && (this.load >= this.config.linkWindow || this.loadBytes >= this.config.linkWindowBytes)
  }

  /** Records (weighted) queued or unacked. */
  get queued(): number {
    return this.load
  }

  /** Note a refused send: drained() will follow when there is room. */
  stall(): void {
    this.congested = true
    this.stats.windowStalls++
  }

  /** Queue a record. The caller checks full() first for data; control records always go. */
  enqueue(record: Uint8Array, tag: T | undefined, weight: number): void {
    if (this.closed) return
    const pending: Pending<T> = { tag, weight, bytes: record.byteLength }
    this.load += weight
    this.loadBytes += record.byteLength
    const items = fragment(record, this.config.itemSpace)
    for (let i = 0; i < items.length; i++) {
      this.queue.push({ item: items[i]!, pending: i === items.length - 1 ? pending : undefined })
      this.queuedBytes += itemSize(items[i]!)
    }
    if (this.queuedBytes >= this.config.itemSpace) this.flush()
    else this.batcher.schedule(this.unacked.length === 0)
  }

  /** Pack queued items into packets and send what the flight limit allows. */
  flush(): void {
    if (this.closed) return
    const now = performance.now()
    while (this.queueHead < this.queue.length && (this.inFlight < this.config.flightBytes || this.unacked.length === 0)) {
      const items: Item[] = []
      const completes: Pending<T>[] = []
      let size = 0
      while (this.queueHead < this.queue.length) {
        const q = this.queue[this.queueHead]!
        const s = itemSize(q.item)
        if (items.length > 0 && size + s > this.config.itemSpace) break
        items.push(q.item)
        if (q.pending) completes.push(q.pending)
        size += s
        this.queuedBytes -= s
        this.queueHead++
        if (items.length >= 0xffff) break
      }
      const frame: Frame<T> = { seq: this.nextSeq++, items, completes, size, sentAt: now, transmissions: 0, sacked: false }
      this.unacked.push(frame)
      this.inFlight += size
      this.send(frame, now)
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead)
      this.queueHead = 0
    } else if (this.queueHead === this.queue.length) {
      this.queue = []
      this.queueHead = 0
    }
    this.armRetransmit(now)
  }

  /** A link packet from the peer (header already checked by the node). */
  receive(body: LinkBody, bytes: number, now = performance.now()): void {
    if (this.closed) return
    this.lastHeard = now
    this.stats.packetsReceived++
    this.stats.bytesReceived += bytes
    this.onAck(body, now)
    let answer = (body.flags & LINK_FLAG_PROBE) !== 0
    if (body.items.length > 0) {
      const seq = unwrap(body.seq, this.expected)
      if (seq < this.expected) {
        this.stats.duplicates++
        answer = true
      } else if (seq >= this.expected + this.config.receiveWindow) {
        this.stats.beyondWindow++
      } else if (seq > this.expected) {
        if (this.ahead.has(seq)) this.stats.duplicates++
        else {
          this.ahead.set(seq, body.items)
          this.stats.outOfOrder++
        }
        answer = true
      } else {
        this.take(body.items)
        this.expected++
        for (let next = this.ahead.get(this.expected); next; next = this.ahead.get(this.expected)) {
          this.ahead.delete(this.expected)
          this.take(next)
          this.expected++
        }
        this.unackedReceived++
        if (this.unackedReceived >= ACK_EVERY) answer = true
        else this.scheduleAck()
      }
    }
    if (answer) this.sendState(false)
    // Room may have opened: send what waited for the flight limit.
    if (this.queueHead < this.queue.length) this.flush()
  }

  /** Heartbeat and tolerance; the node calls this periodically. Returns false when the peer is to be declared down. */
  tick(now = performance.now()): boolean {
    if (this.closed) return false
    if (now - this.lastHeard > this.config.toleranceMs) return false
    if (now - this.lastSent >= this.config.heartbeatMs) this.sendState(now - this.lastHeard > this.config.heartbeatMs)
    return true
  }

  /** Send a state packet now (acks, selective acks); `probe` asks the peer to answer at once. */
  sendState(probe: boolean): void {
    if (this.closed) return
    this.stats.statesSent++
    this.transmit([], this.nextSeq, probe ? LINK_FLAG_PROBE : 0)
  }

  /** A last state packet: this side is closing. */
  sendLeaving(): void {
    if (this.closed) return
    this.stats.statesSent++
    this.transmit([], this.nextSeq, LINK_FLAG_LEAVING)
  }

  /** Stop everything; returns the tags of records the peer never acknowledged, in order. */
  close(): T[] {
    if (this.closed) return []
    this.closed = true
    this.batcher.cancel()
    if (this.rtxTimer) clearTimeout(this.rtxTimer)
    if (this.ackTimer) clearTimeout(this.ackTimer)
    const lost: T[] = []
    for (const f of this.unacked) for (const p of f.completes) if (p.tag !== undefined) lost.push(p.tag)
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const p = this.queue[i]!.pending
      if (p?.tag !== undefined) lost.push(p.tag)
    }
    this.unacked = []
    this.queue = []
    this.queuedBytes = 0
    this.ahead.clear()
    this.reassembler.reset()
    return lost
  }

  /** Reassembly bytes and out-of-order packets held (for memory bounds in tests). */
  get held(): { ahead: number; reassembling: number; unacked: number; queued: number } {
    return { ahead: this.ahead.size, reassembling: this.reassembler.pending, unacked: this.unacked.length, queued: this.queue.length - this.queueHead }
  }

  private take(items: Item[]): void {
    for (const item of items) {
      let record: Uint8Array | undefined
      try {
        record = this.reassembler.push(item)
      } catch (err) {
        if (!(err instanceof Malformed)) throw err
        this.stats.malformedRecords++
        continue
      }
      if (record) {
        this.stats.recordsDelivered++
        this.host.deliver(record)
      }
    }
  }

  private onAck(body: LinkBody, now: number): void {
    const base = this.unacked.length > 0 ? this.unacked[0]!.seq : this.nextSeq
    const ack = unwrap(body.ack, base)
    if (ack < base || ack > this.nextSeq) return
    let progressed = false
    while (this.unacked.length > 0 && this.unacked[0]!.seq < ack) {
      const f = this.unacked.shift()!
      this.inFlight -= f.size
      if (f.transmissions === 1) this.sample(now - f.sentAt)
      for (const p of f.completes) {
        this.load -= p.weight
        this.loadBytes -= p.bytes
      }
      progressed = true
    }
    if (progressed) {
      this.backoff = 1
      // Progress: what is still unacked gets a full RTO from now.
      this.rtxArmed = false
      this.armRetransmit(now)
      if (this.congested && !this.full(1)) {
        this.congested = false
        this.host.drained()
      }
    }
    // Selective acks: resend the holes below the highest packet the peer holds.
    if ((body.sackHi | body.sackLo) !== 0 && this.unacked.length > 0) {
      let highest = -1
      for (let i = 0; i < SACK_BITS; i++) if (sackBit(body, i)) highest = i
      const threshold = Math.max(this.config.minRtoMs / 2, this.srtt)
      for (const f of this.unacked) {
        const i = f.seq - ack - 1
        if (i >= highest) break
        if (i >= 0 && sackBit(body, i)) {
          f.sacked = true
          continue
        }
        if (!f.sacked && now - f.sentAt >= threshold) {
          this.stats.retransmits++
          this.send(f, now)
        }
      }
    }
  }

  private sample(rtt: number): void {
    if (this.srtt === 0) {
      this.srtt = rtt
      this.rttvar = rtt / 2
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt)
      this.srtt = 0.875 * this.srtt + 0.125 * rtt
    }
  }

  private rto(): number {
    const base = this.srtt === 0 ? this.config.minRtoMs * 4 : this.srtt + 4 * this.rttvar
    const rto = Math.min(this.config.maxRtoMs, Math.max(this.config.minRtoMs, base) * this.backoff)
    return rto * (0.75 + 0.5 * this.host.random())
  }

  /**
   * Set the retransmission deadline (one RTO from now) unless one is set.
   * Performance: the deadline moves with every ack, but the timer does not:
   * a timer that fires before the deadline just waits the rest. Arming and
   * clearing a setTimeout for every packet (every ack, on a request/response
   * link) cost more than the rest of the link's work.
   */
  private armRetransmit(now: number): void {
    if (this.rtxArmed || this.unacked.length === 0 || this.closed) return
    this.rtxArmed = true
    this.rtxDue = now + this.rto()
    this.rtxTimerFor(now)
  }

  /** A timer that fires by rtxDue (an earlier one is kept: it re-arms for the rest). */
  private rtxTimerFor(now: number): void {
    if (this.rtxTimer) {
      if (this.rtxAt <= this.rtxDue) return
      clearTimeout(this.rtxTimer)
    }
    const wait = Math.max(1, Math.ceil(this.rtxDue - now))
    this.rtxAt = now + wait
    this.rtxTimer = setTimeout(this.onTimeout, wait)
    this.rtxTimer.unref()
  }

  private readonly onTimeout = (): void => {
    this.rtxTimer = undefined
    if (this.closed || !this.rtxArmed || this.unacked.length === 0) {
      this.rtxArmed = false
      return
    }
    const now = performance.now()
    // Timers run on the loop's millisecond clock: up to 1 ms early is due.
    if (now < this.rtxDue - 1) return this.rtxTimerFor(now)
    // Not yet: timers run before the poll phase, so after a long turn of our
    // own (a sender filling its window) the acks that would have cancelled
    // this may be waiting in the socket. Decide after the poll phase has
    // read them (setImmediate). Performance: on loopback every RTO expiry in
    // the throughput benchmark was this (its retransmits all arrived as
    // duplicates), each resending up to 32 packets of 64 KB.
    if (!this.rtxChecking) {
      this.rtxChecking = true
      setImmediate(this.onExpiry)
    }
  }

  private readonly onExpiry = (): void => {
    this.rtxChecking = false
    if (this.closed || !this.rtxArmed || this.unacked.length === 0) {
      this.rtxArmed = false
      return
    }
    const now = performance.now()
    if (now < this.rtxDue - 1) return this.rtxTimerFor(now)
    this.rtxArmed = false
    this.stats.timeouts++
    const age = Math.max(this.config.minRtoMs, this.srtt)
    let resent = 0
    for (const f of this.unacked) {
      if (resent >= MAX_TIMEOUT_RESENDS) break
      if (f.sacked || (resent > 0 && now - f.sentAt < age)) continue
      this.stats.retransmits++
      this.send(f, now)
      resent++
    }
    this.backoff = Math.min(this.backoff * 2, 64)
    this.armRetransmit(now)
  }

  /**
   * Ack within ackDelayMs. Performance: a timer already running is good
   * enough (it acks a little sooner), and an ack that rides on a packet
   * does not clear it (onAckTimer finds nothing to do): one timer per
   * ackDelayMs at most, instead of one armed and cleared per packet.
   */
  private scheduleAck(): void {
    if (this.ackTimer) return
    this.ackTimer = setTimeout(this.onAckTimer, this.config.ackDelayMs)
    this.ackTimer.unref()
  }

  private readonly onAckTimer = (): void => {
    this.ackTimer = undefined
    if (this.unackedReceived > 0) this.sendState(false)
  }

  private send(f: Frame<T>, now: number): void {
    f.sentAt = now
    f.transmissions++
    this.transmit(f.items, f.seq, 0)
  }

  private transmit(items: Item[], seq: number, flags: number): void {
    const [sackHi, sackLo] = this.sack()
    this.unackedReceived = 0
    this.lastSent = performance.now()
    this.stats.packetsSent++
    this.host.transmit({ seq: seq % 0x100000000, ack: this.expected % 0x100000000, sackHi, sackLo, flags, items })
  }

  private sack(): [number, number] {
    if (this.ahead.size === 0) return [0, 0]
    let hi = 0
    let lo = 0
    for (let i = 0; i < SACK_BITS; i++) {
      if (!this.ahead.has(this.expected + 1 + i)) continue
      if (i < 32) lo |= 1 << i
      else hi |= 1 << (i - 32)
    }
    return [hi >>> 0, lo >>> 0]
  }

}

function sackBit(body: LinkBody, i: number): boolean {
  return i < 32 ? ((body.sackLo >>> i) & 1) === 1 : ((body.sackHi >>> (i - 32)) & 1) === 1
}

