// A link's sending side: records are cut into items (fragmenter.ts) and
// queued; the batcher packs queued items into packets of at most the
// packet size; each packet gets the next sequence number and stays unacked
// until the peer's cumulative ack covers it. At most flightBytes are in
// flight. Holes below the highest packet the peer's selective-ack map
// shows are resent at once; the retransmission timer resends what the acks
// do not cover. Queued plus unacked records are bounded by linkWindow /
// linkWindowBytes: past them, send() reports congestion, and the host hears
// `drained` when acks make room.
//
// Asking for acks: the peer acks at once only every 8 packets, else after
// its ack delay; a window of small records fills in fewer packets than that
// (2048 records of 64 B: 3 packets), so every window would wait out the
// delay. The packet that takes the window past half full therefore carries
// the probe flag, which the peer answers at once: the first half's ack comes
// back while the second half is in flight, and the window reopens before it
// runs dry. One such request is out at a time. A stall sends what is queued
// at once (no more is coming to share its packet).
//
// Timeouts (F-RTO, RFC 5682, in our terms): on loopback an expiry is
// nearly always spurious (the peer was descheduled, or busy with a queue of
// 64 KB packets, for longer than the 5 ms floor), and resending up to 32
// packets then only feeds it duplicates. So the first expiry after progress
// resends the oldest packet alone, asking for an ack. The peer takes it
// after everything queued before it, so its answer tells: an ack past it
// means the packets after it arrived (the expiry was spurious: nothing more
// is sent); an ack of exactly it, with packets sent before the expiry still
// unacked, means those were lost (a lost tail): they go at once. Should
// the answer not come either, the next expiry resends as before.
import { Batcher } from './batcher.js'
import type { Clock } from './clock.js'
import { fragmentInto } from './fragmenter.js'
import type { LinkConfig } from './link-config.js'
import { SACK_BITS, itemSize, sackBit, unwrap, type Item, type LinkBody } from './packet.js'
import type { RecordLease } from './record-pool.js'
import { RetransmitTimer, type Retransmitter } from './retransmit-timer.js'
import type { LinkStats } from './stats.js'

/** What the sender keeps for each queued record until the peer has it. */
interface Pending<T> {
  /** What the host needs if the record is lost with the link (returns NO_NODE). */
  tag: T | undefined
  /** Counts against linkWindow (data), or not (control records). */
  weight: number
  bytes: number
  /**
   * Held while the record's bytes may still be needed (record-pool.ts):
   * given back only when the peer acked the record. A link that closes keeps
   * it (the chunk is then left to the GC): a lost record's tag may view it.
   */
  lease: RecordLease | undefined
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
  /** Carries the probe flag: the peer acks it at once. */
  askAck: boolean
}

const MAX_TIMEOUT_RESENDS = 32

export class LinkSender<T> implements Retransmitter {
  private readonly config: LinkConfig
  private readonly stats: LinkStats
  private readonly clock: Clock
  /** Send a data packet (the link adds the acks). */
  private readonly out: (items: Item[], seq: number, askAck: boolean) => void
  private readonly drained: () => void
  /** After every flush, whatever it sent (the link settles a deferred ack there). */
  private readonly flushed: () => void
  private readonly batcher: Batcher
  private readonly timer: RetransmitTimer
  /**
   * Items waiting for a packet, from queueHead on, and beside each the
   * record it completes (its last item's; undefined for the others). Two
   * arrays, not an entry object per item.
   */
  private queue: Item[] = []
  private queueCompletes: Array<Pending<T> | undefined> = []
  private queueHead = 0
  /** Bytes of items queued and not yet in a packet. */
  private queuedBytes = 0
  private unacked: Frame<T>[] = []
  private next = 1
  private inFlight = 0
  private load = 0
  private loadBytes = 0
  private congested = false
  private closed = false
  /** The sequence number of the packet that asked for an ack, until an ack covers it (0: none out). */
  private askedAt = 0
  /** After a first expiry: the packet resent alone, and the next sequence number then (0: none). */
  private probedSeq = 0
  private probedNext = 0

