// How many bytes each part of an envelope takes: one place for the layout's
// sizes, so the encoder, the decoder's length check and the publisher's
// "how much payload fits" agree by construction.
import { CODEC_ID_SIZE, COMMON_HEADER_SIZE, type Envelope } from './envelope-types.js'

/** seq u64, attempt u16, codecId, keyInstance u32, keyLength u8: the data part before the key. */
export const DATA_FIXED_SIZE = 8 + 2 + CODEC_ID_SIZE + 4 + 1
/** receiverCount u16. */
export const RECEIVER_COUNT_SIZE = 2
/** node u32, ref u32, prevDelta u32. */
export const RECEIVER_SIZE = 12
/** index u32, count u32, totalLength u32. */
export const CHUNK_INFO_SIZE = 12
/** count u16 before the entries of an ack. */
export const ACK_COUNT_SIZE = 2
/** seq u64, attempt u16, op u8. */
export const ACK_ENTRY_SIZE = 11
/** seq u64, attempt u16, op u8, delayMs u32, reasonLength u16: the nack part before the reason. */
export const NACK_FIXED_SIZE = 8 + 2 + 1 + 4 + 2
/** The control op byte, then each op's body. */
export const CONTROL_OP_SIZE = 1
export const GAP_BODY_SIZE = 8 + 4 + 1
export const SCHEMA_REQUEST_BODY_SIZE = CODEC_ID_SIZE
export const SCHEMA_RESPONSE_BODY_SIZE = CODEC_ID_SIZE + 1

const utf8 = new TextEncoder()

/** The UTF-8 length of a nack reason as the encoder writes it. */
export function reasonByteLength(reason: string): number {
  // Pure ASCII (the usual reason) is one byte per unit: no encoding needed.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(reason) ? reason.length : utf8.encode(reason).length
}

/** The header length of a data or chunk envelope with these field sizes. */
export function dataHeaderSize(keyLength: number, receiverCount: number, chunked: boolean): number {
  return COMMON_HEADER_SIZE + DATA_FIXED_SIZE + keyLength + RECEIVER_COUNT_SIZE +
    RECEIVER_SIZE * receiverCount + (chunked ? CHUNK_INFO_SIZE : 0)
}

/**
 * The bytes the envelope `e` takes before its payload (its headerLength),
 * for a publisher to know how much payload fits in one message. Assumes the
 * fields are valid (encodeEnvelope checks them).
 */
export function envelopeSize(e: Envelope): number {
  switch (e.kind) {
    case 'data':
    case 'chunk':
      return dataHeaderSize(e.key?.length ?? 0, e.receivers.length, e.kind === 'chunk')
    case 'ack':
      return COMMON_HEADER_SIZE + ACK_COUNT_SIZE + ACK_ENTRY_SIZE * e.acks.length
    case 'nack':
      return COMMON_HEADER_SIZE + NACK_FIXED_SIZE + reasonByteLength(e.reason)
    case 'control':
      return COMMON_HEADER_SIZE + CONTROL_OP_SIZE + (
        e.op === 'gap' ? GAP_BODY_SIZE : e.op === 'schema-request' ? SCHEMA_REQUEST_BODY_SIZE : e.op === 'probe' ? 0 : SCHEMA_RESPONSE_BODY_SIZE)
  }
}
