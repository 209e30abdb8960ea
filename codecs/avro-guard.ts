// A bounds check over Avro binary data, run before avsc decodes it.
//
// avsc trusts its input: an array block count is used as is (`new Array(n)`,
// then n item reads that run past the end of the buffer without failing),
// a string length is checked only after the fact, a recursive schema recurses
// as deep as the bytes say. A few hostile bytes can therefore hang the
// process or exhaust its memory. The guard walks the bytes along the writer's
// schema without building any value, and refuses them with a CodecError unless
// every length and count fits in the bytes that remain, every index is in
// range, every string is UTF-8 and nesting stays within limits. Only then does
// avsc decode, and its work is bounded by the input size.
//
// Each count is checked against the minimum encoded size of one item
// (`min`): n items of at least m bytes need n * m bytes, so the check happens
// before anything is allocated. Items that always encode to zero bytes (null,
// empty records, zero-size fixed) are the exception, since any count fits in
// no bytes: their total per message is capped instead (`maxZeroByteItems`).
import { isUtf8 } from 'node:buffer'
import type avro from 'avsc'
import { CodecError } from './codec.js'
import { longModeOf } from './avro-long.js'
import type { LongMode } from './avro-long.js'

export interface DecodeLimits {
  /** Most records, arrays and maps nested inside each other in one value. */
  maxDepth: number
  /** Most items (array elements) per value that may be decoded from zero bytes. */
  maxZeroByteItems: number
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxDepth: 512,
  maxZeroByteItems: 1024,
})

/** Validates one encoded value (the whole input); throws CodecError or returns. */
export type Guard = (bytes: Uint8Array) => void

interface Cursor {
  buf: Uint8Array
  pos: number
  zeroItems: number
  readonly limits: DecodeLimits
  readonly codec: string
}

interface Node {
  /** A lower bound on the encoded size of one value, in bytes. */
  min: number
  check: (c: Cursor, depth: number) => void
}

const SAFE = Number.MAX_SAFE_INTEGER

function fail(c: Cursor, code: 'TRUNCATED' | 'MALFORMED' | 'LIMIT_EXCEEDED', offset: number, message: string): never {
  throw new CodecError(code, c.codec, `${message} (at byte ${offset} of ${c.buf.length})`, { offset })
}

// A zig-zag varint, at most 10 bytes. Below 2^49 the float arithmetic is
// exact; longer varints (rare: |n| >= 2^48) are decoded again with BigInt so
// that the safe-integer check below is exact too.
function readLong(c: Cursor): number {
  const buf = c.buf
  const start = c.pos
  let pos = start
  if (pos >= buf.length) fail(c, 'TRUNCATED', pos, 'input ends inside a number')
  let b = buf[pos++] as number
  if (b < 0x80) {
    c.pos = pos
    return (b >>> 1) ^ -(b & 1)
  }
  let value = b & 0x7f
  let scale = 128
  for (;;) {
    if (pos >= buf.length) fail(c, 'TRUNCATED', pos, 'input ends inside a number')
    if (pos - start === 10) fail(c, 'MALFORMED', start, 'varint longer than 10 bytes')
    b = buf[pos++] as number
    value += (b & 0x7f) * scale
    scale *= 128
    if (b < 0x80) break
  }
  c.pos = pos
  if (pos - start < 8) return value % 2 ? -(value + 1) / 2 : value / 2
  let big = 0n
  for (let i = pos - 1; i >= start; i--) big = (big << 7n) | BigInt((buf[i] as number) & 0x7f)
  big = BigInt.asUintN(64, big)
  const n = (big >> 1n) ^ -(big & 1n)
  // Outside the safe range, return a value that is certainly out of range.
  return n > BigInt(SAFE) ? Infinity : n < -BigInt(SAFE) ? -Infinity : Number(n)
}

function readLength(c: Cursor, what: string): number {
  const at = c.pos
  const len = readLong(c)
  if (len < 0) fail(c, 'MALFORMED', at, `negative ${what} length ${len}`)
  if (len > c.buf.length - c.pos) {
    fail(c, 'TRUNCATED', at, `${what} of ${len} bytes declared, ${c.buf.length - c.pos} remain`)
  }
  return len
}

function checkUtf8(c: Cursor, start: number, len: number): void {
  const buf = c.buf
  const end = start + len
  // Most strings on the wire are ASCII: check that without a native call.
  for (let i = start; i < end; i++) {
    if ((buf[i] as number) >= 0x80) {
      if (!isUtf8(buf.subarray(start, end))) fail(c, 'MALFORMED', start, 'string is not valid UTF-8')
      return
    }
  }
}

