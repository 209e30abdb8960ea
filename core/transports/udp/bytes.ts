// Bounds-checked reading and writing of big-endian fields. Every read checks
// that the bytes are there first; a short or inconsistent packet raises
// Malformed, which the packet handler catches, counts and drops. Nothing
// read from the network is trusted before it is checked here.

/** A packet (or part of one) that does not parse: dropped and counted, never thrown to the event loop. */
export class Malformed extends Error {
  readonly reason: string
  constructor(reason: string) {
    super(`malformed packet: ${reason}`)
    this.name = 'Malformed'
    this.reason = reason
  }
}

export class Reader {
  private readonly view: DataView
  private readonly bytes: Uint8Array
  offset: number
  readonly end: number

  constructor(bytes: Uint8Array, start = 0, end = bytes.byteLength) {
    if (start < 0 || end > bytes.byteLength || start > end) throw new Malformed('bad bounds')
    this.bytes = bytes
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.offset = start
    this.end = end
  }

  get remaining(): number {
    return this.end - this.offset
  }

  need(n: number, what: string): void {
    if (!(n >= 0) || n > this.end - this.offset) throw new Malformed(`truncated ${what}`)
  }

  u8(what = 'u8'): number {
    this.need(1, what)
    return this.view.getUint8(this.offset++)
  }

  u16(what = 'u16'): number {
    this.need(2, what)
    const v = this.view.getUint16(this.offset)
    this.offset += 2
    return v
  }

  u32(what = 'u32'): number {
    this.need(4, what)
    const v = this.view.getUint32(this.offset)
    this.offset += 4
    return v
  }

  /** A 64-bit unsigned value known to fit in 53 bits (packet counters). */
  u53(what = 'u64'): number {
    const hi = this.u32(what)
    const lo = this.u32(what)
    if (hi > 0x1fffff) throw new Malformed(`${what} out of range`)
    return hi * 0x100000000 + lo
  }

  /** A view of the next n bytes (no copy). */
  bytesView(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what)
    const v = this.bytes.subarray(this.offset, this.offset + n)
    this.offset += n
    return v
  }

  /** Everything up to the end (no copy). */
  rest(): Uint8Array {
    return this.bytesView(this.remaining, 'rest')
  }

  done(what: string): void {
    if (this.offset !== this.end) throw new Malformed(`trailing bytes after ${what}`)
  }
}

export class Writer {
  readonly buffer: Buffer
  offset = 0

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size)
  }

  u8(v: number): this {
    this.buffer.writeUInt8(v, this.offset)
    this.offset += 1
    return this
  }

  u16(v: number): this {
    this.buffer.writeUInt16BE(v, this.offset)
    this.offset += 2
    return this
  }

  u32(v: number): this {
    this.buffer.writeUInt32BE(v >>> 0, this.offset)
    this.offset += 4
    return this
  }

  u53(v: number): this {
    this.u32(Math.floor(v / 0x100000000))
    return this.u32(v % 0x100000000)
  }

  bytes(b: Uint8Array): this {
    this.buffer.set(b, this.offset)
    this.offset += b.byteLength
    return this
  }

  /** The bytes written so far. */
  finish(): Buffer {
    return this.offset === this.buffer.length ? this.buffer : this.buffer.subarray(0, this.offset)
  }
}
