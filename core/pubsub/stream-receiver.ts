// One subscriber socket's view of one publisher stream: exact in-order
// delivery, duplicate suppression and gap detection, even when this socket
// sees only part of the stream (a partition of the key space).
//
// Every copy addressed to this socket names `prev`, the seq of the previous
// message of the stream the publisher sent to this socket (0: none, this is
// the first, or the publisher started over). Those links form this socket's
// chain. A message is delivered when its prev is the chain's head; one that
// arrives early is held until the chain reaches its prev. A hole that stays
// open too long (holdTimeoutMs), or too many held messages (maxHeld), makes
// the receiver give up on the hole: it reports a 'lost' gap and goes on. A
// gap notice from the publisher closes a hole at once.
//
// Pure and synchronous: time comes from the injected Clock (one timer at
// most, for the oldest held message), and results go out through hooks.
import { InvalidArgumentError } from '../../errors/index.js'
import type { Clock, Timer } from '../transport-contract/index.js'
import { DeliveredMemory } from './delivered-memory.js'

export const DEFAULT_MAX_HELD = 1024
export const DEFAULT_HOLD_TIMEOUT_MS = 10_000
const MAX_SEQ = Number.MAX_SAFE_INTEGER
const MAX_ATTEMPT = 0xffff

/** What became of an offered copy. */
export type OfferResult = 'delivered' | 'held' | 'duplicate' | 'redelivered'

export interface StreamReceiverOptions {
  /** Messages held waiting for a hole to close, at most (default 1024); one more gives up on the earliest hole. */
  maxHeld?: number
  /** How long a held message waits for the hole before it, in ms of the clock (default 10000). */
  holdTimeoutMs?: number
  /**
   * Start the chain at the first copy offered, whatever its prev (default
   * false). For a stream whose state was dropped (an evicted stream): waiting
   * for a prev this receiver forgot would only hold the stream up until the
   * hold timeout, then report a gap that is not one.
   */
  startAnywhere?: boolean
}

export interface StreamReceiverHooks<M, R extends string> {
  /** Hand `m` (seq, attempt) to the subscriber: in chain order, each seq once (again only after reopen). */
  deliver(m: M, seq: number, attempt: number): void
  /**
   * The receiver jumped over seqs from..to (inclusive) of this stream and will
   * not deliver them: `to` was meant for this socket; the stretch before it
   * may include seqs that never were (they went to other sockets). `reason`
   * is the publisher's (from a gap notice) or 'lost' (the receiver gave up).
   */
  gap(from: number, to: number, reason: R | 'lost'): void
}

/** Counters, from the receiver's creation. */
export interface StreamReceiverCounts {
  delivered: number
  redelivered: number
  /** Copies dropped because their seq was delivered, held, or belongs to a chain before a restart. */
  duplicates: number
  /** Gaps reported (each may span many seqs). */
  gaps: number
  /** Holes given up on ('lost' gaps), a subset of gaps. */
  lost: number
}

/** A copy (or a gap notice) waiting for the chain to reach its prev. */
type Held<M, R> = { seq: number; prev: number; arrivedAt: number } & (
  | { kind: 'data'; attempt: number; message: M }
  | { kind: 'notice'; reason: R })

export class StreamReceiver<M, R extends string = string> {
  /** The chain's head: the last seq delivered or jumped over in chain order; 0 before the first. */
  private head = 0
  /** Held copies and notices by their prev, in arrival order (the first is the oldest). */
  private readonly heldByPrev = new Map<number, Held<M, R>>()
  private readonly heldSeqs = new Set<number>()
  private readonly memory: DeliveredMemory
  private readonly maxHeld: number
  private readonly holdTimeoutMs: number
  private startAnywhere: boolean
  private timer: Timer | undefined
  private closed = false
  private readonly counters: StreamReceiverCounts = { delivered: 0, redelivered: 0, duplicates: 0, gaps: 0, lost: 0 }

  constructor(
    private readonly clock: Clock,
    options: StreamReceiverOptions,
    private readonly hooks: StreamReceiverHooks<M, R>,
  ) {
    this.maxHeld = positiveInteger('maxHeld', options.maxHeld ?? DEFAULT_MAX_HELD)
    this.holdTimeoutMs = nonNegative('holdTimeoutMs', options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS)
    this.startAnywhere = options.startAnywhere ?? false
    this.memory = new DeliveredMemory(this.maxHeld)
  }

  /** The chain's head (0 before the first delivery). */
  get lastSeq(): number { return this.head }
  get heldCount(): number { return this.heldByPrev.size }
  get counts(): Readonly<StreamReceiverCounts> { return { ...this.counters } }

