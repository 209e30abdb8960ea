// Exact Avro longs.
//
// avsc's own long type works on JS numbers with float arithmetic. On encode
// it accepts |n| <= 2^53 - 2, but for n < -2^52 the zig-zag value 2|n| - 1 is
// an odd number above 2^53, which a double cannot hold: it is rounded to an
// even neighbour, and the bytes decode to a *positive* number (-(2^52 + 1)
// is written as 2^52) without any error. That breaks the project's rule that
// encoding never produces bytes that decode to a different value.
//
// So every `long` in a schema is compiled to one of the types below (avsc's
// LongType.__with, typeName 'abstract:long'), which encode and decode the
// varint with exact integer arithmetic:
// - 'number' (the default): JS numbers, every safe integer, i.e. within
//   ±(2^53 - 1); anything else is an invalid value, never a rounded one.
// - 'bigint' (opt-in): BigInts, the whole signed 64-bit range.
//
// Replacing the long type changes how avsc groups union branches, so unions
// are built here too, with avsc's own rule (see `unionType`).
import avro from 'avsc'
import { OwnNameUnwrappedUnionType, OwnNameWrappedUnionType } from './avro-js-names.js'

/** How Avro `long` values are represented in JS. */
export type LongMode = 'number' | 'bigint'

const SAFE = Number.MAX_SAFE_INTEGER
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

// The varint is built in one scratch buffer: avsc copies what `toBuffer`
// returns into its output at once (Tap#writeFixed), so the bytes need not
// outlive the call, and encoding a long allocates nothing.
const scratch = Buffer.alloc(10)
const views = Array.from({ length: 11 }, (_, i) => scratch.subarray(0, i))

/** Zig-zag varint of a safe integer, exact: no intermediate exceeds |n|. */
function writeSafe(n: number): Buffer {
  let i = 0
  if (n >= -0x40000000 && n < 0x40000000) {
    let z = n >= 0 ? n << 1 : (~n << 1) | 1
    while (z > 0x7f) {
      scratch[i++] = (z & 0x7f) | 0x80
      z >>>= 7
    }
    scratch[i++] = z
    return views[i] as Buffer
  }
  // z = 2m + s, where m = n for n >= 0 and m = -n - 1 (so m <= 2^53 - 2) and
  // s = 1 for n < 0: the first byte holds s and m's low 6 bits, the rest
  // are m's 7-bit groups; m itself is never doubled.
  const s = n < 0 ? 1 : 0
  let m = s ? -n - 1 : n
  let b = ((m % 64) << 1) | s
  m = Math.floor(m / 64)
  while (m > 0) {
    scratch[i++] = b | 0x80
    b = m % 128
    m = Math.floor(m / 128)
  }
  scratch[i++] = b
  return views[i] as Buffer
}

/** Inverse of writeSafe over the varint's bytes; NaN if the value is not a safe integer. */
function readSafe(buf: Buffer): number {
  const first = buf[0] as number
  const s = first & 1
  let m = (first & 0x7f) >>> 1
  let scale = 64
  for (let i = 1; i < buf.length; i++) {
    m += ((buf[i] as number) & 0x7f) * scale
    scale *= 128
  }
  // Each term is exact and they share no bits, so the sum is exact while it
  // stays below 2^53, and at least 2^53 (rounding is monotone) otherwise.
  if (m > SAFE || (s && m === SAFE)) return NaN
  return s ? -m - 1 : m
}

function writeBig(n: bigint): Buffer {
  let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n))
  let i = 0
  while (z > 0x7fn) {
    scratch[i++] = Number(z & 0x7fn) | 0x80
    z >>= 7n
  }
  scratch[i++] = Number(z)
  return views[i] as Buffer
}

/** The varint as a signed 64-bit BigInt; undefined if it holds more than 64 bits. */
function readBig(buf: Buffer): bigint | undefined {
  let z = 0n
  for (let i = buf.length - 1; i >= 0; i--) z = (z << 7n) | BigInt((buf[i] as number) & 0x7f)
  if (z >> 64n) return undefined
  return (z >> 1n) ^ -(z & 1n)
}

const isSafeLong = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)
const isInt64 = (v: unknown): v is bigint => typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX

