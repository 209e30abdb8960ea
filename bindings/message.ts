// Received messages. The addon hands over a batch as a region of an
// ArrayBuffer: a header of META_WORDS u32 per message, then the bytes. A
// MessageBatch reads that header lazily; views into the buffer are zero-copy
// and stay valid for as long as the user holds them (the addon reuses a
// buffer only after V8 has collected it; see bindings/src/batch_arena.h).
// Holding a view keeps its whole 256 KiB block alive: code that keeps many
// small payloads for long should copy them (`Uint8Array.from(view)`).
// A borrowed batch (bindings/borrowed-batch.ts) breaks that rule on purpose:
// it is valid only during its callback, and says so by throwing after it.
// The index accessors (sourceNode(i), u32(i, at), ...) read the header
// without creating an object or a view per message.
import type { ServiceAddress, ServiceRange, SocketAddress } from './address.js'
import { BatchReleasedError } from './errors.js'

/** Why TIPC handed a message back to its sender. */
export type ReturnCode = 'NO_NAME' | 'NO_PORT' | 'NO_NODE' | 'OVERLOAD' | 'CONN_SHUTDOWN'

const RETURN_CODES: Record<number, ReturnCode> = {
  1: 'NO_NAME',
  2: 'NO_PORT',
  3: 'NO_NODE',
  4: 'OVERLOAD',
  5: 'CONN_SHUTDOWN',
}

export function returnCodeName(code: number): ReturnCode | `UNKNOWN_${number}` {
  return RETURN_CODES[code] ?? `UNKNOWN_${code}`
}

export interface ReturnedInfo {
  /** TIPC's reason. */
  code: ReturnCode | `UNKNOWN_${number}`
  /** The first bytes of the message as sent (TIPC returns at most 1024). */
  data: Uint8Array
  /**
   * The length TIPC reports (TIPC_ERRINFO). Measured on 6.1: this is the
   * length of the returned data, not of the original: the kernel cuts the
   * message to 1024 bytes before it reverses it, so a longer original's size
   * is not known here. Protocols that need it carry it in their header.
   */
  length: number
}

export interface TipcMessage {
  /** The payload (empty for a returned message or a group event). */
  data: Uint8Array
  /** The sending socket; for a returned message, the socket that returned it. */
  from: SocketAddress
  /** The service name the sender addressed (TIPC_DESTNAME), if sent by name. */
  dest?: ServiceRange
  /** Set when this is one of our own messages coming back undelivered. */
  returned?: ReturnedInfo
  /** In a communication group: the sender's member name. */
  member?: ServiceAddress
  /** In a communication group: a membership event instead of data. */
  memberEvent?: 'joined' | 'left'
}

// Header layout, shared with bindings/src/receive_batch.h.
const META_WORDS = 14
const F_DESTNAME = 1
const F_OOB = 2
const F_EOR = 4
const F_MEMBER = 16
const F_ERRINFO = 32

export class MessageBatch implements Iterable<TipcMessage> {
  readonly length: number
  private readonly meta: Uint32Array
  private readonly bytes: Uint8Array
  private readonly offset: number
  /** Set when a borrowed batch's callback has returned: every accessor then throws. */
  protected released = false

  /** `offset`: where the batch's header starts in `buffer` (offsets in the header count from the buffer's start). */
  constructor(buffer: ArrayBuffer, count: number, offset = 0) {
    this.length = count
    this.offset = offset
    this.meta = new Uint32Array(buffer, offset, count * META_WORDS)
    this.bytes = new Uint8Array(buffer)
  }

  /** A batch of the first `count` messages of this one (same buffer). */
  slice(count: number): MessageBatch {
    return new MessageBatch(this.live().bytes.buffer as ArrayBuffer, Math.min(count, this.length), this.offset)
  }

  /**
   * An independent copy of this batch in a buffer of its own, packed: what a
   * borrowed batch's callback keeps when it needs messages after returning.
   */
  copy(): MessageBatch {
    const meta = this.live().meta
    const header = this.length * META_WORDS * 4
    let total = header
    for (let m = 0; m < meta.length; m += META_WORDS) total += meta[m + 1]! + meta[m + 11]!
    const buffer = new ArrayBuffer(total)
    const out = new Uint32Array(buffer, 0, this.length * META_WORDS)
    const bytes = new Uint8Array(buffer)
    out.set(meta)
    let at = header
    for (let m = 0; m < meta.length; m += META_WORDS) {
      // The payload, then the returned data; the header's offsets follow them.
      for (const [where, size] of [[m, m + 1], [m + 10, m + 11]] as const) {
        bytes.set(this.bytes.subarray(meta[where], meta[where]! + meta[size]!), at)
        out[where] = at
        at += meta[size]!
      }
    }
    return new MessageBatch(buffer, this.length)
  }

