// The codec contract: values to bytes and back, independent of any transport.
// The topic layer puts a codec's `id` in every message envelope, so a receiver
// can tell which schema wrote the bytes and pass it back to `decode`.

/**
 * Why a codec refused a value or a byte string. Stable strings: programs
 * branch on them, docs/codecs.md explains each.
 */
export type CodecErrorCode =
  /** The bytes end before the value does (or declare more bytes than remain). */
  | 'TRUNCATED'
  /** A whole value was decoded and bytes are left over. */
  | 'TRAILING_DATA'
  /** The bytes are not a valid encoding: bad union or enum index, invalid UTF-8, invalid JSON, bad framing... */
  | 'MALFORMED'
  /** The bytes are valid but exceed a decoding limit (nesting depth, items decoded from no bytes), or the schema registry's limits (entries, schema size). */
  | 'LIMIT_EXCEEDED'
  /** The writer's schema id is not known to this codec (nor to its registry). */
  | 'UNKNOWN_SCHEMA'
  /** The writer's schema is known but cannot be read as the reader's schema. */
  | 'INCOMPATIBLE_SCHEMA'
  /** `encode` was given a value that does not match the schema; nothing was encoded. */
  | 'INVALID_VALUE'
  /** A schema could not be parsed, or its announced fingerprint does not match it. */
  | 'INVALID_SCHEMA'

export interface CodecErrorDetails {
  /** Byte offset in the input where decoding failed, when known. */
  offset?: number
  /** Path of the offending field for INVALID_VALUE, e.g. `items[2].sku`. */
  path?: string
  /** Every offending path for INVALID_VALUE (the first is `path`). */
  paths?: readonly string[]
  /** The underlying error (from avsc, JSON.parse, ...), if any. */
  cause?: unknown
}

/** The only error a codec ever throws. */
export class CodecError extends Error {
  readonly code: CodecErrorCode
  /** Which codec threw: 'avro', 'json', 'raw', 'avro-single-object', 'schema-registry'. */
  readonly codec: string
  readonly offset?: number
  readonly path?: string
  readonly paths?: readonly string[]

  constructor(code: CodecErrorCode, codec: string, message: string, details: CodecErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'CodecError'
    this.code = code
    this.codec = codec
    if (details.offset !== undefined) this.offset = details.offset
    if (details.path !== undefined) this.path = details.path
    if (details.paths !== undefined) this.paths = details.paths
  }
}

export function isCodecError(err: unknown): err is CodecError {
  return err instanceof CodecError
}

/**
 * A codec. `encode` and `decode` throw only `CodecError`.
 *
 * `id` identifies what the bytes mean: for Avro the 8-byte CRC-64-AVRO
 * fingerprint of the writer's schema, for json and raw a fixed 8-byte tag.
 * `decode(bytes, writerId)` reads bytes written under `writerId` (default:
 * this codec's own `id`); a codec that cannot interpret that id fails with
 * UNKNOWN_SCHEMA.
 */
export interface Codec<T = unknown> {
  /** 'avro', 'json' or 'raw'. */
  readonly kind: string
  /** Stable identity of the encoding, carried in the envelope. 8 bytes. */
  readonly id: Uint8Array
  encode(value: T): Uint8Array
  decode(bytes: Uint8Array, writerId?: Uint8Array): T
}

/** Byte-wise equality of two ids (fingerprints are compared on every decode, so no allocation). */
export function sameId(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function idToHex(id: Uint8Array): string {
  let s = ''
  for (let i = 0; i < id.length; i++) s += (id[i] as number).toString(16).padStart(2, '0')
  return s
}
