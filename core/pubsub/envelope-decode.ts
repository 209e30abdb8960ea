// Reads and checks an envelope from bytes that came off the wire. Hostile or
// corrupt input is expected here: decoding never throws, never reads past
// the bytes or past the header's own length, checks every field, and says
// why it refused with a stable reason. Views, not copies: the payload, the
// codec id and the key are subarrays of the bytes given.
import { decodeDataPart } from './envelope-decode-data.js'
import { prevFromDelta, readSafeInteger, refuse, type Refusal } from './envelope-read.js'
import {
  ACK_COUNT_SIZE, ACK_ENTRY_SIZE, CONTROL_OP_SIZE, GAP_BODY_SIZE, NACK_FIXED_SIZE, SCHEMA_REQUEST_BODY_SIZE,
  SCHEMA_RESPONSE_BODY_SIZE,
} from './envelope-size.js'
import {
  CODEC_ID_SIZE, COMMON_HEADER_SIZE, ENVELOPE_VERSION, FLAG_ACK_REQUESTED, FLAG_KEYED, FLAG_LAST_CHUNK,
  MAX_ACKS_PER_ENVELOPE, MAX_ENVELOPE_SIZE, MAX_REASON_BYTES, envelopeCarriesPayload,
  type AckEntry, type AckEnvelope, type ControlEnvelope, type DecodeOptions, type DecodeResult, type Envelope,
  type EnvelopeCommon, type EnvelopeKind, type GapReason, type NackEnvelope,
} from './envelope-types.js'

/** By kind code (index): the kind, and the flag bits it may carry. */
const KINDS: ReadonlyArray<{ kind: EnvelopeKind; flags: number } | undefined> = [
  undefined,
  { kind: 'data', flags: FLAG_ACK_REQUESTED | FLAG_KEYED },
  { kind: 'ack', flags: 0 },
  { kind: 'nack', flags: 0 },
  { kind: 'control', flags: 0 },
  { kind: 'chunk', flags: FLAG_ACK_REQUESTED | FLAG_KEYED | FLAG_LAST_CHUNK },
]
const ACK_OPS = [undefined, 'ack', 'working'] as const
const NACK_OPS = [undefined, 'nak', 'term'] as const
const GAP_REASONS: ReadonlyArray<GapReason | undefined> = [undefined, 'timeout', 'left', 'returned', 'terminated']
const CONTROL_GAP = 1
const CONTROL_SCHEMA_REQUEST = 2
const CONTROL_SCHEMA_RESPONSE = 3
const CONTROL_PROBE = 4

/**
 * The envelope at the start of `bytes` and the payload after it, or why the
 * bytes are not one (EnvelopeDropReason). With `truncatedPayload` the bytes
 * may be a returned copy, cut after 1024 bytes (see DecodeOptions).
 */
export function decodeEnvelope(bytes: Uint8Array, options?: DecodeOptions): DecodeResult {
  if (bytes.length < COMMON_HEADER_SIZE) return refuse('TRUNCATED')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint8(0) !== ENVELOPE_VERSION) return refuse('BAD_VERSION')
  const kind = KINDS[view.getUint8(1)]
  if (kind === undefined) return refuse('BAD_KIND')
  const flags = view.getUint16(2, true)
  if ((flags & ~kind.flags) !== 0) return refuse('BAD_FLAGS')
  const headerLength = view.getUint16(4, true)
  if (headerLength > MAX_ENVELOPE_SIZE || headerLength < COMMON_HEADER_SIZE) return refuse('BAD_LENGTH')
  if (headerLength > bytes.length) return refuse('TRUNCATED')
  if (view.getUint16(6, true) !== 0) return refuse('BAD_RESERVED')
  const timestamp = readSafeInteger(view, 24)
  if (timestamp < 0) return refuse('BAD_FIELD')
  const common: EnvelopeCommon = { topicHash: view.getBigUint64(8, true), stream: view.getBigUint64(16, true), timestamp }

  const truncated = options?.truncatedPayload === true
  const payload = bytes.subarray(headerLength)
  let envelope: Envelope | Refusal
  switch (kind.kind) {
    case 'data':
    case 'chunk':
      envelope = decodeDataPart(bytes, view, common, kind.kind, flags, headerLength, truncated ? -1 : payload.length)
      break
    case 'ack':
      envelope = decodeAck(view, common, headerLength)
      break
    case 'nack':
      envelope = decodeNack(bytes, view, common, headerLength)
      break
    case 'control':
      envelope = decodeControl(bytes, view, common, headerLength)
      break
  }
  if ('ok' in envelope) return envelope
  if (!truncated && payload.length > 0 && !envelopeCarriesPayload(envelope)) return refuse('UNEXPECTED_PAYLOAD')
  return { ok: true, envelope, payload }
}

/**
 * The stream, seq and attempt of a returned data or chunk copy (its bytes
 * cut to 1024, the envelope whole), for the publisher to find what came
 * back; undefined if the bytes are not a valid data or chunk envelope. The
 * whole envelope is checked: this is decodeEnvelope with truncatedPayload.
 */