  constructor(config: LinkConfig, clock: Clock, stats: LinkStats, random: () => number, out: (items: Item[], seq: number, askAck: boolean) => void, drained: () => void,
    flushed: () => void = () => {}) {
    this.config = config
    this.clock = clock
    this.stats = stats
    this.out = out
    this.drained = drained
    this.flushed = flushed
    this.batcher = new Batcher(config.batchDelayUs, clock, () => this.flush())
    this.timer = new RetransmitTimer(config, clock, random, this)
  }

  /** The sequence number of the next packet (a state packet carries it). */
  get nextSeq(): number {
    return this.next
  }

  /** Records (weighted) queued or unacked. */
  get queued(): number {
    return this.load
  }

  /** Packets unacked, items queued. */
  get held(): { unacked: number; queued: number } {
    return { unacked: this.unacked.length, queued: this.queue.length - this.queueHead }
  }

  /** Items wait for room in flight. */
  get waiting(): boolean {
    return this.queueHead < this.queue.length
  }

  /** A flush is due within this turn of the event loop (the batching wait is a microtask or setImmediate). */
  get flushSoon(): boolean {
    return this.batcher.soon
  }

  full(weight: number): boolean {
    return weight > 0 && (this.load >= this.config.linkWindow || this.loadBytes >= this.config.linkWindowBytes)
  }

  stall(): void {
    this.congested = true
    this.stats.windowStalls++
    // The writer waits for room: what it wrote will not be joined by more.
    if (this.waiting) this.flush()
  }

  enqueue(record: Uint8Array, tag: T | undefined, weight: number, lease?: RecordLease): void {
    if (this.closed) return
    lease?.hold()
    const pending: Pending<T> = { tag, weight, bytes: record.byteLength, lease }
    this.load += weight
    this.loadBytes += record.byteLength
    const first = this.queue.length
    const count = fragmentInto(this.queue, record, this.config.itemSpace)
    for (let i = 0; i < count; i++) {
      this.queueCompletes.push(i === count - 1 ? pending : undefined)
      this.queuedBytes += itemSize(this.queue[first + i]!)
    }
    if (this.queuedBytes >= this.config.itemSpace) this.flush(true)
    if (this.waiting) this.batcher.schedule(this.unacked.length === 0)
  }

