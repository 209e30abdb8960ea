// An Avro codec with no schema of its own: it decodes each message with the
// schema that wrote it, looked up by fingerprint in its registry. For tools
// that read a topic they know nothing about (`tipc-rx tail --codec avro`):
// on a topic, the broker-less registry fetches each unknown writer schema
// from its publisher into this registry before the message is decoded, as
// it does for an AvroCodec. It cannot encode: there is no schema to write
// with, and a value guessed into some writer's schema would be a lie.
import { CodecError, idToHex } from './codec.js'
import type { Codec } from './codec.js'
import { crc64AvroBytes } from './crc64-avro.js'
import { SchemaRegistry } from './schema-registry.js'
import type { SchemaRegistryOptions } from './schema-registry.js'

/**
 * This codec's id: CRC-64-AVRO of the text `tipc-rx:avro-writer`. It is never
 * written on the wire (the codec does not encode); it only has to differ from
 * every writer's fingerprint, so that each message is looked up by its own.
 */
export const AVRO_WRITER_CODEC_ID: Uint8Array = crc64AvroBytes(new TextEncoder().encode('tipc-rx:avro-writer'))

export class AvroWriterCodec implements Codec<unknown> {
  readonly kind = 'avro'
  readonly id = AVRO_WRITER_CODEC_ID
  /** Where writer schemas are found (the topic layer fetches unknown ones into it). */
  readonly registry: SchemaRegistry

  constructor(options: { registry?: SchemaRegistry } & SchemaRegistryOptions = {}) {
    this.registry = options.registry ?? new SchemaRegistry(options)
  }

  /** Always INVALID_VALUE: a codec without a schema has nothing to write with. */
  encode(): Uint8Array {
    throw new CodecError('INVALID_VALUE', 'avro', 'an Avro writer-schema codec only decodes: publish with a codec made from a schema', { path: '' })
  }

  /** Decodes with the writer's own schema; UNKNOWN_SCHEMA if it is not in the registry. */
  decode(bytes: Uint8Array, writerId?: Uint8Array): unknown {
    if (writerId === undefined) {
      throw new CodecError('UNKNOWN_SCHEMA', 'avro', 'an Avro writer-schema codec needs the writer id of the bytes it decodes')
    }
    const writer = this.registry.require(writerId, 'avro')
    writer.guard(bytes)
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    try {
      return writer.type.fromBuffer(buf)
    } catch (err) {
      // The guard has vetted lengths, indices and ranges (as in AvroCodec).
      throw new CodecError('MALFORMED', 'avro', `cannot decode with writer schema ${idToHex(writerId)}: ${(err as Error).message}`, { cause: err })
    }
  }
}

/** Shorthand for `new AvroWriterCodec(options)`. */
export function avroWriterCodec(options: { registry?: SchemaRegistry } & SchemaRegistryOptions = {}): AvroWriterCodec {
  return new AvroWriterCodec(options)
}
