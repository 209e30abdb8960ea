// A subscriber socket's outgoing acks: collected per (publisher socket,
// stream) and sent once per turn of the event loop, so a burst of deliveries
// costs one ack message per stream, not one per delivery. Each message holds
// at most MAX_ACKS_PER_MESSAGE entries, so the encoded ack stays inside the
// 1024 bytes every envelope fits in; a bigger batch is split.
//
// 'ack' and 'working' are batched. 'nak' and 'term' are not: the publisher
// acts on them at once (a resend, a final outcome), so they go out when
// given, and take the place of a pending ack or working for the same copy.
import type { SocketAddress } from '../transport-contract/index.js'

/** The common envelope header (32 bytes) and the ack's entry count (u16). */
export const ACK_HEADER_BYTES = 34
/** seq u64, attempt u16, op u8. */
export const ACK_ENTRY_BYTES = 11
/** The bytes an envelope fits in. */
export const MAX_ACK_MESSAGE_BYTES = 1024
/** 90: the most entries one ack message carries. */
export const MAX_ACKS_PER_MESSAGE = Math.floor((MAX_ACK_MESSAGE_BYTES - ACK_HEADER_BYTES) / ACK_ENTRY_BYTES)

export interface AckBatchEntry { seq: number; attempt: number; op: 'ack' | 'working' }

export interface NackRequest { seq: number; attempt: number; op: 'nak' | 'term'; delayMs: number; reason: string }

export interface AckBatcherHooks {
  /** Send one ack message: at most MAX_ACKS_PER_MESSAGE entries, in the order given. */
  flush(to: SocketAddress, stream: bigint, entries: AckBatchEntry[]): void
  /** Send a nak or term now. */
  nack(to: SocketAddress, stream: bigint, nack: NackRequest): void
  /**
   * Run `fn` once, at the end of this turn (default setImmediate). Not
   * queueMicrotask: a handler that acks after an `await` acks in a later
   * microtask, which a microtask flush would already have missed, splitting
   * one burst into many messages. setImmediate runs after the poll phase, so
   * every ack given while handling one read (promise continuations
   * included) goes in one message; the delay, one loop phase, is nothing
   * next to the publisher's resend timer (200 ms and up).
   */
  schedule?: (fn: () => void) => void
}

/** Counters, from the batcher's creation. */
export interface AckBatcherCounts {
  /** Entries sent. */
  entries: number
  /** Ack messages sent. */
  messages: number
  /** Naks and terms sent. */
  nacks: number
  /** Entries that went into one already pending (a re-ack, a working before its ack, an ack before a nak). */
  coalesced: number
}

interface Batch {
  to: SocketAddress
  stream: bigint
  entries: Array<AckBatchEntry | undefined>
  /** Index in `entries` by copyKey(seq, attempt). */
  bySeqAttempt: Map<CopyKey, number>
}

export class AckBatcher {
  private readonly batches = new Map<string, Batch>()
  /** The batch added to last: the next ack is most often for the same stream, and needs no key string then. */
  private lastBatch: Batch | undefined
  private scheduled = false
  private closed = false
  private readonly schedule: (fn: () => void) => void
  private readonly counters: AckBatcherCounts = { entries: 0, messages: 0, nacks: 0, coalesced: 0 }

  constructor(private readonly hooks: AckBatcherHooks) {
    this.schedule = hooks.schedule ?? (fn => { setImmediate(fn) })
  }

  get counts(): Readonly<AckBatcherCounts> { return { ...this.counters } }

  /** Entries waiting for the end of the turn. */
  get pendingCount(): number {
    let pending = 0
    for (const batch of this.batches.values()) pending += batch.bySeqAttempt.size
    return pending
  }

  /** Ack `attempt` of `seq`: sent at the end of this turn. */
  ack(to: SocketAddress, stream: bigint, seq: number, attempt: number): void {
    this.add(to, stream, { seq, attempt, op: 'ack' })
  }

