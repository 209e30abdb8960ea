// The receiver's half of chunking (the publisher's is chunking.ts): the chunks
// of one message, delivered in stream order by the stream receiver, are put
// back into one payload. One Reassembler per subscription, holding at most one
// message in assembly per stream.
//
// Chunks come from the network, so nothing in them is trusted: the whole
// message is allocated once, at index 0, from its announced totalLength
// (bounded by maxMessageBytes), and every later chunk is checked against what
// remains of it before it is copied in, so a forged chunk can neither overflow
// the buffer nor make it grow. Across streams the bytes held are bounded by
// maxTotalBytes (the least recently active assembly gives way), and an
// assembly that stops progressing is dropped after timeoutMs.
import type { Clock, Timer } from '../transport-contract/index.js'
import { InvalidArgumentError } from '../transport-contract/index.js'
import { DEFAULT_MAX_MESSAGE_BYTES } from './chunking.js'

/** Bytes held in assembly by one subscription, all streams together, by default (64 MiB). */
export const DEFAULT_MAX_REASSEMBLY_BYTES = 64 * 1024 * 1024

/** How long an assembly may wait for its next chunk by default, in ms. */
export const DEFAULT_REASSEMBLY_TIMEOUT_MS = 30_000

/** Where a chunk sits in its message (the chunk part of a chunk envelope). */
export interface ChunkPosition {
  /** 0-based, < count. */
  index: number
  /** Chunks in the message, >= 2. */
  count: number
  /** Payload bytes of the whole message. */
  totalLength: number
}

/**
 * Why a message could not be put together. Stable strings:
 * - 'too-large': its totalLength is above maxMessageBytes (or maxTotalBytes).
 * - 'bad-chunk': a chunk contradicts its message (count or totalLength changed,
 *   more bytes than remain, too few left for the chunks still to come, an index
 *   going back) or is malformed on its own (empty, index >= count, count < 2).
 * - 'missing-start': a chunk other than the first, with no message in assembly.
 * - 'missing-chunk': an index was skipped (the stream lost a chunk).
 * - 'abandoned': a new message (index 0) began on the stream, or the caller
 *   gave the stream up (abandon()).
 * - 'evicted': dropped to make room under maxTotalBytes.
 * - 'timeout': no chunk came for timeoutMs.
 */
export type ReassemblyFailure =
  'too-large' | 'bad-chunk' | 'missing-start' | 'missing-chunk' | 'abandoned' | 'evicted' | 'timeout'

/** A message that will not be delivered: the seqs of the chunks received for it, and why. */
export interface ReassemblyFailureReport {
  streamKey: string
  /** Seq of the first chunk received for it. */
  firstSeq: number
  /** Seq of the last chunk received for it. */
  lastSeq: number
  /** Chunks received (and held) before it failed. */
  received: number
  /** Chunks it announced. */
  count: number
  reason: ReassemblyFailure
}

/**
 * What `add` did with a chunk:
 * - `done`: it completed its message; `firstSeq` is the seq of the message's first chunk.
 * - `pending`: it was stored; the message is not complete yet.
 * - `failed`: its message cannot be completed (reported here, once; the
 *   message's chunks still to come are `discarded`).
 * - `discarded`: it belongs to a message already reported failed, or to one
 *   whose start this subscription never saw; nothing to deliver or report.
 */
export type ChunkResult =
  | { done: Uint8Array; firstSeq: number }
  | { pending: true }
  | { failed: ReassemblyFailure; firstSeq: number }
  | { discarded: true }

export interface ReassemblerOptions {
  /** Largest message accepted (the topic's maxMessageBytes). Default 16 MiB. */
  maxMessageBytes?: number
  /** Bytes in assembly across all streams. Default 64 MiB. */
  maxTotalBytes?: number
  /** Longest wait for the next chunk of a message, in ms. Default 30000. */
  timeoutMs?: number
}

export interface ReassemblerHooks {
  /**
   * A message failed outside the `add` call for its own chunk: abandoned by a
   * new message on its stream, evicted for room, or timed out.
   */
  failed(report: ReassemblyFailureReport): void
}

// One stream's state. With a buffer: a message in assembly. Without: the rest
// of a failed (or never started) message is being skipped, silently, until
// its last chunk, the next index 0, or the timeout.
interface Assembly {
  readonly streamKey: string
  readonly firstSeq: number
  readonly count: number
  readonly totalLength: number
  readonly buffer: Uint8Array | undefined
  lastSeq: number
  /** The index expected next (= chunks received). */
  next: number
  filled: number
  deadline: number
}

