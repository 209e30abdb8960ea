// Public surface of tipc-rx/codecs: re-exports only.
export { CodecError, isCodecError, sameId, idToHex } from './codec.js'
export type { Codec, CodecErrorCode, CodecErrorDetails } from './codec.js'
export { AvroCodec, avroCodec, fingerprintOf } from './avro.js'
export type { AvroCodecOptions } from './avro.js'
export { AvroWriterCodec, avroWriterCodec, AVRO_WRITER_CODEC_ID } from './avro-writer-codec.js'
export { SchemaRegistry, describeSchema, DEFAULT_REGISTRY_LIMITS } from './schema-registry.js'
export { compileType } from './avro-compile.js'
export type { AvroSchema, RegistryLimits, SchemaEntry, SchemaRegistryOptions } from './schema-registry.js'
export { DEFAULT_DECODE_LIMITS, compileGuard } from './avro-guard.js'
export { LONG_TYPES, longSchemaOptions } from './avro-long.js'
export type { LongMode } from './avro-long.js'
export type { DecodeLimits, Guard } from './avro-guard.js'
export {
  SINGLE_OBJECT_MARKER,
  SINGLE_OBJECT_HEADER_SIZE,
  isSingleObject,
  frameSingleObject,
  parseSingleObject,
  encodeSingleObject,
  decodeSingleObject,
} from './avro-single-object.js'
export type { SingleObjectParts } from './avro-single-object.js'
export { parsingCanonicalForm } from './avro-canonical.js'
export { crc64Avro, crc64AvroSigned, crc64AvroBytes } from './crc64-avro.js'
export { JsonCodec, jsonCodec, JSON_CODEC_ID } from './json.js'
export { RawCodec, rawCodec, RAW_CODEC_ID } from './raw.js'