export function peekStreamAndSeq(bytes: Uint8Array):
  { topicHash: bigint; stream: bigint; seq: number; attempt: number; kind: 'data' | 'chunk' } | undefined {
  const decoded = decodeEnvelope(bytes, { truncatedPayload: true })
  if (!decoded.ok) return undefined
  const e = decoded.envelope
  if (e.kind !== 'data' && e.kind !== 'chunk') return undefined
  return { topicHash: e.topicHash, stream: e.stream, seq: e.seq, attempt: e.attempt, kind: e.kind }
}


function decodeAck(view: DataView, common: EnvelopeCommon, headerLength: number): AckEnvelope | Refusal {
  let at = COMMON_HEADER_SIZE
  if (at + ACK_COUNT_SIZE > headerLength) return refuse('BAD_LENGTH')
  const count = view.getUint16(at, true)
  at += ACK_COUNT_SIZE
  if (count < 1 || count > MAX_ACKS_PER_ENVELOPE) return refuse('BAD_FIELD')
  if (at + count * ACK_ENTRY_SIZE !== headerLength) return refuse('BAD_LENGTH')
  const acks: AckEntry[] = []
  for (let i = 0; i < count; i++, at += ACK_ENTRY_SIZE) {
    const seq = readSafeInteger(view, at)
    const attempt = view.getUint16(at + 8, true)
    if (seq < 1 || attempt < 1) return refuse('BAD_FIELD')
    const op = ACK_OPS[view.getUint8(at + 10)]
    if (op === undefined) return refuse('BAD_OP')
    acks.push({ seq, attempt, op })
  }
  // Spelled out, not `...common`: see decodeDataPart (acks are the publisher's per-message input).
  return { topicHash: common.topicHash, stream: common.stream, timestamp: common.timestamp, kind: 'ack', acks }
}

// fatal: invalid UTF-8 is a refusal, not a string with U+FFFD in it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function decodeNack(bytes: Uint8Array, view: DataView, common: EnvelopeCommon, headerLength: number): NackEnvelope | Refusal {
  const at = COMMON_HEADER_SIZE
  if (at + NACK_FIXED_SIZE > headerLength) return refuse('BAD_LENGTH')
  const seq = readSafeInteger(view, at)
  const attempt = view.getUint16(at + 8, true)
  if (seq < 1 || attempt < 1) return refuse('BAD_FIELD')
  const op = NACK_OPS[view.getUint8(at + 10)]
  if (op === undefined) return refuse('BAD_OP')
  const delayMs = view.getUint32(at + 11, true)
  const reasonLength = view.getUint16(at + 15, true)
  if (reasonLength > MAX_REASON_BYTES) return refuse('BAD_FIELD')
  const reasonStart = at + NACK_FIXED_SIZE
  if (reasonStart + reasonLength !== headerLength) return refuse('BAD_LENGTH')
  let reason: string
  try {
    reason = strictUtf8.decode(bytes.subarray(reasonStart, headerLength))
  } catch {
    return refuse('BAD_UTF8')
  }
  return { ...common, kind: 'nack', seq, attempt, op, delayMs, reason }
}

function decodeControl(bytes: Uint8Array, view: DataView, common: EnvelopeCommon, headerLength: number): ControlEnvelope | Refusal {
  let at = COMMON_HEADER_SIZE
  if (at + CONTROL_OP_SIZE > headerLength) return refuse('BAD_LENGTH')
  const op = view.getUint8(at)
  at += CONTROL_OP_SIZE
  switch (op) {
    case CONTROL_GAP: {
      if (at + GAP_BODY_SIZE !== headerLength) return refuse('BAD_LENGTH')
      const seq = readSafeInteger(view, at)
      if (seq < 1) return refuse('BAD_FIELD')
      const prev = prevFromDelta(seq, view.getUint32(at + 8, true))
      if (prev < 0) return refuse('BAD_FIELD')
      const reason = GAP_REASONS[view.getUint8(at + 12)]
      if (reason === undefined) return refuse('BAD_OP')
      return { ...common, kind: 'control', op: 'gap', seq, prev, reason }
    }
    case CONTROL_SCHEMA_REQUEST:
      if (at + SCHEMA_REQUEST_BODY_SIZE !== headerLength) return refuse('BAD_LENGTH')
      return { ...common, kind: 'control', op: 'schema-request', codecId: bytes.subarray(at, at + CODEC_ID_SIZE) }
    case CONTROL_SCHEMA_RESPONSE: {
      if (at + SCHEMA_RESPONSE_BODY_SIZE !== headerLength) return refuse('BAD_LENGTH')
      const found = view.getUint8(at + CODEC_ID_SIZE)
      if (found > 1) return refuse('BAD_FIELD')
      return { ...common, kind: 'control', op: 'schema-response', codecId: bytes.subarray(at, at + CODEC_ID_SIZE), found: found === 1 }
    }
    case CONTROL_PROBE:
      if (at !== headerLength) return refuse('BAD_LENGTH')
      return { ...common, kind: 'control', op: 'probe' }
    default:
      return refuse('BAD_OP')
  }
}