  /**
   * A copy whose receivers list names this socket with `prev` (0: the first
   * for this socket, or a restart). After close() every copy is dropped as a
   * duplicate.
   */
  offer(seq: number, prev: number, attempt: number, message: M): OfferResult {
    checkLink(seq, prev, attempt)
    if (this.closed) return this.duplicate()
    const reopened = this.redeliverIfOpen(seq, attempt, message)
    if (reopened !== undefined) return reopened
    const link = this.takeStartAnywhere(prev)
    // Exactly the seqs delivered: a listed copy is never dropped for being older than the unlisted memory.
    if (seq <= this.head || this.memory.wasDelivered(seq, this.head)) return this.duplicate()
    if (this.heldSeqs.has(seq)) {
      // A notice holds this seq's place: the copy itself came after all and is better than a gap.
      const held = this.heldByPrev.get(link)
      if (held?.seq !== seq || held.kind !== 'notice') return this.duplicate()
      this.heldByPrev.set(link, { seq, prev: link, arrivedAt: held.arrivedAt, kind: 'data', attempt, message })
      return 'held'
    }
    if (link === 0 || link === this.head) {
      if (link === 0) {
        this.startChain(seq)
        // The seqs between the head and this one were not for this socket: no gap, but not delivered either.
        this.memory.skippedOver(this.head + 1, seq - 1)
      }
      this.deliverInChain(seq, attempt, message)
      this.drain()
      return 'delivered'
    }
    if (link < this.head || this.heldByPrev.has(link)) return this.duplicate()
    this.hold({ seq, prev: link, arrivedAt: this.clock.now(), kind: 'data', attempt, message })
    return this.heldSeqs.has(seq) ? 'held' : 'delivered'
  }

  /**
   * A copy whose receivers list does not name this socket (the publisher had
   * not heard of it yet): delivered in arrival order, once; not part of the
   * chain, and not to be acked.
   */
  offerUnlisted(seq: number, attempt: number, message: M): OfferResult {
    checkLink(seq, 0, attempt)
    if (this.closed) return this.duplicate()
    const reopened = this.redeliverIfOpen(seq, attempt, message)
    if (reopened !== undefined) return reopened
    if (this.heldSeqs.has(seq) || this.memory.seenOutOfChain(seq) || this.memory.wasDelivered(seq, this.head)) return this.duplicate()
    this.memory.deliveredOutOfChain(seq)
    this.counters.delivered++
    this.hooks.deliver(message, seq, attempt)
    return 'delivered'
  }

  /**
   * The publisher's gap notice: `seq` (whose prev for this socket is `prev`)
   * will never come. Closes the hole at once if the chain is at `prev`, or
   * waits in its place until it is. Ignored if the copy itself is here.
   */
  abandon(seq: number, prev: number, reason: R): void {
    checkLink(seq, prev, 1)
    if (this.closed) return
    const link = this.takeStartAnywhere(prev)
    if (seq <= this.head || this.heldSeqs.has(seq)) return
    if (link === 0 || link === this.head) {
      if (link === 0) this.startChain(seq)
      this.skip(seq, reason)
      this.drain()
      return
    }
    if (link < this.head || this.heldByPrev.has(link)) return
    this.hold({ seq, prev: link, arrivedAt: this.clock.now(), kind: 'notice', reason })
  }

  /** A nak refused `attempt` of the delivered `seq`: the next copy with a higher attempt is delivered again. */
  reopen(seq: number, attempt = 0): void {
    if (!this.closed) this.memory.reopen(seq, attempt)
  }

  /**
   * Whether `seq`, a seq whose copy names this socket, is known to have been
   * delivered (so a duplicate of it may be re-acked). Conservative: a seq this
   * receiver can no longer place answers false. A seq between two links of the
   * chain answers true: no copy of it names this socket, so none is asked about.
   */
  wasDelivered(seq: number): boolean {
    return this.memory.wasDelivered(seq, this.head)
  }

  /**
   * Give up on every hole now: deliver all that is held, in chain order,
   * reporting each hole as a 'lost' gap. For a publisher known gone, whose
   * holes will never close.
   */
  flushHeld(): void {
    while (!this.closed && this.heldByPrev.size > 0) this.skipToEarliestHeld()
    this.cancelTimer()
  }

  /** Stop: the timer is cancelled and held copies are dropped undelivered. Idempotent. */
  close(): void {
    this.closed = true
    this.cancelTimer()
    this.heldByPrev.clear()
    this.heldSeqs.clear()
  }

  private duplicate(): 'duplicate' {
    this.counters.duplicates++
    return 'duplicate'
  }

