// Avro single-object encoding: C3 01, the writer schema's CRC-64-AVRO
// fingerprint (8 bytes, little-endian), then the Avro binary body. Inside
// tipc-rx the envelope carries the fingerprint, so messages do not need this
// framing; it is for exchanging values with other Avro tools (Java's
// BinaryMessageEncoder/Decoder, Python's, Rust's), e.g. in files or over a
// bridge to another bus.
import { CodecError } from './codec.js'
import type { AvroCodec } from './avro.js'

/** The two marker bytes, which also version the format. */
export const SINGLE_OBJECT_MARKER: Readonly<Uint8Array> = Uint8Array.of(0xc3, 0x01)
/** Marker plus fingerprint. */
export const SINGLE_OBJECT_HEADER_SIZE = 10

export interface SingleObjectParts {
  /** Fingerprint of the writer's schema, 8 bytes little-endian (an AvroCodec id). */
  writerId: Uint8Array
  /** The Avro binary body (a view on the input). */
  body: Uint8Array
}

/** True if `bytes` start with the single-object marker (and are long enough for a header). */
export function isSingleObject(bytes: Uint8Array): boolean {
  return bytes.length >= SINGLE_OBJECT_HEADER_SIZE && bytes[0] === 0xc3 && bytes[1] === 0x01
}

/** Frames an already encoded body written with the schema `writerId`. */
export function frameSingleObject(writerId: Uint8Array, body: Uint8Array): Uint8Array {
  if (writerId.length !== 8) {
    throw new CodecError('INVALID_VALUE', 'avro-single-object', `a fingerprint is 8 bytes, not ${writerId.length}`, { path: '' })
  }
  const out = new Uint8Array(SINGLE_OBJECT_HEADER_SIZE + body.length)
  out.set(SINGLE_OBJECT_MARKER, 0)
  out.set(writerId, 2)
  out.set(body, SINGLE_OBJECT_HEADER_SIZE)
  return out
}

/** Splits a single-object message into fingerprint and body, without decoding the body. */
export function parseSingleObject(bytes: Uint8Array): SingleObjectParts {
  if (bytes.length >= 1 && bytes[0] !== 0xc3 || bytes.length >= 2 && bytes[1] !== 0x01) {
    throw new CodecError('MALFORMED', 'avro-single-object', 'not Avro single-object encoding: the first bytes are not C3 01', { offset: 0 })
  }
  if (bytes.length < SINGLE_OBJECT_HEADER_SIZE) {
    throw new CodecError('TRUNCATED', 'avro-single-object', `a single-object header is 10 bytes, the input has ${bytes.length}`, { offset: bytes.length })
  }
  return { writerId: bytes.subarray(2, 10), body: bytes.subarray(SINGLE_OBJECT_HEADER_SIZE) }
}

/** Encodes `value` with `codec` and frames it as a single object. */
export function encodeSingleObject<T>(codec: AvroCodec<T>, value: T): Uint8Array {
  return frameSingleObject(codec.id, codec.encode(value))
}

/**
 * Decodes a single object with `codec` as the reader: the fingerprint in the
 * header selects the writer schema (the codec's own, or one in its registry).
 */
export function decodeSingleObject<T>(codec: AvroCodec<T>, bytes: Uint8Array): T {
  const { writerId, body } = parseSingleObject(bytes)
  return codec.decode(body, writerId)
}
