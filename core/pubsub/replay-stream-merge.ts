// One publisher stream's replay merge (Aeron's replay merge): while its
// replay runs, the stream's live messages wait here (in the order the stream
// receiver handed them up); the replay is delivered in seq order, then the
// waiting live messages past what it delivered, then live passes straight
// through. No gap and no duplicate at the seam: a seq is handed up once.
//
// A seq that arrived both live and in the replay goes up as its live copy
// when it is whole (not chunked), so the publisher gets its ack from this
// subscriber as for any live copy. Otherwise a replayed copy is not acked
// (its receipt was settled long ago, and an ack for an old seq would only be
// a stale ack to the publisher's tracker), except when it stands in for a
// live copy addressed to this subscriber that the merge let go (chunks of
// it, or one dropped past the bound): then it is acked, with that copy's
// attempt, when it is processed, as the live copy would have been.
//
// Bounded: at most `maxBuffered` live messages wait; past that the oldest
// is dropped, and what the replay then does not cover is reported once as a
// gap with reason 'replay-overflow'.
import type { SocketAddress } from '../transport-contract/index.js'
import type { InboundMessage } from './decode-stage.js'
import type { ReplayedMessage } from './replay-client.js'
import type { ReplayStart } from './replay-wire.js'

/**
 * What becomes of a live message: up now, waiting for the replay, a seq the
 * replay delivered (a duplicate), or one behind where the replay started
 * (delivering it now would break the stream's order: it is refused).
 */
export type LiveVerdict = 'pass' | 'wait' | 'duplicate' | 'behind'

/** The term reasons of live copies the merge does not deliver. */
export const BEHIND = 'behind the replay: the subscription had passed this seq'
const OVERFLOWED = 'dropped: more live messages came during the replay than replayBuffer holds'

/** Dropped live copies remembered at least (see rememberDropped). */
const MIN_DROPPED_MEMORY = 4096

/** Gap reasons of replay (besides the topic layer's own). */
export type ReplayGapReason = 'retention' | 'replay-lost' | 'replay-overflow'

export interface StreamMergeHooks {
  deliver(m: InboundMessage): void
  /**
   * A live copy addressed to this subscriber that will not be processed: it
   * waited and was behind where the replay started, or it was dropped past
   * the bound and the replay did not cover it. Its publisher should hear so.
   */
  refuse(publisher: SocketAddress, stream: bigint, seq: number, attempt: number, reason: string): void
  gap(publisher: SocketAddress, stream: bigint, from: number, to: number, reason: ReplayGapReason): void
}

export class StreamMerge {
  /** Replaying: live waits. Live: the replay is over (or was never needed). */
  phase: 'replaying' | 'live'
  publisher: SocketAddress | undefined
  stream: bigint | undefined
  /** The seq of the first live message seen (undefined: none yet). */
  firstLive: number | undefined
  private through: number | undefined
  /**
   * The seqs the replay handed up (or live substitutes in their place):
   * [replayedFrom, replayedTo], 0 and 0 before the first. A live copy in it
   * is a duplicate; any other live copy is not (a seq before the position
   * asked, or one the replay did not reach, still comes live).
   */
  private replayedFrom = 0
  private replayedTo = 0
  private readonly waiting = new Map<number, InboundMessage>()
  private overflow: { from: number; to: number } | undefined
  /** Live copies handed up in place of replayed ones: a redelivery of one (after a nak) must pass. */
  private readonly substituted = new Set<number>()
  /** Live copies to be acked that the merge dropped (past the bound), by seq: their attempt. */
  private readonly dropped = new Map<number, number>()

  constructor(
    phase: 'replaying' | 'live',
    /** The first seq the replay was asked for (1 for earliest and for a time). */
    private readonly startSeq: number,
    private readonly maxBuffered: number,
    private readonly hooks: StreamMergeHooks,
  ) {
    this.phase = phase
  }

  /** A live message of this stream, as the stream receiver hands it up. */
  live(m: InboundMessage): LiveVerdict {
    this.publisher ??= m.publisher
    this.stream ??= m.stream
    this.firstLive ??= m.seq
    if (this.phase === 'live') return this.verdict(m.seq)
    this.waiting.set(m.seq, m)
    if (this.waiting.size > this.maxBuffered) {
      const [oldest] = this.waiting.keys() as IterableIterator<number>
      if (oldest !== undefined) {
        const copy = this.waiting.get(oldest) as InboundMessage
        this.waiting.delete(oldest)
        if (copy.acker === 'ack') this.rememberDropped(oldest, copy.attempt)
        this.overflow = { from: Math.min(this.overflow?.from ?? oldest, oldest), to: Math.max(this.overflow?.to ?? oldest, oldest) }
      }
    }
    return 'wait'
  }

  /** The replay's start frame: where it ends, and what the publisher no longer has. */
  started(s: ReplayStart): void {
    this.publisher ??= s.publisher
    this.stream ??= s.stream
    this.through = s.through
    if (s.missing !== undefined) this.gap(s.missing.from, s.missing.to, 'retention')
  }

