// What a retaining publisher keeps of its stream for late joiners: the last
// messages as they were sent (stream seqs, timestamp, key, codec id and the
// encoded payload), so a replayed message is the same message as the live
// one. Bounded by count AND bytes (and optionally age): the oldest go first.
// What was evicted is remembered as a seq (and the timestamp of the last
// evicted message), so a replay asked for older messages can say exactly
// where the retention ends: a gap with reason 'retention'.
import type { ResolvedFrom, ResolvedRetain } from './replay-options.js'

/** One retained message: all the seqs it was sent in (a chunked message has several). */
export interface RetainedMessage {
  /** Its seq (the first chunk's for a chunked message). */
  seq: number
  /** Its last seq (seq itself unless chunked). */
  lastSeq: number
  timestamp: number
  key: Uint8Array | undefined
  keyInstance: number
  codecId: Uint8Array
  payload: Uint8Array
}

/** What a replay from a position sends: the messages, and the seqs asked for that are no longer kept. */
export interface ReplaySnapshot {
  /** The last seq of the stream when the snapshot was taken (0: nothing sent yet). */
  through: number
  messages: RetainedMessage[]
  /** Seqs asked for and evicted, [from, to]; undefined when the retention reaches back far enough. */
  missing: { from: number; to: number } | undefined
}

export class RetainedLog {
  private entries: RetainedMessage[] = []
  /** Index of the oldest entry kept in `entries` (evicted ones before it are cleared lazily). */
  private head = 0
  private bytes = 0
  private lastSeq = 0
  /** The last seq evicted (0: none), and the timestamp of that message. */
  private evictedThrough = 0
  private evictedTimestamp = 0

  constructor(private readonly limits: ResolvedRetain, private readonly now: () => number) {}

  get size(): number { return this.entries.length - this.head }
  get byteSize(): number { return this.bytes }

  /** Keep a message just sent (seqs in sending order), evicting the oldest past the bounds. */
  append(m: RetainedMessage): void {
    this.entries.push(m)
    this.bytes += sizeOf(m)
    this.lastSeq = m.lastSeq
    while (this.size > this.limits.messages || this.bytes > this.limits.bytes) this.evictOldest()
    this.evictAged()
  }

  /** The messages from `from` on, as kept now, and what of the asked-for part was evicted. */
  snapshot(from: ResolvedFrom): ReplaySnapshot {
    this.evictAged()
    const kept = this.entries.slice(this.head)
    const through = this.lastSeq
    if (from.kind === 'earliest') {
      return { through, messages: kept, missing: this.evictedThrough > 0 ? { from: 1, to: this.evictedThrough } : undefined }
    }
    if (from.kind === 'seq') {
      const missing = from.seq <= this.evictedThrough ? { from: from.seq, to: this.evictedThrough } : undefined
      return { through, messages: kept.filter(m => m.lastSeq >= from.seq), missing }
    }
    // Timestamps are the publisher's wall clock, so a message is selected by
    // its own timestamp rather than by assuming they never go back. What was
    // evicted is known only by its last seq and timestamp: when that message
    // was at or after the time, the gap starts at 1 (the log cannot tell
    // which older evicted ones were before the time).
    const missing = this.evictedThrough > 0 && this.evictedTimestamp >= from.ms ? { from: 1, to: this.evictedThrough } : undefined
    return { through, messages: kept.filter(m => m.timestamp >= from.ms), missing }
  }

  private evictAged(): void {
    if (this.limits.ageMs === Number.POSITIVE_INFINITY) return
    const oldest = this.now() - this.limits.ageMs
    while (this.size > 0 && (this.entries[this.head] as RetainedMessage).timestamp < oldest) this.evictOldest()
  }

  private evictOldest(): void {
    const m = this.entries[this.head] as RetainedMessage
    this.head++
    this.bytes -= sizeOf(m)
    this.evictedThrough = m.lastSeq
    this.evictedTimestamp = m.timestamp
    // Compact once the evicted prefix is as long as what is kept: amortised O(1) per message.
    if (this.head >= 1024 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head)
      this.head = 0
    }
  }
}

function sizeOf(m: RetainedMessage): number {
  return m.payload.length + (m.key?.length ?? 0)
}
