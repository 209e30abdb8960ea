// The raw codec: bytes in, the same bytes out. For payloads that are already
// encoded (images, protobuf, compressed blobs) or opaque to the application.
import { CodecError, idToHex, sameId } from './codec.js'
import type { Codec } from './codec.js'
import { crc64AvroBytes } from './crc64-avro.js'

/** The raw codec's id: CRC-64-AVRO of the text `tipc-rx:raw` (see JSON_CODEC_ID). */
export const RAW_CODEC_ID: Uint8Array = crc64AvroBytes(new TextEncoder().encode('tipc-rx:raw'))

export class RawCodec implements Codec<Uint8Array> {
  readonly kind = 'raw'
  readonly id = RAW_CODEC_ID

  /** Returns `value` itself, not a copy: do not modify it until it is sent. */
  encode(value: Uint8Array): Uint8Array {
    if (!(value instanceof Uint8Array)) {
      throw new CodecError('INVALID_VALUE', 'raw', `the raw codec encodes a Uint8Array, not ${describe(value)}`, { path: '' })
    }
    return value
  }

  /** Returns `bytes` itself (a view on the received message), not a copy. */
  decode(bytes: Uint8Array, writerId?: Uint8Array): Uint8Array {
    if (writerId !== undefined && !sameId(writerId, this.id)) {
      throw new CodecError('UNKNOWN_SCHEMA', 'raw', `the raw codec cannot read data tagged ${idToHex(writerId)}`)
    }
    return bytes
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return (value).constructor?.name ?? 'an object'
  return typeof value
}

/** A raw codec (stateless). */
export function rawCodec(): RawCodec {
  return new RawCodec()
}