export class Reassembler {
  readonly maxMessageBytes: number
  readonly maxTotalBytes: number
  readonly timeoutMs: number
  readonly #clock: Clock
  readonly #hooks: ReassemblerHooks
  // Ordered by last activity (a touched entry is moved to the end), so the
  // first entry is both the next to time out and the least recently active.
  readonly #streams = new Map<string, Assembly>()
  #held = 0
  #timer: Timer | undefined

  constructor(clock: Clock, options: ReassemblerOptions, hooks: ReassemblerHooks) {
    this.maxMessageBytes = positive('maxMessageBytes', options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES)
    this.maxTotalBytes = positive('maxTotalBytes', options.maxTotalBytes ?? DEFAULT_MAX_REASSEMBLY_BYTES)
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULT_REASSEMBLY_TIMEOUT_MS)
    this.#clock = clock
    this.#hooks = hooks
  }

  /** Payload bytes allocated for messages in assembly. */
  get bytesHeld(): number {
    return this.#held
  }

  /** Messages in assembly. */
  get assembling(): number {
    let n = 0
    for (const a of this.#streams.values()) if (a.buffer) n++
    return n
  }

  /**
   * Takes the next chunk of `streamKey` (in stream order), with its seq.
   * The `failed` hook may run inside this call (for another message); it must
   * not call back into the reassembler.
   */
  add(streamKey: string, seq: number, chunk: ChunkPosition, bytes: Uint8Array): ChunkResult {
    const current = this.#streams.get(streamKey)
    if (chunk.index === 0) {
      if (current?.buffer) this.#hooks.failed(this.#fail(current, 'abandoned'))
      return this.#start(streamKey, seq, chunk, bytes)
    }
    if (!current) {
      this.#skip(streamKey, seq, chunk)
      return { failed: 'missing-start', firstSeq: seq }
    }
    if (!current.buffer) {
      this.#skip(streamKey, seq, chunk)
      return { discarded: true }
    }
    const reason = misfit(current, chunk, bytes)
    if (reason) {
      this.#fail(current, reason, seq, chunk)
      return { failed: reason, firstSeq: current.firstSeq }
    }
    current.buffer.set(bytes, current.filled)
    current.filled += bytes.byteLength
    current.next++
    if (current.next === current.count) {
      this.#remove(current)
      return { done: current.buffer, firstSeq: current.firstSeq }
    }
    this.#touch(current, seq)
    return { pending: true }
  }

  /**
   * Gives up the message in assembly on `streamKey` (its stream lost chunks
   * for good, or its publisher left), freeing its bytes; the rest of it, if it
   * comes, is discarded. Returns what was given up, or undefined if nothing was.
   */
  abandon(streamKey: string): ReassemblyFailureReport | undefined {
    const current = this.#streams.get(streamKey)
    if (!current?.buffer) return undefined
    return this.#fail(current, 'abandoned')
  }

  /** Drops everything held and the timer, reporting nothing. */
  close(): void {
    this.#timer?.cancel()
    this.#timer = undefined
    this.#streams.clear()
    this.#held = 0
  }

  #start(streamKey: string, seq: number, chunk: ChunkPosition, bytes: Uint8Array): ChunkResult {
    const { count, totalLength } = chunk
    let failure: ReassemblyFailure | undefined
    if (!wellFormed(chunk) || bytes.byteLength === 0) failure = 'bad-chunk'
    else if (totalLength > this.maxMessageBytes || totalLength > this.maxTotalBytes) failure = 'too-large'
    // The first chunk must leave at least one byte for each later one.
    else if (bytes.byteLength > totalLength - (count - 1)) failure = 'bad-chunk'
    if (failure) {
      this.#skip(streamKey, seq, chunk)
      return { failed: failure, firstSeq: seq }
    }
    this.#makeRoom(totalLength)
    const buffer = new Uint8Array(totalLength)
    buffer.set(bytes, 0)
    this.#held += totalLength
    const assembly: Assembly = {
      streamKey, firstSeq: seq, lastSeq: seq, count, totalLength, buffer, next: 1, filled: bytes.byteLength, deadline: 0,
    }
    this.#streams.delete(streamKey)
    this.#touch(assembly, seq)
    return { pending: true }
  }

  // Evicts the least recently active assemblies until `bytes` more fit. The
  // reports go out once the evictions are done.
  #makeRoom(bytes: number): void {
    const evicted: ReassemblyFailureReport[] = []
    for (const a of this.#streams.values()) {
      if (this.#held + bytes <= this.maxTotalBytes) break
      if (a.buffer) evicted.push(this.#fail(a, 'evicted'))
    }
    for (const report of evicted) this.#hooks.failed(report)
  }

  // Ends the assembly `a` and skips the rest of its message; `seq` and `chunk`
  // are the chunk that failed it, when one did.
  #fail(a: Assembly, reason: ReassemblyFailure, seq = a.lastSeq, chunk?: ChunkPosition): ReassemblyFailureReport {
    const report: ReassemblyFailureReport = {
      streamKey: a.streamKey, firstSeq: a.firstSeq, lastSeq: a.lastSeq, received: a.next, count: a.count, reason,
    }
    this.#remove(a)
    this.#skip(a.streamKey, seq, chunk ?? { index: a.next - 1, count: a.count, totalLength: a.totalLength })
    return report
  }

  // Skips the chunks still to come of the message `chunk` belongs to (none
  // after its last chunk), until its last chunk, the next index 0 or the timeout.
  #skip(streamKey: string, seq: number, chunk: ChunkPosition): void {
    this.#streams.delete(streamKey)
    if (chunk.index >= chunk.count - 1) {
      this.#cancelTimerIfIdle()
      return
    }
    const skipping: Assembly = {
      streamKey, firstSeq: seq, lastSeq: seq, count: chunk.count, totalLength: 0, buffer: undefined, next: 0, filled: 0, deadline: 0,
    }
    this.#touch(skipping, seq)
  }

  #touch(a: Assembly, seq: number): void {
    a.lastSeq = seq
    a.deadline = this.#clock.now() + this.timeoutMs
    this.#streams.delete(a.streamKey)
    this.#streams.set(a.streamKey, a)
    // The first entry has the earliest deadline; a timer armed for an entry
    // touched since fires early and re-arms, so one timer is enough.
    this.#timer ??= this.#clock.setTimer(this.timeoutMs, () => this.#expire())
  }

  #remove(a: Assembly): void {
    if (this.#streams.get(a.streamKey) === a) this.#streams.delete(a.streamKey)
    if (a.buffer) this.#held -= a.totalLength
    this.#cancelTimerIfIdle()
  }

  #cancelTimerIfIdle(): void {
    if (this.#streams.size > 0) return
    this.#timer?.cancel()
    this.#timer = undefined
  }

  // Ends every entry past its deadline (an assembly is reported, a skip is
  // not), re-arms for the next deadline, then reports.
  #expire(): void {
    this.#timer = undefined
    const now = this.#clock.now()
    const expired: ReassemblyFailureReport[] = []
    for (const a of this.#streams.values()) {
      if (a.deadline > now) break
      if (a.buffer) expired.push(this.#fail(a, 'timeout'))
      else this.#remove(a)
    }
    this.#rearm(now)
    for (const report of expired) this.#hooks.failed(report)
  }

  // Ending an assembly starts a skip, which may have armed a timer: the one
  // for the earliest deadline replaces it.
  #rearm(now: number): void {
    this.#timer?.cancel()
    const first = this.#streams.values().next()
    this.#timer = first.done ? undefined : this.#clock.setTimer(first.value.deadline - now, () => this.#expire())
  }
}

// Why `chunk` cannot be the next chunk of `a`, if it cannot.
function misfit(a: Assembly, chunk: ChunkPosition, bytes: Uint8Array): ReassemblyFailure | undefined {
  if (chunk.index > a.next && chunk.count === a.count && chunk.index < a.count) return 'missing-chunk'
  if (chunk.index !== a.next || chunk.count !== a.count || chunk.totalLength !== a.totalLength) return 'bad-chunk'
  const remaining = a.totalLength - a.filled
  const chunksAfter = a.count - chunk.index - 1
  // Every chunk is non-empty, so each later one needs a byte; the last must fill the message exactly.
  if (bytes.byteLength === 0 || bytes.byteLength > remaining - chunksAfter) return 'bad-chunk'
  if (chunksAfter === 0 && bytes.byteLength !== remaining) return 'bad-chunk'
  return undefined
}

function wellFormed({ index, count, totalLength }: ChunkPosition): boolean {
  return Number.isSafeInteger(count) && count >= 2 && Number.isSafeInteger(index) && index >= 0 && index < count &&
    Number.isSafeInteger(totalLength) && totalLength >= count
}

function positive(what: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(n)}`)
  return n
}
