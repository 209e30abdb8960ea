// The JSON codec: any JSON-serialisable value as UTF-8 JSON text. No schema,
// so no evolution rules and no fingerprint: its id is a fixed tag.
import { isUtf8 } from 'node:buffer'
import { CodecError, idToHex, sameId } from './codec.js'
import type { Codec } from './codec.js'
import { crc64AvroBytes } from './crc64-avro.js'

/**
 * The json codec's id: CRC-64-AVRO of the text `tipc-rx:json`. Hashing a
 * name (rather than picking bytes) keeps the id in the same 8-byte space as
 * Avro fingerprints, where a clash with a real schema is as unlikely as a
 * clash between two schemas.
 */
export const JSON_CODEC_ID: Uint8Array = crc64AvroBytes(new TextEncoder().encode('tipc-rx:json'))

export class JsonCodec<T = unknown> implements Codec<T> {
  readonly kind = 'json'
  readonly id = JSON_CODEC_ID

  /** JSON.stringify as UTF-8. Values JSON cannot represent (undefined, functions, BigInt, cycles) are INVALID_VALUE. */
  encode(value: T): Uint8Array {
    let text: string | undefined
    try {
      text = JSON.stringify(value)
    } catch (err) {
      throw new CodecError('INVALID_VALUE', 'json', `value cannot be written as JSON: ${(err as Error).message}`, { cause: err, path: '' })
    }
    if (text === undefined) {
      throw new CodecError('INVALID_VALUE', 'json', `value cannot be written as JSON: ${typeof value}`, { path: '' })
    }
    return Buffer.from(text, 'utf8')
  }

  /** UTF-8 JSON text to a value. Invalid UTF-8 or invalid JSON is MALFORMED, with JSON.parse's position. */
  decode(bytes: Uint8Array, writerId?: Uint8Array): T {
    if (writerId !== undefined && !sameId(writerId, this.id)) {
      throw new CodecError('UNKNOWN_SCHEMA', 'json', `the json codec cannot read data tagged ${idToHex(writerId)}`)
    }
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    // Buffer#toString would silently turn bad sequences into U+FFFD.
    if (!isUtf8(buf)) throw new CodecError('MALFORMED', 'json', 'invalid JSON: input is not valid UTF-8')
    // RFC 8259 lets a parser ignore a byte order mark; JSON.parse does not.
    const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0
    try {
      return JSON.parse(buf.toString('utf8', start)) as T
    } catch (err) {
      throw new CodecError('MALFORMED', 'json', `invalid JSON: ${(err as Error).message}`, { cause: err })
    }
  }
}

/** A json codec (stateless; one instance can serve every topic). */
export function jsonCodec<T = unknown>(): JsonCodec<T> {
  return new JsonCodec<T>()
}