  /**
   * Pack queued items into packets and send what the flight limit allows;
   * `fullOnly`: only packets that are full (the writer is still writing:
   * the rest waits for the batching wait, to share a packet with what comes).
   */
  flush(fullOnly = false): void {
    if (this.closed) return
    const now = this.clock.now()
    while (this.queueHead < this.queue.length && (this.inFlight < this.config.flightBytes || this.unacked.length === 0)) {
      if (fullOnly && this.queuedBytes < this.config.itemSpace) break
      const items: Item[] = []
      const completes: Pending<T>[] = []
      let size = 0
      while (this.queueHead < this.queue.length) {
        const item = this.queue[this.queueHead]!
        const s = itemSize(item)
        if (items.length > 0 && size + s > this.config.itemSpace) break
        items.push(item)
        const pending = this.queueCompletes[this.queueHead]
        if (pending !== undefined) completes.push(pending)
        size += s
        this.queuedBytes -= s
        this.queueHead++
        if (items.length >= 0xffff) break
      }
      const frame: Frame<T> = { seq: this.next++, items, completes, size, sentAt: now, transmissions: 0, sacked: false, askAck: false }
      if (this.askedAt === 0 && this.halfFull()) {
        frame.askAck = true
        this.askedAt = frame.seq
        this.stats.ackRequests++
      }
      this.unacked.push(frame)
      this.inFlight += size
      this.send(frame, now)
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead)
      this.queueCompletes = this.queueCompletes.slice(this.queueHead)
      this.queueHead = 0
    } else if (this.queueHead === this.queue.length) {
      this.queue = []
      this.queueCompletes = []
      this.queueHead = 0
    }
    this.timer.arm(now)
    this.flushed()
  }

  /** The acks a packet from the peer carries. */
  onAck(body: LinkBody, now: number): void {
    const base = this.unacked.length > 0 ? this.unacked[0]!.seq : this.next
    const ack = unwrap(body.ack, base)
    if (ack < base || ack > this.next) return
    let progressed = false
    while (this.unacked.length > 0 && this.unacked[0]!.seq < ack) {
      const f = this.unacked.shift()!
      this.inFlight -= f.size
      if (f.transmissions === 1) this.timer.sample(now - f.sentAt)
      for (const p of f.completes) {
        this.load -= p.weight
        this.loadBytes -= p.bytes
        // Every frame holding a piece of the record is acked (acks are cumulative): its bytes are no longer needed.
        p.lease?.release()
      }
      progressed = true
    }
    if (progressed) {
      if (this.askedAt !== 0 && this.askedAt < ack) this.askedAt = 0
      if (this.probedSeq !== 0) this.afterProbe(ack, now)
      this.timer.progress(now)
      if (this.congested && !this.full(1)) {
        this.congested = false
        this.drained()
      }
    }
    // Selective acks: resend the holes below the highest packet the peer holds.
    if ((body.sackHi | body.sackLo) !== 0 && this.unacked.length > 0) {
      let highest = -1
      for (let i = 0; i < SACK_BITS; i++) if (sackBit(body, i)) highest = i
      const threshold = Math.max(this.config.minRtoMs / 2, this.timer.srtt)
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

  /** Stop; returns the tags of records the peer never acknowledged, in order. */
  close(): T[] {
    if (this.closed) return []
    this.closed = true
    this.batcher.cancel()
    this.timer.close()
    const lost: T[] = []
    for (const f of this.unacked) for (const p of f.completes) if (p.tag !== undefined) lost.push(p.tag)
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const p = this.queueCompletes[i]
      if (p?.tag !== undefined) lost.push(p.tag)
    }
    this.unacked = []
    this.queue = []
    this.queueCompletes = []
    this.queuedBytes = 0
    return lost
  }

  // --- the retransmission timer's target -------------------------------------------

  idle(): boolean {
    return this.closed || this.unacked.length === 0
  }

  expired(now: number, age: number, first: boolean): void {
    this.stats.timeouts++
    if (first && this.unacked.length > 0) {
      const oldest = this.unacked[0]!
      this.probedSeq = oldest.seq
      this.probedNext = this.next
      oldest.askAck = true
      this.stats.retransmits++
      this.send(oldest, now)
      return
    }
    this.probedSeq = 0
    let resent = 0
    for (const f of this.unacked) {
      if (resent >= MAX_TIMEOUT_RESENDS) break
      if (f.sacked || (resent > 0 && now - f.sentAt < age)) continue
      this.stats.retransmits++
      this.send(f, now)
      resent++
    }
  }

  /**
   * The first ack past the packet resent on a first expiry: an ack beyond it
   * means the expiry was spurious; exactly past it, the packets sent before
   * the expiry and neither acked nor selectively acked were lost: resend them.
   */
  private afterProbe(ack: number, now: number): void {
    const lostTail = ack === this.probedSeq + 1
    const before = this.probedNext
    this.probedSeq = 0
    if (!lostTail) {
      this.stats.spuriousTimeouts++
      return
    }
    let resent = 0
    for (const f of this.unacked) {
      if (f.seq >= before || resent >= MAX_TIMEOUT_RESENDS) break
      if (f.sacked) continue
      this.stats.retransmits++
      this.send(f, now)
      resent++
    }
  }

  /** Half the window (records or bytes) is queued or unacked. */
  private halfFull(): boolean {
    return this.load * 2 >= this.config.linkWindow || this.loadBytes * 2 >= this.config.linkWindowBytes
  }

  private send(f: Frame<T>, now: number): void {
    f.sentAt = now
    f.transmissions++
    this.out(f.items, f.seq, f.askAck)
  }
}