const NULL: Node = { min: 0, check: () => {} }
const BOOLEAN: Node = {
  min: 1,
  check: (c) => {
    if (c.pos >= c.buf.length) fail(c, 'TRUNCATED', c.pos, 'input ends before a boolean')
    const b = c.buf[c.pos] as number
    if (b > 1) fail(c, 'MALFORMED', c.pos, `boolean byte is ${b}, not 0 or 1`)
    c.pos++
  },
}
const INT: Node = {
  min: 1,
  check: (c) => {
    const at = c.pos
    const n = readLong(c)
    if (c.pos - at > 5 || n > 0x7fffffff || n < -0x80000000) fail(c, 'MALFORMED', at, `int out of 32-bit range: ${n}`)
  },
}
// Longs are compiled to exact types (avro-long.ts): as numbers, every safe
// integer, i.e. within ±(2^53 - 1), as BigInts the signed 64-bit range. A
// long the reader cannot hold exactly is refused here, with its offset,
// rather than returned as a neighbouring number.
const SAFE_LONG: Node = {
  min: 1,
  check: (c) => {
    const at = c.pos
    const n = readLong(c)
    if (n > SAFE || n < -SAFE) fail(c, 'MALFORMED', at, `long ${n} outside ±(2^53 - 1), the range of exact JS numbers`)
  },
}
const INT64_LONG: Node = {
  min: 1,
  check: (c) => {
    const at = c.pos
    readLong(c)
    // A 10-byte varint has room for 70 bits; its last byte may add only the 64th.
    if (c.pos - at === 10 && (c.buf[c.pos - 1] as number) > 1) fail(c, 'MALFORMED', at, 'long wider than 64 bits')
  },
}
// avsc's plain long type (only in types not compiled by this library, e.g.
// given to compileGuard directly) decodes with float arithmetic, exact only
// within [-2^52, 2^53 - 2]: refuse the rest.
const LONG_MIN = -(2 ** 52)
const LONG_MAX = 2 ** 53 - 2
const LONG: Node = {
  min: 1,
  check: (c) => {
    const at = c.pos
    const n = readLong(c)
    if (n > LONG_MAX || n < LONG_MIN) fail(c, 'MALFORMED', at, `long ${n} outside [-2^52, 2^53 - 2], the range decoded exactly`)
  },
}
// Some other long type with its own representation (LongType.__with): any
// 64-bit varint is fine, the type decides.
const ANY_LONG: Node = INT64_LONG
const fixedSize = (size: number, what: string): Node => ({
  min: size,
  check: (c) => {
    if (c.buf.length - c.pos < size) fail(c, 'TRUNCATED', c.pos, `input ends inside a ${what} of ${size} bytes`)
    c.pos += size
  },
})
const BYTES: Node = {
  min: 1,
  check: (c) => {
    const len = readLength(c, 'bytes') // (not `c.pos += readLength(...)`: that adds to the old pos)
    c.pos += len
  },
}
const STRING: Node = {
  min: 1,
  check: (c) => {
    const len = readLength(c, 'string')
    checkUtf8(c, c.pos, len)
    c.pos += len
  },
}

// avsc decodes a map into a plain object by assignment, so a key `__proto__`
// is not a key at all: it sets the decoded object's prototype (when its value
// is an object: the map then seems empty and inherits that value's
// properties) or is dropped. Either way the value changes, so it is refused.
const PROTO = Buffer.from('__proto__')
const MAP_KEY: Node = {
  min: 1,
  check: (c) => {
    const at = c.pos
    const len = readLength(c, 'string') // (its varint may be over-long: measure, do not assume)
    checkUtf8(c, c.pos, len)
    c.pos += len
    if (len === PROTO.length && PROTO.equals(c.buf.subarray(c.pos - len, c.pos))) {
      fail(c, 'MALFORMED', at, 'map key "__proto__" cannot be a key of a decoded JS object')
    }
  },
}

// `depth` counts the containers (records, arrays, maps) around this one.
function enter(c: Cursor, depth: number): void {
  if (depth >= c.limits.maxDepth) fail(c, 'LIMIT_EXCEEDED', c.pos, `nesting deeper than ${c.limits.maxDepth}`)
}

