// One chunked message being put back together (reassembly.ts keeps many):
// its buffer, allocated once from the announced totalLength, and which of its
// chunks are in. Chunks may come in any order: every chunk but the last
// carries the same number of payload bytes (a protocol rule, docs/protocol.md
// "Chunks"), so any chunk tells where it goes: index × that size. A chunk
// that is not the last tells the size by its own length; the last tells it
// by what it leaves of totalLength. Every chunk is checked against the size
// known so far before a byte is copied, so none can write outside its place.

/** Where a chunk sits in its message (the chunk part of a chunk envelope). */
export interface ChunkPosition {
  /** 0-based, < count. */
  index: number
  /** Chunks in the message, >= 2. */
  count: number
  /** Payload bytes of the whole message. */
  totalLength: number
}

/** What placing a chunk did: stored it, found it stored already, or found it contradicts the message. */
export type PlaceResult = 'placed' | 'duplicate' | 'bad-chunk'

export class ChunkAssembly {
  readonly buffer: Uint8Array
  /** Chunks stored. */
  received = 0
  /** The highest seq of a chunk stored. */
  lastSeq: number
  /** Clock time after which it is given up (set by the reassembler on progress). */
  deadline = 0
  /** Payload bytes of every chunk but the last; 0 until a chunk tells it. */
  #chunkSize = 0
  /** One bit per index: whether that chunk is in. */
  readonly #have: Uint8Array

  constructor(
    /** Map key of the message: its stream and first seq. */
    readonly key: string,
    readonly streamKey: string,
    /** Seq of the message's chunk 0 (its chunks are firstSeq .. firstSeq + count - 1). */
    readonly firstSeq: number,
    readonly count: number,
    readonly totalLength: number,
  ) {
    this.buffer = new Uint8Array(totalLength)
    this.#have = new Uint8Array(Math.ceil(count / 8))
    this.lastSeq = firstSeq
  }

  get complete(): boolean {
    return this.received === this.count
  }

  /** Stores `bytes` as chunk `chunk.index` (its seq `seq`), unless it contradicts what is known of the message. */
  place(seq: number, chunk: ChunkPosition, bytes: Uint8Array): PlaceResult {
    if (chunk.count !== this.count || chunk.totalLength !== this.totalLength) return 'bad-chunk'
    const size = chunkSizeOf(chunk, bytes.byteLength)
    if (size === undefined || (this.#chunkSize !== 0 && size !== this.#chunkSize)) return 'bad-chunk'
    if (this.#has(chunk.index)) return 'duplicate'
    this.#chunkSize = size
    // chunkSizeOf checked that this chunk ends at or before totalLength (exactly at it for the last).
    this.buffer.set(bytes, chunk.index * size)
    this.#have[chunk.index >>> 3]! |= 1 << (chunk.index & 7)
    this.received++
    if (seq > this.lastSeq) this.lastSeq = seq
    return 'placed'
  }

  /** Whether a chunk of this message whose seq lies in from..to (inclusive) has not come. */
  missingBetween(from: number, to: number): boolean {
    const first = Math.max(from, this.firstSeq) - this.firstSeq
    const last = Math.min(to, this.firstSeq + this.count - 1) - this.firstSeq
    for (let index = first; index <= last; index++) if (!this.#has(index)) return true
    return false
  }

  #has(index: number): boolean {
    return (this.#have[index >>> 3]! & (1 << (index & 7))) !== 0
  }
}

/**
 * Whether a chunk's position is possible at all: count >= 2, 0 <= index <
 * count, totalLength >= count (every chunk non-empty), and a seq that leaves
 * room for the chunks before it (its message's first seq is seq - index >= 1).
 */
export function wellFormed(seq: number, { index, count, totalLength }: ChunkPosition): boolean {
  return Number.isSafeInteger(count) && count >= 2 && Number.isSafeInteger(index) && index >= 0 && index < count &&
    Number.isSafeInteger(totalLength) && totalLength >= count && Number.isSafeInteger(seq) && seq - index >= 1
}

/**
 * The size of every chunk but the last that a chunk of `length` bytes at
 * this position implies, or undefined if none can: a chunk before the last
 * is that size itself, and the message must end within the last chunk
 * ((count - 1) × size < totalLength <= count × size); the last chunk is
 * 1..size bytes and what it leaves of totalLength divides into count - 1
 * chunks of that size.
 */
export function chunkSizeOf({ index, count, totalLength }: ChunkPosition, length: number): number | undefined {
  if (length < 1) return undefined
  if (index < count - 1) {
    const ok = (count - 1) * length < totalLength && totalLength <= count * length
    return ok ? length : undefined
  }
  const before = totalLength - length
  if (before < count - 1 || before % (count - 1) !== 0) return undefined
  const size = before / (count - 1)
  return size >= length ? size : undefined
}
