// Writes an envelope and its payload into one Uint8Array of its own (a
// slice of a slab, written in place: envelope-slab.ts). The fields
// come from the topic layer's own code, never from the wire, so a field out
// of range is a bug: it throws InvalidArgumentError rather than writing bytes
// that every receiver would drop.
import { InvalidArgumentError } from '../../errors/index.js'
import { MAX_MESSAGE_SIZE } from '../transport-contract/index.js'
import { dataHeaderSize, envelopeSize } from './envelope-size.js'
import { envelopeSpace } from './envelope-slab.js'
import {
  ACK_OP_CODE, CODEC_ID_SIZE, COMMON_HEADER_SIZE, CONTROL_OP_CODE, ENVELOPE_VERSION, FLAG_ACK_REQUESTED,
  FLAG_KEYED, FLAG_LAST_CHUNK, GAP_REASON_CODE, KIND_CODE, MAX_ACKS_PER_ENVELOPE, MAX_ATTEMPT, MAX_PREV_DELTA,
  MAX_REASON_BYTES, MAX_RECEIVERS_PER_COPY, MAX_SEQ, MAX_TIMESTAMP, NACK_OP_CODE, envelopeCarriesPayload,
  type AckEnvelope, type ChunkInfo, type ControlEnvelope, type Envelope, type EnvelopeCommon, type NackEnvelope, type Receiver,
} from './envelope-types.js'
import { keyInstance, MAX_KEY_BYTES } from './topic-name.js'

const EMPTY = new Uint8Array(0)
const utf8 = new TextEncoder()
const U32 = 0xffffffff
const U64 = 2n ** 64n - 1n

/** The bytes of envelope `e` followed by `payload` (copied). Throws InvalidArgumentError on a field out of range. */
export function encodeEnvelope(e: Envelope, payload: Uint8Array = EMPTY): Uint8Array {
  if (e.kind === 'data' || e.kind === 'chunk') {
    if ((e.kind === 'chunk') !== (e.chunk !== undefined)) throw new InvalidArgumentError('chunk info is present iff the kind is chunk')
    return encodeData(e, e.receivers, e.attempt, payload)
  }
  checkCommon(e)
  if (!envelopeCarriesPayload(e) && payload.length > 0) {
    throw new InvalidArgumentError(`a ${e.kind}${e.kind === 'control' ? ` ${e.op}` : ''} envelope carries no payload`)
  }
  const reason = e.kind === 'nack' ? utf8.encode(e.reason) : EMPTY
  const headerLength = envelopeSize(e)
  const length = headerLength + payload.length
  // Written in place in the slab (bytes and view span all of it, offsets from base): one DataView per slab.
  const { bytes, view, base } = envelopeSpace(length)
  switch (e.kind) {
    case 'ack':
      writeAck(view, base, e)
      break
    case 'nack':
      writeNack(view, bytes, base, e, reason)
      break
    case 'control':
      writeControl(view, bytes, base, e)
      break
  }
  writeCommon(view, base, e.kind, 0, headerLength, e)
  bytes.set(payload, base + headerLength)
  return bytes.subarray(base, base + length)
}

/**
 * A data envelope's fields but its attempt and receivers: what every copy
 * of one message shares. A publisher's copy is one, so a copy is encoded
 * straight from it (no envelope object per copy); a chunk iff `chunk` is there.
 */
export interface DataFields extends EnvelopeCommon {
  readonly ackRequested: boolean
  readonly seq: number
  readonly codecId: Uint8Array
  readonly key?: Uint8Array | undefined
  readonly keyInstance: number
  readonly chunk?: ChunkInfo | undefined
}

/**
 * The bytes of a data (or, with chunk info, chunk) envelope for these
 * receivers and attempt, followed by `payload` (copied). `spaceFor` is where
 * they are written: envelopeSpace (the bytes are the caller's for good) or
 * borrowedEnvelopeSpace (envelope-slab.ts: a large one is valid until the next).
 */
