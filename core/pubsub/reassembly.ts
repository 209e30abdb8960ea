// The receiver's half of chunking (the publisher's is chunking.ts): the chunks
// of a message are put back into one payload, whatever order they come in.
// One Reassembler per subscription. A message is its stream and its first
// chunk's seq (a message's chunks are consecutive seqs, so any chunk names
// it: seq - index); a stream may have several messages in assembly at once
// (a queue group member's copies, and the resends after a nak, come in
// arrival order, not stream order).
//
// Chunks come from the network, so nothing in them is trusted: a message is
// allocated once, at its first chunk to arrive, from its announced
// totalLength (bounded by maxMessageBytes), and every chunk is checked
// against what is known of its message before it is copied in
// (chunk-assembly.ts), so a forged chunk can neither overflow the buffer nor
// make it grow. Across streams the bytes held are bounded by maxTotalBytes
// (the least recently active assembly gives way), and an assembly that stops
// progressing is dropped after timeoutMs. Messages that ended (completed or
// failed) are remembered, a bounded number of them, so that a late chunk of
// one is discarded rather than starting an assembly that could only time out,
// and a failure is reported once.
import type { Clock, Timer } from '../transport-contract/index.js'
import { InvalidArgumentError } from '../transport-contract/index.js'
import { ChunkAssembly, chunkSizeOf, type ChunkPosition, wellFormed } from './chunk-assembly.js'
import { DEFAULT_MAX_MESSAGE_BYTES } from './chunking.js'

export type { ChunkPosition } from './chunk-assembly.js'

/** Bytes held in assembly by one subscription, all streams together, by default (64 MiB). */
export const DEFAULT_MAX_REASSEMBLY_BYTES = 64 * 1024 * 1024

/** How long an assembly may wait for its next chunk by default, in ms. */
export const DEFAULT_REASSEMBLY_TIMEOUT_MS = 30_000

/** Ended messages remembered (to discard their late chunks), by default. */
export const DEFAULT_ENDED_MEMORY = 4096

/** Gaps remembered (to fail at once a message that starts after chunks of it were reported lost). */
const GAP_MEMORY = 256

/**
 * Why a message could not be put together. Stable strings:
 * - 'too-large': its totalLength is above maxMessageBytes (or maxTotalBytes).
 * - 'bad-chunk': a chunk contradicts its message (count or totalLength
 *   changed, a size other than its other chunks', more bytes than its place
 *   holds) or is malformed on its own (empty, index >= count, count < 2, a
 *   seq too low for its index).
 * - 'missing-chunk': the stream reported a gap over a chunk of it that had
 *   not come (gapped()): that chunk never will.
 * - 'evicted': dropped to make room under maxTotalBytes.
 * - 'timeout': no chunk came for timeoutMs.
 */
export type ReassemblyFailure = 'too-large' | 'bad-chunk' | 'missing-chunk' | 'evicted' | 'timeout'

/** A message that will not be delivered: the seqs of the chunks received for it, and why. */
export interface ReassemblyFailureReport {
  streamKey: string
  /** Seq of the message's first chunk (index 0), received or not. */
  firstSeq: number
  /** Highest seq of a chunk received for it. */
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
 * - `discarded`: a duplicate of a chunk held, or a chunk of a message that
 *   ended already; nothing to deliver or report.
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
  /** Ended messages remembered. Default 4096. */
  endedMemory?: number
}

export interface ReassemblerHooks {
  /** A message failed outside the `add` call for its own chunk: evicted for room, or timed out. */
  failed(report: ReassemblyFailureReport): void
}

export class Reassembler {
  readonly maxMessageBytes: number
  readonly maxTotalBytes: number
  readonly timeoutMs: number
  readonly #endedMemory: number
  readonly #clock: Clock
  readonly #hooks: ReassemblerHooks
  // By message key, ordered by last activity (a touched entry is moved to the
  // end), so the first entry is both the next to time out and the least
  // recently active.
  readonly #assemblies = new Map<string, ChunkAssembly>()
  readonly #byStream = new Map<string, Set<ChunkAssembly>>()
  /** Message keys that ended, oldest first: true if it completed, false if it failed. */
  readonly #ended = new Map<string, boolean>()
  readonly #gaps: Array<{ streamKey: string; from: number; to: number }> = []
  #held = 0
  #timer: Timer | undefined

