// The codec of `tail --raw`: every message's payload as the bytes that came,
// whatever codec wrote them (json, raw or Avro), so tail can print them
// as they are. Tail only decodes with it; it has nothing to encode.
import { CodecError, RAW_CODEC_ID, type Codec } from '../codecs/index.js'

export const anyPayloadBytes: Codec<Uint8Array> = {
  kind: 'raw',
  id: RAW_CODEC_ID,
  encode: value => {
    if (value instanceof Uint8Array) return value
    throw new CodecError('INVALID_VALUE', 'raw', 'the raw codec encodes bytes only', { path: '' })
  },
  decode: bytes => bytes,
}