export function encodeData(d: DataFields, receivers: readonly Receiver[], attempt: number, payload: Uint8Array, spaceFor = envelopeSpace): Uint8Array {
  checkCommon(d)
  const chunked = d.chunk !== undefined
  const headerLength = dataHeaderSize(d.key?.length ?? 0, receivers.length, chunked)
  const length = headerLength + payload.length
  const { bytes, view, base } = spaceFor(length)
  const flags = writeData(view, bytes, base, d, receivers, attempt, payload.length)
  writeCommon(view, base, chunked ? 'chunk' : 'data', flags, headerLength, d)
  bytes.set(payload, base + headerLength)
  return bytes.subarray(base, base + length)
}

/** The common header, first in every envelope. */
function writeCommon(view: DataView, base: number, kind: Envelope['kind'], flags: number, headerLength: number, e: EnvelopeCommon): void {
  view.setUint8(base, ENVELOPE_VERSION)
  view.setUint8(base + 1, KIND_CODE[kind])
  view.setUint16(base + 2, flags, true)
  view.setUint16(base + 4, headerLength, true)
  view.setUint16(base + 6, 0, true)
  view.setBigUint64(base + 8, e.topicHash, true)
  view.setBigUint64(base + 16, e.stream, true)
  writeSafeInteger(view, base + 24, e.timestamp)
}

/**
 * `reason` cut to at most MAX_REASON_BYTES of UTF-8, at a character boundary:
 * a term or nak reason comes from user code, and the envelope has room for
 * so much of it.
 */
export function truncateReason(reason: string): string {
  const bytes = utf8.encode(reason)
  if (bytes.length <= MAX_REASON_BYTES) return reason
  let end = MAX_REASON_BYTES
  // Back off over continuation bytes (10xxxxxx) so no character is split.
  while ((bytes[end]! & 0xc0) === 0x80) end--
  return new TextDecoder().decode(bytes.subarray(0, end))
}

function writeData(view: DataView, bytes: Uint8Array, base: number, e: DataFields, receivers: readonly Receiver[], attempt: number, payloadLength: number): number {
  checkInteger('seq', e.seq, 1, MAX_SEQ)
  checkInteger('attempt', attempt, 1, MAX_ATTEMPT)
  checkCodecId(e.codecId)
  if (e.key !== undefined) {
    checkInteger('key length', e.key.length, 1, MAX_KEY_BYTES)
    if (e.keyInstance !== keyInstance(e.key)) throw new InvalidArgumentError(`keyInstance ${e.keyInstance} is not the key's (${keyInstance(e.key)})`)
  } else if (e.keyInstance !== 0) {
    throw new InvalidArgumentError('keyInstance must be 0 without a key')
  }
  checkInteger('receiver count', receivers.length, 0, MAX_RECEIVERS_PER_COPY)

  let flags = e.ackRequested ? FLAG_ACK_REQUESTED : 0
  let at = base + COMMON_HEADER_SIZE
  writeSafeInteger(view, at, e.seq)
  view.setUint16(at + 8, attempt, true)
  bytes.set(e.codecId, at + 10)
  view.setUint32(at + 10 + CODEC_ID_SIZE, e.keyInstance, true)
  at += 10 + CODEC_ID_SIZE + 4
  if (e.key !== undefined) {
    flags |= FLAG_KEYED
    view.setUint8(at, e.key.length)
    bytes.set(e.key, at + 1)
    at += 1 + e.key.length
  } else {
    view.setUint8(at, 0)
    at += 1
  }
  view.setUint16(at, receivers.length, true)
  at += 2
  for (const r of receivers) {
    checkInteger('receiver node', r.node, 0, U32)
    checkInteger('receiver ref', r.ref, 0, U32)
    view.setUint32(at, r.node, true)
    view.setUint32(at + 4, r.ref, true)
    view.setUint32(at + 8, prevDelta(e.seq, r.prev), true)
    at += 12
  }
  if (e.chunk !== undefined) {
    const { index, count, totalLength } = e.chunk
    checkInteger('chunk count', count, 2, U32)
    checkInteger('chunk index', index, 0, count - 1)
    checkInteger('chunk totalLength', totalLength, count, Math.min(U32, count * MAX_MESSAGE_SIZE))
    if (payloadLength > totalLength) throw new InvalidArgumentError(`a chunk of ${payloadLength} bytes in a message of ${totalLength}`)
    if (index === count - 1) flags |= FLAG_LAST_CHUNK
    view.setUint32(at, index, true)
    view.setUint32(at + 4, count, true)
    view.setUint32(at + 8, totalLength, true)
  }
  return flags
}