  constructor(clock: Clock, options: ReassemblerOptions, hooks: ReassemblerHooks) {
    this.maxMessageBytes = positive('maxMessageBytes', options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES)
    this.maxTotalBytes = positive('maxTotalBytes', options.maxTotalBytes ?? DEFAULT_MAX_REASSEMBLY_BYTES)
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULT_REASSEMBLY_TIMEOUT_MS)
    this.#endedMemory = positive('endedMemory', options.endedMemory ?? DEFAULT_ENDED_MEMORY)
    this.#clock = clock
    this.#hooks = hooks
  }

  /** Payload bytes allocated for messages in assembly. */
  get bytesHeld(): number {
    return this.#held
  }

  /** Messages in assembly. */
  get assembling(): number {
    return this.#assemblies.size
  }

  /**
   * Takes a chunk of `streamKey`, with its seq, in any order. The `failed`
   * hook may run inside this call (for another message, evicted); it must
   * not call back into the reassembler.
   */
  add(streamKey: string, seq: number, chunk: ChunkPosition, bytes: Uint8Array): ChunkResult {
    // A seq too low for its index names no message: report it, there is nothing to remember it by.
    const named = Number.isSafeInteger(chunk.index) && chunk.index >= 0 && Number.isSafeInteger(seq) && seq - chunk.index >= 1
    const firstSeq = named ? seq - chunk.index : seq
    const key = messageKey(streamKey, firstSeq)
    if (this.#ended.has(key)) return { discarded: true }
    let assembly = this.#assemblies.get(key)
    if (assembly === undefined) {
      const refused = this.#refuse(seq, chunk, bytes)
      if (refused !== undefined) {
        if (named) this.#remember(key, false)
        return { failed: refused, firstSeq }
      }
      assembly = this.#start(key, streamKey, firstSeq, chunk)
    }
    const placed = assembly.place(seq, chunk, bytes)
    if (placed === 'duplicate') return { discarded: true }
    if (placed === 'bad-chunk') {
      this.#end(assembly, false)
      return { failed: 'bad-chunk', firstSeq }
    }
    if (assembly.complete) {
      this.#end(assembly, true)
      return { done: assembly.buffer, firstSeq }
    }
    if (assembly.received === 1 && this.#gapCovers(assembly)) {
      this.#end(assembly, false)
      return { failed: 'missing-chunk', firstSeq }
    }
    this.#touch(assembly)
    return { pending: true }
  }

  /**
   * The stream `streamKey` jumped over seqs from..to (inclusive) for good (a
   * gap): a message in assembly with a chunk there that had not come fails
   * now ('missing-chunk') rather than at its timeout, and one that starts
   * later with a chunk there fails at its first chunk. Returns the failures
   * (the hook is not called).
   */
  gapped(streamKey: string, from: number, to: number): ReassemblyFailureReport[] {
    this.#gaps.push({ streamKey, from, to })
    if (this.#gaps.length > GAP_MEMORY) this.#gaps.shift()
    const reports: ReassemblyFailureReport[] = []
    for (const a of this.#byStream.get(streamKey) ?? []) {
      if (a.missingBetween(from, to)) reports.push(this.#fail(a, 'missing-chunk'))
    }
    return reports
  }

  /**
   * The completed message of `streamKey` whose first chunk is `firstSeq` is
   * to be delivered again (its consumer nak'd it, and its chunks come again
   * with a higher attempt): it is forgotten as ended, so they assemble anew.
   */
  reopen(streamKey: string, firstSeq: number): void {
    const key = messageKey(streamKey, firstSeq)
    if (this.#ended.get(key) === true) this.#ended.delete(key)
  }

  /** Drops everything held and the timer, reporting nothing. */
  close(): void {
    this.#timer?.cancel()
    this.#timer = undefined
    this.#assemblies.clear()
    this.#byStream.clear()
    this.#ended.clear()
    this.#gaps.length = 0
    this.#held = 0
  }

  // Why a chunk cannot start an assembly, if it cannot.
  #refuse(seq: number, chunk: ChunkPosition, bytes: Uint8Array): ReassemblyFailure | undefined {
    if (!wellFormed(seq, chunk)) return 'bad-chunk'
    if (chunk.totalLength > this.maxMessageBytes || chunk.totalLength > this.maxTotalBytes) return 'too-large'
    // Checked before anything is allocated (or evicted for room): its size must fit its own message.
    if (chunkSizeOf(chunk, bytes.byteLength) === undefined) return 'bad-chunk'
    return undefined
  }

  #start(key: string, streamKey: string, firstSeq: number, chunk: ChunkPosition): ChunkAssembly {
    this.#makeRoom(chunk.totalLength)
    const assembly = new ChunkAssembly(key, streamKey, firstSeq, chunk.count, chunk.totalLength)
    this.#held += chunk.totalLength
    this.#assemblies.set(key, assembly)
    let ofStream = this.#byStream.get(streamKey)
    if (ofStream === undefined) this.#byStream.set(streamKey, ofStream = new Set())
    ofStream.add(assembly)
    return assembly
  }

  // Whether a remembered gap of its stream covers a chunk of `a` that has not come.
  #gapCovers(a: ChunkAssembly): boolean {
    return this.#gaps.some(g => g.streamKey === a.streamKey && a.missingBetween(g.from, g.to))
  }

  // Evicts the least recently active assemblies until `bytes` more fit. The
  // reports go out once the evictions are done.
  #makeRoom(bytes: number): void {
    const evicted: ReassemblyFailureReport[] = []
    for (const a of this.#assemblies.values()) {
      if (this.#held + bytes <= this.maxTotalBytes) break
      evicted.push(this.#fail(a, 'evicted'))
    }
    for (const report of evicted) this.#hooks.failed(report)
  }

  #fail(a: ChunkAssembly, reason: ReassemblyFailure): ReassemblyFailureReport {
    this.#end(a, false)
    return { streamKey: a.streamKey, firstSeq: a.firstSeq, lastSeq: a.lastSeq, received: a.received, count: a.count, reason }
  }

  // Frees `a` and remembers how it ended, so that its later chunks are discarded.
  #end(a: ChunkAssembly, completed: boolean): void {
    this.#assemblies.delete(a.key)
    const ofStream = this.#byStream.get(a.streamKey)
    ofStream?.delete(a)
    if (ofStream?.size === 0) this.#byStream.delete(a.streamKey)
    this.#held -= a.totalLength
    this.#remember(a.key, completed)
    if (this.#assemblies.size === 0) {
      this.#timer?.cancel()
      this.#timer = undefined
    }
  }

  #remember(key: string, completed: boolean): void {
    this.#ended.delete(key)
    this.#ended.set(key, completed)
    if (this.#ended.size > this.#endedMemory) this.#ended.delete(this.#ended.keys().next().value!)
  }

  #touch(a: ChunkAssembly): void {
    a.deadline = this.#clock.now() + this.timeoutMs
    this.#assemblies.delete(a.key)
    this.#assemblies.set(a.key, a)
    // The first entry has the earliest deadline; a timer armed for an entry
    // touched since fires early and re-arms, so one timer is enough.
    this.#timer ??= this.#clock.setTimer(this.timeoutMs, () => this.#expire())
  }

  // Fails every assembly past its deadline, re-arms for the next deadline, then reports.
  #expire(): void {
    this.#timer = undefined
    const now = this.#clock.now()
    const expired: ReassemblyFailureReport[] = []
    for (const a of this.#assemblies.values()) {
      if (a.deadline > now) break
      expired.push(this.#fail(a, 'timeout'))
    }
    const first = this.#assemblies.values().next()
    if (!first.done) this.#timer = this.#clock.setTimer(first.value.deadline - now, () => this.#expire())
    for (const report of expired) this.#hooks.failed(report)
  }
}

/** A message's identity: its stream and the seq of its first chunk. */
function messageKey(streamKey: string, firstSeq: number): string {
  return `${streamKey}#${firstSeq}`
}

function positive(what: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(n)}`)
  return n
}