  /** The ArrayBuffer the batch lives in: with dataOffset(i), read payloads without a view per message. */
  get buffer(): ArrayBuffer {
    return this.live().bytes.buffer as ArrayBuffer
  }

  /** Payload bytes of message i, as a view (no copy). */
  data(i: number): Uint8Array {
    const start = this.word(i, 0)
    return this.bytes.subarray(start, start + this.meta[i * META_WORDS + 1]!)
  }

  /** Where message i's payload starts in `buffer`. */
  dataOffset(i: number): number {
    return this.word(i, 0)
  }

  /** Payload length of message i, without making a view. */
  byteLength(i: number): number {
    return this.word(i, 1)
  }

  /**
   * The little-endian u32 at byte `at` of message i's payload, without a view
   * (for reading a header word per message). RangeError past the payload.
   */
  u32(i: number, at = 0): number {
    const start = this.word(i, 0) + at
    if (at < 0 || at + 4 > this.word(i, 1)) {
      throw new RangeError(`u32 at ${at} is outside message ${i}'s ${this.word(i, 1)} bytes`)
    }
    const b = this.bytes
    return (b[start]! | (b[start + 1]! << 8) | (b[start + 2]! << 16) | (b[start + 3]! << 24)) >>> 0
  }

  /** Total payload bytes in the batch. */
  get totalBytes(): number {
    const meta = this.live().meta
    let sum = 0
    for (let i = 0; i < this.length; i++) sum += meta[i * META_WORDS + 1]!
    return sum
  }

  /** True when message i is a returned (rejected) message. */
  isReturned(i: number): boolean {
    return (this.word(i, 4) & F_ERRINFO) !== 0 && !this.isGroupEvent(i)
  }

  isGroupEvent(i: number): boolean {
    return (this.word(i, 4) & F_OOB) !== 0
  }

  /** TIPC error code of message i (0 when it is not an error). */
  errorCode(i: number): number {
    return this.word(i, 8)
  }

  /** Node of message i's sending socket (`at(i).from.node`, without the object). */
  sourceNode(i: number): number {
    return this.word(i, 2)
  }

  /** Port reference of message i's sending socket (`at(i).from.ref`). */
  sourceRef(i: number): number {
    return this.word(i, 3)
  }

  /** True when message i was sent to a service name (`at(i).dest` is set). */
  hasDestName(i: number): boolean {
    return (this.word(i, 4) & F_DESTNAME) !== 0
  }

  /** `at(i).dest.type`, or 0 without a destination name. */
  destType(i: number): number {
    return this.word(i, 5)
  }

  /** `at(i).dest.lower`, or 0 without a destination name. */
  destLower(i: number): number {
    return this.word(i, 6)
  }

  /** `at(i).dest.upper`, or 0 without a destination name. */
  destUpper(i: number): number {
    return this.word(i, 7)
  }

  /** Message i as an object. */
  at(i: number): TipcMessage {
    if (i < 0 || i >= this.length) throw new RangeError(`message index ${i} out of range [0, ${this.length})`)
    const meta = this.live().meta
    const m = i * META_WORDS
    const flags = meta[m + 4]!
    const message: TipcMessage = {
      data: this.data(i),
      from: { node: meta[m + 2]!, ref: meta[m + 3]! },
    }
    if (flags & F_DESTNAME) message.dest = { type: meta[m + 5]!, lower: meta[m + 6]!, upper: meta[m + 7]! }
    if (flags & F_MEMBER) message.member = { type: meta[m + 12]!, instance: meta[m + 13]! }
    if (flags & F_OOB) {
      message.memberEvent = flags & F_EOR ? 'left' : 'joined'
    } else if (flags & F_ERRINFO) {
      message.returned = {
        code: returnCodeName(meta[m + 8]!),
        data: this.bytes.subarray(meta[m + 10], meta[m + 10]! + meta[m + 11]!),
        length: meta[m + 9]!,
      }
    }
    return message
  }

  *[Symbol.iterator](): Iterator<TipcMessage> {
    for (let i = 0; i < this.length; i++) yield this.at(i)
  }

  /** Header word `k` of message i, index-checked (a header read out of range would be another message's). */
  private word(i: number, k: number): number {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`message index ${i} out of range [0, ${this.length})`)
    return this.live().meta[i * META_WORDS + k]!
  }

  private live(): this {
    if (this.released) throw new BatchReleasedError()
    return this
  }
}