function writeAck(view: DataView, base: number, e: AckEnvelope): void {
  checkInteger('ack count', e.acks.length, 1, MAX_ACKS_PER_ENVELOPE)
  let at = base + COMMON_HEADER_SIZE
  view.setUint16(at, e.acks.length, true)
  at += 2
  for (const a of e.acks) {
    checkInteger('ack seq', a.seq, 1, MAX_SEQ)
    checkInteger('ack attempt', a.attempt, 1, MAX_ATTEMPT)
    writeSafeInteger(view, at, a.seq)
    view.setUint16(at + 8, a.attempt, true)
    view.setUint8(at + 10, code(ACK_OP_CODE, a.op, 'ack op'))
    at += 11
  }
}

function writeNack(view: DataView, bytes: Uint8Array, base: number, e: NackEnvelope, reason: Uint8Array): void {
  checkInteger('nack seq', e.seq, 1, MAX_SEQ)
  checkInteger('nack attempt', e.attempt, 1, MAX_ATTEMPT)
  checkInteger('nack delayMs', e.delayMs, 0, U32)
  checkInteger('nack reason bytes', reason.length, 0, MAX_REASON_BYTES)
  const at = base + COMMON_HEADER_SIZE
  writeSafeInteger(view, at, e.seq)
  view.setUint16(at + 8, e.attempt, true)
  view.setUint8(at + 10, code(NACK_OP_CODE, e.op, 'nack op'))
  view.setUint32(at + 11, e.delayMs, true)
  view.setUint16(at + 15, reason.length, true)
  bytes.set(reason, at + 17)
}

function writeControl(view: DataView, bytes: Uint8Array, base: number, e: ControlEnvelope): void {
  const at = base + COMMON_HEADER_SIZE
  view.setUint8(at, code(CONTROL_OP_CODE, e.op, 'control op'))
  switch (e.op) {
    case 'gap':
      checkInteger('gap seq', e.seq, 1, MAX_SEQ)
      writeSafeInteger(view, at + 1, e.seq)
      view.setUint32(at + 9, prevDelta(e.seq, e.prev), true)
      view.setUint8(at + 13, code(GAP_REASON_CODE, e.reason, 'gap reason'))
      break
    case 'schema-request':
      checkCodecId(e.codecId)
      bytes.set(e.codecId, at + 1)
      break
    case 'schema-response':
      checkCodecId(e.codecId)
      bytes.set(e.codecId, at + 1)
      view.setUint8(at + 1 + CODEC_ID_SIZE, e.found ? 1 : 0)
      break
    case 'probe':
      break
  }
}

/** prevDelta = seq - prev, with 0 for "no previous message" (prev 0). */
function prevDelta(seq: number, prev: number): number {
  if (prev === 0) return 0
  checkInteger('prev', prev, Math.max(1, seq - MAX_PREV_DELTA), seq - 1)
  return seq - prev
}

function checkCommon(e: EnvelopeCommon): void {
  checkU64('topicHash', e.topicHash)
  checkU64('stream', e.stream)
  checkInteger('timestamp', e.timestamp, 0, MAX_TIMESTAMP)
}

function checkCodecId(id: Uint8Array): void {
  if (!(id instanceof Uint8Array) || id.length !== CODEC_ID_SIZE) throw new InvalidArgumentError(`a codec id is ${CODEC_ID_SIZE} bytes`)
}

function checkU64(name: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n || value > U64) throw new InvalidArgumentError(`${name} must be a u64 bigint, got ${String(value)}`)
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}], got ${value}`)
  }
}

function code<K extends string>(codes: Readonly<Record<K, number>>, name: K, what: string): number {
  const value = codes[name] as number | undefined
  if (value === undefined || !Object.hasOwn(codes, name)) throw new InvalidArgumentError(`unknown ${what} '${name}'`)
  return value
}

/** A safe integer as u64 little-endian (two u32 halves: no bigint per field). */
function writeSafeInteger(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 0x1_0000_0000, true)
  view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true)
}