  private takeStartAnywhere(prev: number): number {
    if (!this.startAnywhere) return prev
    this.startAnywhere = false
    return 0
  }

  private redeliverIfOpen(seq: number, attempt: number, message: M): OfferResult | undefined {
    const refused = this.memory.openAttempt(seq)
    if (refused === undefined) return undefined
    if (attempt <= refused) return this.duplicate()
    this.memory.closeReopened(seq)
    this.counters.redelivered++
    this.hooks.deliver(message, seq, attempt)
    return 'redelivered'
  }

  /**
   * prev 0 starts the chain (or starts it over) at `seq`: held entries whose
   * prev lies before it belong to a chain the publisher abandoned (it forgot
   * this socket and heard of it again) and can never be reached.
   */
  private startChain(seq: number): void {
    for (const [prev, held] of this.heldByPrev) {
      if (prev >= seq) continue
      this.removeHeld(held)
      this.counters.duplicates++
    }
  }

  private deliverInChain(seq: number, attempt: number, message: M): void {
    this.head = seq
    this.counters.delivered++
    this.hooks.deliver(message, seq, attempt)
  }

  /** Jump the head over (head, to], reporting the stretch as a gap. */
  private skip(to: number, reason: R | 'lost'): void {
    const from = this.head + 1
    this.memory.skippedOver(from, to)
    this.head = to
    this.counters.gaps++
    if (reason === 'lost') this.counters.lost++
    this.hooks.gap(from, to, reason)
  }

  /** Deliver (or skip, for notices) every held entry the chain now reaches. */
  private drain(): void {
    for (let next = this.heldByPrev.get(this.head); next !== undefined && !this.closed; next = this.heldByPrev.get(this.head)) {
      this.removeHeld(next)
      if (next.kind === 'data') this.deliverInChain(next.seq, next.attempt, next.message)
      else this.skip(next.seq, next.reason)
    }
    if (this.heldByPrev.size === 0) this.cancelTimer()
  }

  private hold(entry: Held<M, R>): void {
    this.heldByPrev.set(entry.prev, entry)
    this.heldSeqs.add(entry.seq)
    while (!this.closed && this.heldByPrev.size > this.maxHeld) this.skipToEarliestHeld()
    this.armTimer()
  }

  private removeHeld(entry: Held<M, R>): void {
    this.heldByPrev.delete(entry.prev)
    this.heldSeqs.delete(entry.seq)
  }

  /** Give up on the hole before the earliest held entry (by seq), then deliver what follows it. */
  private skipToEarliestHeld(): void {
    // Called only while something is held.
    let earliest = this.heldByPrev.values().next().value as Held<M, R>
    for (const held of this.heldByPrev.values()) {
      if (held.seq < earliest.seq) earliest = held
    }
    if (earliest.prev < this.head) {
      // Behind the head: a link of a chain the receiver has left (only a
      // publisher that breaks its own chain makes one); it can never be reached.
      this.removeHeld(earliest)
      this.counters.duplicates++
      return
    }
    if (earliest.prev > this.head) this.skip(earliest.prev, 'lost')
    this.drain()
  }

  /** One timer at most: due when the oldest held entry has waited holdTimeoutMs. */
  private armTimer(): void {
    if (this.timer !== undefined || this.closed) return
    const oldest = this.heldByPrev.values().next().value
    if (oldest === undefined) return
    const wait = Math.max(0, oldest.arrivedAt + this.holdTimeoutMs - this.clock.now())
    this.timer = this.clock.setTimer(wait, () => this.onHoldTimeout())
  }

  private onHoldTimeout(): void {
    this.timer = undefined
    const now = this.clock.now()
    for (let oldest = this.heldByPrev.values().next().value; oldest !== undefined && !this.closed
      && oldest.arrivedAt + this.holdTimeoutMs <= now; oldest = this.heldByPrev.values().next().value) {
      this.skipToEarliestHeld()
    }
    this.armTimer()
  }

  private cancelTimer(): void {
    this.timer?.cancel()
    this.timer = undefined
  }
}

function checkLink(seq: number, prev: number, attempt: number): void {
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new InvalidArgumentError(`seq must be an integer in [1, 2^53), got ${seq}`)
  if (!Number.isInteger(prev) || prev < 0 || prev >= seq) throw new InvalidArgumentError(`prev must be an integer in [0, seq), got ${prev} for seq ${seq}`)
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPT) throw new InvalidArgumentError(`attempt must be an integer in [1, 65535], got ${attempt}`)
}

function positiveInteger(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${n}`)
  return n
}

function nonNegative(what: string, n: number): number {
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${what} must be a finite number >= 0, got ${n}`)
  return n
}
