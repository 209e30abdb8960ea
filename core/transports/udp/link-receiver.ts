// A link's receiving side: packets are taken in sequence order; ones ahead
// of a gap wait (up to receiveWindow) and are described to the sender by
// the selective-ack map; ones already taken are duplicates (counted, and
// acked again: the sender evidently missed our ack). Items of in-order
// packets are reassembled (fragmenter.ts) into records and handed up in
// order. What is owed an ack is counted here; the link decides when a
// state packet goes (at once after ACK_EVERY packets, a duplicate or a gap,
// else after ackDelayMs unless a packet of ours carries the ack first).
import type { Keep } from '../shared/keep.js'
import { Malformed } from './bytes.js'
import { Reassembler } from './fragmenter.js'
import { unwrap, type Item } from './packet.js'
import type { LinkStats } from './stats.js'

/** What the link should do about acking a packet it received. */
export const ACK_NONE = 0
export const ACK_SOON = 1
export const ACK_NOW = 2
export type AckUrgency = typeof ACK_NONE | typeof ACK_SOON | typeof ACK_NOW

const ACK_EVERY = 8

export class LinkReceiver {
  private readonly receiveWindow: number
  private readonly stats: LinkStats
  private readonly deliver: (record: Uint8Array) => void
  private readonly keep: Keep | undefined
  /** The next sequence number to take: every one before it was taken. */
  private expected = 1
  private readonly ahead = new Map<number, Item[]>()
  private readonly reassembler = new Reassembler()
  /** Packets taken since our last packet out (which carried the ack). */
  private owed = 0

  /** `keep`: bytes of their own for items held ahead of a gap (the socket may lend a packet only for its batch). */
  constructor(receiveWindow: number, stats: LinkStats, deliver: (record: Uint8Array) => void, keep?: Keep) {
    this.receiveWindow = receiveWindow
    this.stats = stats
    this.deliver = deliver
    this.keep = keep
  }

  /** The cumulative ack: the next sequence number expected (32 bits, as on the wire). */
  get ack(): number {
    return this.expected % 0x100000000
  }

  /** Packets received and not acked yet. */
  get unacked(): number {
    return this.owed
  }

  /** A packet of ours goes out: it carries the ack. */
  acked(): void {
    this.owed = 0
  }

  /** Whether the packet `seq` (as on the wire) was taken already, or is held ahead of a gap. */
  taken(wireSeq: number): boolean {
    const seq = unwrap(wireSeq, this.expected)
    return seq < this.expected || this.ahead.has(seq)
  }

  /** A packet with items, `seq` as on the wire. */
  receive(wireSeq: number, items: Item[]): AckUrgency {
    const seq = unwrap(wireSeq, this.expected)
    if (seq < this.expected) {
      this.stats.duplicates++
      return ACK_NOW
    }
    if (seq >= this.expected + this.receiveWindow) {
      this.stats.beyondWindow++
      return ACK_NONE
    }
    if (seq > this.expected) {
      if (this.ahead.has(seq)) this.stats.duplicates++
      else {
        const keep = this.keep
        this.ahead.set(seq, keep ? items.map(it => ({ ...it, bytes: keep(it.bytes) })) : items)
        this.stats.outOfOrder++
      }
      return ACK_NOW
    }
    this.take(items)
    this.expected++
    for (let next = this.ahead.get(this.expected); next; next = this.ahead.get(this.expected)) {
      this.ahead.delete(this.expected)
      this.take(next)
      this.expected++
    }
    this.owed++
    return this.owed >= ACK_EVERY ? ACK_NOW : ACK_SOON
  }

  /** Half of the selective-ack map (bit i: expected+1+i arrived): bits 0-31, or 32-63 when `high`. */
  sack(high: boolean): number {
    if (this.ahead.size === 0) return 0
    let word = 0
    const first = this.expected + 1 + (high ? 32 : 0)
    for (let i = 0; i < 32; i++) if (this.ahead.has(first + i)) word |= 1 << i
    return word >>> 0
  }

  /** Out-of-order packets and reassembly bytes held. */
  get held(): { ahead: number; reassembling: number } {
    return { ahead: this.ahead.size, reassembling: this.reassembler.pending }
  }

  close(): void {
    this.ahead.clear()
    this.reassembler.reset()
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
        this.deliver(record)
      }
    }
  }
}
