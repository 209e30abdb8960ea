// The data and chunk part of an envelope: seq, attempt, codec id, key,
// receivers and chunk info, each checked (docs/protocol.md, "What a receiver
// checks"). Called by decodeEnvelope once the common header is valid.
import { MAX_MESSAGE_SIZE } from '../transport-contract/index.js'
import { prevFromDelta, readSafeInteger, refuse, type Refusal } from './envelope-read.js'
import { CHUNK_INFO_SIZE, DATA_FIXED_SIZE, RECEIVER_COUNT_SIZE, RECEIVER_SIZE } from './envelope-size.js'
import {
  CODEC_ID_SIZE, COMMON_HEADER_SIZE, FLAG_ACK_REQUESTED, FLAG_KEYED, FLAG_LAST_CHUNK, MAX_RECEIVERS_PER_COPY,
  type ChunkInfo, type DataEnvelope, type EnvelopeCommon, type Receiver,
} from './envelope-types.js'
import { keyInstance as keyInstanceOf, MAX_KEY_BYTES } from './topic-name.js'

/**
 * The data or chunk envelope in bytes[COMMON_HEADER_SIZE, headerLength), or
 * a refusal. `payloadLength` is the length of what follows the header, or
 * -1 when the payload was cut (a returned copy) and cannot be checked.
 */
export function decodeDataPart(
  bytes: Uint8Array, view: DataView, common: EnvelopeCommon, kind: 'data' | 'chunk',
  flags: number, headerLength: number, payloadLength: number,
): DataEnvelope | Refusal {
  let at = COMMON_HEADER_SIZE
  if (at + DATA_FIXED_SIZE > headerLength) return refuse('BAD_LENGTH')
  const seq = readSafeInteger(view, at)
  const attempt = view.getUint16(at + 8, true)
  if (seq < 1 || attempt < 1) return refuse('BAD_FIELD')
  const codecId = bytes.subarray(at + 10, at + 10 + CODEC_ID_SIZE)
  const keyInstance = view.getUint32(at + 10 + CODEC_ID_SIZE, true)
  const keyLength = view.getUint8(at + 14 + CODEC_ID_SIZE)
  at += DATA_FIXED_SIZE

  let key: Uint8Array | undefined
  if ((flags & FLAG_KEYED) !== 0) {
    if (keyLength < 1 || keyLength > MAX_KEY_BYTES) return refuse('BAD_KEY')
    if (at + keyLength > headerLength) return refuse('BAD_LENGTH')
    key = bytes.subarray(at, at + keyLength)
    if (keyInstanceOf(key) !== keyInstance) return refuse('BAD_KEY')
    at += keyLength
  } else if (keyLength !== 0 || keyInstance !== 0) {
    return refuse('BAD_KEY')
  }

  if (at + RECEIVER_COUNT_SIZE > headerLength) return refuse('BAD_LENGTH')
  const receiverCount = view.getUint16(at, true)
  at += RECEIVER_COUNT_SIZE
  if (receiverCount > MAX_RECEIVERS_PER_COPY) return refuse('BAD_FIELD')
  if (at + receiverCount * RECEIVER_SIZE > headerLength) return refuse('BAD_LENGTH')
  const receivers: Receiver[] = []
  for (let i = 0; i < receiverCount; i++, at += RECEIVER_SIZE) {
    const prev = prevFromDelta(seq, view.getUint32(at + 8, true))
    if (prev < 0) return refuse('BAD_FIELD')
    receivers.push({ node: view.getUint32(at, true), ref: view.getUint32(at + 4, true), prev })
  }

  let chunk: ChunkInfo | undefined
  if (kind === 'chunk') {
    if (at + CHUNK_INFO_SIZE > headerLength) return refuse('BAD_LENGTH')
    const index = view.getUint32(at, true)
    const count = view.getUint32(at + 4, true)
    const totalLength = view.getUint32(at + 8, true)
    at += CHUNK_INFO_SIZE
    // Every chunk holds at least one byte and at most one message's worth.
    if (count < 2 || index >= count || totalLength < count || totalLength > count * MAX_MESSAGE_SIZE) return refuse('BAD_CHUNK')
    if (((flags & FLAG_LAST_CHUNK) !== 0) !== (index === count - 1)) return refuse('BAD_CHUNK')
    if (payloadLength > totalLength) return refuse('BAD_CHUNK')
    chunk = { index, count, totalLength }
  }
  if (at !== headerLength) return refuse('BAD_LENGTH')

  // The common fields spelled out, not spread: `...common` (an object holding two BigInts) took V8's
  // slow clone path, about 20x the cost of the rest of this function (bench:pubsub's subscriber profile).
  const envelope: DataEnvelope = {
    topicHash: common.topicHash, stream: common.stream, timestamp: common.timestamp, kind, ackRequested: (flags & FLAG_ACK_REQUESTED) !== 0, seq, attempt, codecId, keyInstance, receivers,
  }
  if (key !== undefined) envelope.key = key
  if (chunk !== undefined) envelope.chunk = chunk
  return envelope
}