  replayed(r: ReplayedMessage): void {
    if (r.lastSeq <= this.replayedTo || this.publisher === undefined || this.stream === undefined) return
    const live = this.liveCopiesOf(r)
    if (live !== undefined) {
      for (const m of live) {
        this.waiting.delete(m.seq)
        this.substituted.add(m.seq)
        this.hooks.deliver(m)
      }
    } else {
      // Acked if it stands in for a live copy to be acked: a waiting chunk of it, or one dropped.
      let standsIn: number | undefined
      for (let seq = r.seq; seq <= r.lastSeq; seq++) {
        const copy = this.waiting.get(seq)
        const attempt = copy?.acker === 'ack' ? copy.attempt : this.dropped.get(seq)
        if (attempt !== undefined) standsIn = Math.max(standsIn ?? 0, attempt)
        this.waiting.delete(seq)
        this.dropped.delete(seq)
      }
      const seqs = Array.from({ length: r.lastSeq - r.seq + 1 }, (_, i) => r.seq + i)
      this.hooks.deliver({
        publisher: this.publisher, stream: this.stream, seq: r.seq, seqs, attempt: standsIn ?? 1, timestamp: r.timestamp,
        key: r.key, codecId: r.codecId, payload: r.payload, chunk: undefined, acker: standsIn === undefined ? 'replayed' : 'ack', dest: undefined,
      })
    }
    if (this.replayedFrom === 0) this.replayedFrom = r.seq
    this.replayedTo = r.lastSeq
  }

  /**
   * The replay is over: `err` undefined when the publisher sent all it had.
   * `retained` false when the publisher has no replay service at all. What
   * it did not deliver and live cannot fill is reported as a gap; then the
   * waiting live messages go up, and the stream is live.
   */
  ended(err: Error | undefined, retained: boolean): void {
    if (this.phase === 'live') return
    this.phase = 'live'
    this.overflowGaps()
    // Not replayed, and not coming live: from the first seq asked (or past what was replayed) up to
    // the replay's end, or, without a start frame, up to the first live message.
    const missingTo = this.through ?? (this.firstLive === undefined ? 0 : this.firstLive - 1)
    const reason: ReplayGapReason = retained ? 'replay-lost' : 'retention'
    const complete = err === undefined && this.through !== undefined
    let from = Math.max(this.replayedTo + 1, this.startSeq)
    for (const m of this.waiting.values()) {
      const verdict = this.verdict(m.seq)
      if (verdict === 'behind' && m.acker === 'ack') for (const seq of m.seqs) this.hooks.refuse(m.publisher, m.stream, seq, m.attempt, BEHIND)
      if (verdict !== 'pass') continue
      if (!complete && m.seq > from && from <= missingTo) this.gap(from, Math.min(m.seq - 1, missingTo), reason)
      from = Math.max(from, m.seq + 1)
      this.hooks.deliver(m)
    }
    if (!complete && from <= missingTo) this.gap(from, missingTo, reason)
    if (this.publisher !== undefined && this.stream !== undefined) {
      for (const [seq, attempt] of this.dropped) this.hooks.refuse(this.publisher, this.stream, seq, attempt, OVERFLOWED)
    }
    this.waiting.clear()
    this.dropped.clear()
  }

  /** A live copy once the replay is over: the replay delivered it, it is behind the replay's start, or it goes up. */
  private verdict(seq: number): LiveVerdict {
    if (this.replayedFrom === 0 || seq > this.replayedTo || this.substituted.has(seq)) return 'pass'
    return seq >= this.replayedFrom ? 'duplicate' : 'behind'
  }

  /**
   * Bounded (a seq and an attempt each, so more than the waiting messages):
   * past it the oldest goes, and its publisher sees a timeout, never a false ack.
   */
  private rememberDropped(seq: number, attempt: number): void {
    this.dropped.set(seq, attempt)
    if (this.dropped.size > Math.max(this.maxBuffered, MIN_DROPPED_MEMORY)) this.dropped.delete(this.dropped.keys().next().value as number)
  }

  /** The live messages dropped past the bound that the replay did not deliver instead: a gap each side of it, once. */
  private overflowGaps(): void {
    const o = this.overflow
    if (o === undefined) return
    this.overflow = undefined
    if (this.replayedFrom === 0) {
      this.gap(o.from, o.to, 'replay-overflow')
      return
    }
    this.gap(o.from, Math.min(o.to, this.replayedFrom - 1), 'replay-overflow')
    this.gap(Math.max(o.from, this.replayedTo + 1), o.to, 'replay-overflow')
  }

  /** The waiting live copies of every seq of a replayed message, if all are here and it is whole. */
  private liveCopiesOf(r: ReplayedMessage): InboundMessage[] | undefined {
    if (r.seq !== r.lastSeq) return undefined
    const m = this.waiting.get(r.seq)
    return m === undefined || m.chunk !== undefined ? undefined : [m]
  }

  private gap(from: number, to: number, reason: ReplayGapReason): void {
    if (this.publisher === undefined || this.stream === undefined || from > to) return
    this.hooks.gap(this.publisher, this.stream, from, to, reason)
  }
}