  /** Still working on `attempt` of `seq` (the publisher extends its deadline): sent at the end of this turn. */
  working(to: SocketAddress, stream: bigint, seq: number, attempt: number): void {
    this.add(to, stream, { seq, attempt, op: 'working' })
  }

  /** Refuse `attempt` of `seq`, to be resent after `delayMs`: sent now. */
  nak(to: SocketAddress, stream: bigint, seq: number, attempt: number, delayMs = 0, reason = ''): void {
    this.sendNack(to, stream, { seq, attempt, op: 'nak', delayMs, reason })
  }

  /** Refuse `attempt` of `seq` for good: sent now. */
  term(to: SocketAddress, stream: bigint, seq: number, attempt: number, reason = ''): void {
    this.sendNack(to, stream, { seq, attempt, op: 'term', delayMs: 0, reason })
  }

  /** Send everything pending now (also what the end of the turn does). */
  flushNow(): void {
    this.scheduled = false
    const batches = [...this.batches.values()]
    this.batches.clear()
    this.lastBatch = undefined
    for (const batch of batches) {
      const entries = batch.entries.filter(entry => entry !== undefined)
      for (let start = 0; start < entries.length; start += MAX_ACKS_PER_MESSAGE) {
        const message = entries.slice(start, start + MAX_ACKS_PER_MESSAGE)
        this.counters.messages++
        this.counters.entries += message.length
        this.hooks.flush(batch.to, batch.stream, message)
      }
    }
  }

  /** Send what is pending, then ignore every later call (the socket is closing). Idempotent. */
  close(): void {
    if (this.closed) return
    this.flushNow()
    this.closed = true
  }

  private add(to: SocketAddress, stream: bigint, entry: AckBatchEntry): void {
    if (this.closed) return
    const batch = this.batchOf(to, stream)
    const key = copyKey(entry.seq, entry.attempt)
    const index = batch.bySeqAttempt.get(key)
    if (index !== undefined) {
      // One entry per copy: an ack replaces a pending working, nothing replaces a pending ack.
      const pending = batch.entries[index] as AckBatchEntry
      if (entry.op === 'ack') pending.op = 'ack'
      this.counters.coalesced++
      return
    }
    batch.bySeqAttempt.set(key, batch.entries.length)
    batch.entries.push(entry)
    if (!this.scheduled) {
      this.scheduled = true
      this.schedule(() => { this.flushNow() })
    }
  }

  private sendNack(to: SocketAddress, stream: bigint, nack: NackRequest): void {
    if (this.closed) return
    const batch = this.batches.get(batchKey(to, stream))
    const key = copyKey(nack.seq, nack.attempt)
    const index = batch?.bySeqAttempt.get(key)
    if (batch !== undefined && index !== undefined) {
      // The refusal is the copy's last word: a pending ack or working for it goes.
      batch.entries[index] = undefined
      batch.bySeqAttempt.delete(key)
      this.counters.coalesced++
    }
    this.counters.nacks++
    this.hooks.nack({ node: to.node, ref: to.ref }, stream, nack)
  }

  private batchOf(to: SocketAddress, stream: bigint): Batch {
    const last = this.lastBatch
    if (last !== undefined && last.stream === stream && last.to.node === to.node && last.to.ref === to.ref) return last
    const key = batchKey(to, stream)
    let batch = this.batches.get(key)
    if (batch === undefined) {
      batch = { to: { node: to.node, ref: to.ref }, stream, entries: [], bySeqAttempt: new Map() }
      this.batches.set(key, batch)
    }
    this.lastBatch = batch
    return batch
  }
}

/** One copy of a seq: the seq itself for a first attempt (nearly every copy), a string only for a redelivery. */
type CopyKey = number | string

function copyKey(seq: number, attempt: number): CopyKey {
  return attempt === 1 ? seq : `${seq}:${attempt}`
}

function batchKey(to: SocketAddress, stream: bigint): string {
  return `${to.node}:${to.ref}:${stream}`
}