// Blocks of `count` items; a negative count is followed by the block's size
// in bytes (which lets readers skip it), and a zero count ends the list.
function checkBlocks(c: Cursor, depth: number, itemMin: number, item: (c: Cursor, depth: number) => void): void {
  for (;;) {
    const at = c.pos
    let n = readLong(c)
    if (n === 0) return
    if (n < 0) {
      n = -n
      readLength(c, 'block')
    }
    if (!Number.isSafeInteger(n)) fail(c, 'MALFORMED', at, 'block count out of range')
    if (itemMin === 0) {
      c.zeroItems += n
      if (c.zeroItems > c.limits.maxZeroByteItems) {
        fail(c, 'LIMIT_EXCEEDED', at, `more than ${c.limits.maxZeroByteItems} items encoded in zero bytes`)
      }
    } else if (n > (c.buf.length - c.pos) / itemMin) {
      fail(c, 'TRUNCATED', at, `${n} items of at least ${itemMin} bytes declared, ${c.buf.length - c.pos} bytes remain`)
    }
    for (let i = 0; i < n; i++) item(c, depth)
  }
}

function compile(type: avro.Type, nodes: Map<avro.Type, Node>, longs: LongMode | undefined): Node {
  const known = nodes.get(type)
  if (known) return known
  const name = type.typeName
  switch (name) {
    case 'null': return NULL
    case 'boolean': return BOOLEAN
    case 'int': return INT
    case 'long': return LONG
    case 'abstract:long': {
      const mode = longs ?? longModeOf(type)
      return mode === 'number' ? SAFE_LONG : mode === 'bigint' ? INT64_LONG : ANY_LONG
    }
    case 'float': return fixedSize(4, 'float')
    case 'double': return fixedSize(8, 'double')
    case 'bytes': return BYTES
    case 'string': return STRING
    case 'fixed': return fixedSize((type as avro.types.FixedType).size, 'fixed')
  }
  // Composite nodes are registered before their children are compiled, so a
  // recursive schema finds itself (its `min` is then still 0: a lower bound).
  const node: Node = { min: 0, check: NULL.check }
  nodes.set(type, node)
  if (name === 'enum') {
    const count = (type as avro.types.EnumType).symbols.length
    node.min = 1
    node.check = (c) => {
      const at = c.pos
      const i = readLong(c)
      if (i < 0 || i >= count) fail(c, 'MALFORMED', at, `enum index ${i} not in [0, ${count})`)
    }
  } else if (name === 'record' || name === 'error') {
    const fields = (type as avro.types.RecordType).fields.map((f) => compile(f.type, nodes, longs))
    node.min = fields.reduce((sum, f) => sum + f.min, 0)
    node.check = (c, depth) => {
      enter(c, depth)
      for (let i = 0; i < fields.length; i++) (fields[i] as Node).check(c, depth + 1)
    }
  } else if (name === 'array') {
    const items = compile((type as avro.types.ArrayType).itemsType, nodes, longs)
    node.min = 1
    node.check = (c, depth) => {
      enter(c, depth)
      checkBlocks(c, depth + 1, items.min, items.check)
    }
  } else if (name === 'map') {
    const values = compile((type as avro.types.MapType).valuesType as avro.Type, nodes, longs)
    const entry = (c: Cursor, depth: number) => {
      MAP_KEY.check(c, depth)
      values.check(c, depth)
    }
    node.min = 1
    node.check = (c, depth) => {
      enter(c, depth)
      checkBlocks(c, depth + 1, 1 + values.min, entry)
    }
  } else if (name.startsWith('union')) {
    const branches = (type as avro.types.UnwrappedUnionType).types.map((t) => compile(t, nodes, longs))
    node.min = 1 + Math.min(...branches.map((b) => b.min))
    node.check = (c, depth) => {
      const at = c.pos
      const i = readLong(c)
      if (i < 0 || i >= branches.length) fail(c, 'MALFORMED', at, `union index ${i} not in [0, ${branches.length})`)
      ;(branches[i] as Node).check(c, depth)
    }
  } else if (name.startsWith('logical')) {
    const under = compile((type as avro.types.LogicalType).underlyingType, nodes, longs)
    node.min = under.min
    node.check = under.check
  } else {
    throw new TypeError(`avro guard: unsupported avsc type ${name}`)
  }
  return node
}

/**
 * Builds the guard for data written with `writerType`. Compile once per
 * schema; the guard itself allocates nothing but a small cursor. `longs` is
 * how the *reader* holds longs (what it can read exactly); by default, the
 * writer type's own long representation.
 */
export function compileGuard(writerType: avro.Type, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, codec = 'avro', longs?: LongMode): Guard {
  const root = compile(writerType, new Map(), longs)
  return (bytes) => {
    const c: Cursor = { buf: bytes, pos: 0, zeroItems: 0, limits, codec }
    root.check(c, 0)
    if (c.pos < bytes.length) {
      throw new CodecError('TRAILING_DATA', codec, `${bytes.length - c.pos} bytes left after the value (at byte ${c.pos} of ${bytes.length})`, { offset: c.pos })
    }
  }
}