// avsc calls fromBuffer inside its readers: a throw here surfaces as the
// codec's MALFORMED (the guard normally refuses such bytes first).
const numberLong = avro.types.LongType.__with(
  {
    isValid: isSafeLong,
    toBuffer: writeSafe,
    fromBuffer: (buf: Buffer): number => {
      const n = readSafe(buf)
      if (Number.isNaN(n)) throw new RangeError('long outside ±(2^53 - 1) cannot be read as a number')
      return n
    },
    // Used for schema defaults and Type#random: refuse what is not exact.
    fromJSON: (v: unknown): number => {
      if (isSafeLong(v)) return v
      throw new RangeError(`${String(v)} is not a safe integer`)
    },
    toJSON: (v: number): number => v,
    compare: (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0),
  },
  true, // noUnpack: toBuffer/fromBuffer see the varint bytes themselves
)

const bigintLong = avro.types.LongType.__with(
  {
    isValid: isInt64,
    toBuffer: writeBig,
    fromBuffer: (buf: Buffer): bigint => {
      const n = readBig(buf)
      if (n === undefined) throw new RangeError('varint longer than 64 bits')
      return n
    },
    // Schema defaults: a JSON number beyond the safe range may have been
    // rounded by JSON.parse already, so only safe ones (or BigInts) pass.
    fromJSON: (v: unknown): bigint => {
      const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : undefined
      if (n === undefined || !isInt64(n)) throw new RangeError(`${String(v)} is not a 64-bit integer`)
      return n
    },
    // JSON cannot hold every int64 as a number: keep safe ones as numbers.
    toJSON: (v: bigint): number | string => (v >= -BigInt(SAFE) && v <= BigInt(SAFE) ? Number(v) : v.toString()),
    compare: (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0),
  },
  true,
)

export const LONG_TYPES: Readonly<Record<LongMode, avro.Type>> = Object.freeze({ number: numberLong, bigint: bigintLong })

/** Which mode a compiled long type is, or undefined if it is not one of ours. */
export function longModeOf(type: avro.Type): LongMode | undefined {
  return type === numberLong ? 'number' : type === bigintLong ? 'bigint' : undefined
}

const PRIMITIVE_NUMBERS = new Set(['int', 'long', 'float', 'double'])

// avsc's bucket of a branch (UnwrappedUnionType), with our long a number as
// avsc's own long is: two branches in one bucket make the union ambiguous.
function bucketOf(type: avro.Type): string {
  const name = type.typeName
  if (PRIMITIVE_NUMBERS.has(name) || name === 'abstract:long') return 'number'
  if (name === 'bytes' || name === 'fixed') return 'buffer'
  if (name === 'enum') return 'string'
  if (name === 'map' || name === 'record' || name === 'error') return 'object'
  return name
}

// avsc (wrapUnions 'auto') wraps a union when two branches fall in the same
// bucket. It files an abstract long in a bucket of its own, which would leave
// e.g. ["int", "long"] unwrapped and then fail at run time ('ambiguous
// conversion') for every int. Deciding here with long as a number keeps the
// union shapes of plain avsc: `{"long": 1}` stays `{"long": 1}`.
function unionType(schema: unknown[], opts: avro.ForSchemaOptions): avro.Type {
  const types = schema.map((s) => avro.Type.forSchema(s as avro.Schema, opts))
  const buckets = new Set(types.map(bucketOf))
  // (avsc's union types, with branch names kept apart from Object.prototype's: avro-js-names.ts)
  const Union = buckets.size < types.length ? OwnNameWrappedUnionType : OwnNameUnwrappedUnionType
  // Already-built branches are passed back as types, which forSchema returns as is.
  return new Union(types as unknown as avro.Schema, opts)
}

/** forSchema options that give every long the representation `mode`. */
export function longSchemaOptions(mode: LongMode): Partial<avro.ForSchemaOptions> {
  const long = LONG_TYPES[mode]
  return {
    typeHook: (schema, opts) => {
      if (schema === 'long') return long
      if (Array.isArray(schema)) return unionType(schema, opts)
      if (typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'long') return long
      return undefined
    },
  }
}
