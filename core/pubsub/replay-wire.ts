// The replay protocol's frames (version 1), one per SEQPACKET message: the
// subscriber's request, the publisher's start (where the replay ends and
// what it can no longer send), then one record per retained message (a
// payload too big for one SEQPACKET message continues in 'more' frames),
// then a clean end of the connection. Layout in docs/protocol.md ("Replay");
// all integers little-endian. The decoder never throws: it answers a frame
// or a stable reason, and the fuzz test (test/pubsub/replay-wire-fuzz)
// holds it to that.
import { CODEC_ID_SIZE, MAX_SEQ, MAX_TIMESTAMP } from './envelope-types.js'
import type { ResolvedFrom } from './replay-options.js'

export const REPLAY_VERSION = 1
export const REQUEST_SIZE = 40
export const START_SIZE = 48
export const RECORD_HEADER_SIZE = 40
export const MORE_HEADER_SIZE = 4
const KIND = { request: 1, start: 2, record: 3, more: 4 } as const
const FROM_KIND = { earliest: 1, seq: 2, time: 3 } as const
const FLAG_KEYED = 0x1
const FLAG_MORE = 0x2
/** The largest message a record may announce (the topic layer's own bound on a value is 2^31). */
export const MAX_RECORD_PAYLOAD = 2 ** 31

export interface ReplayRequest {
  kind: 'request'
  topicHash: bigint
  stream: bigint
  from: ResolvedFrom
  /** The subscriber's key range: keyed messages outside it are not sent. */
  lower: number
  upper: number
}

export interface ReplayStart {
  kind: 'start'
  /** The publisher's socket (its bus socket: the one its live copies come from). */
  publisher: { node: number; ref: number }
  stream: bigint
  /** The stream's last seq when the request was served: the replay ends there. */
  through: number
  /** Seqs asked for that are no longer retained. */
  missing: { from: number; to: number } | undefined
}

export interface ReplayRecord {
  kind: 'record'
  seq: number
  lastSeq: number
  timestamp: number
  codecId: Uint8Array
  key: Uint8Array | undefined
  /** The whole payload's length; `part` is its first bytes when `more` frames follow. */
  payloadLength: number
  part: Uint8Array
  more: boolean
}

export interface ReplayMore { kind: 'more'; part: Uint8Array; more: boolean }

export type ReplayFrame = ReplayRequest | ReplayStart | ReplayRecord | ReplayMore

export type ReplayDropReason = 'TRUNCATED' | 'BAD_VERSION' | 'BAD_KIND' | 'BAD_FLAGS' | 'BAD_RESERVED' | 'BAD_LENGTH' | 'BAD_FIELD'
export const REPLAY_DROP_REASONS: readonly ReplayDropReason[] = ['TRUNCATED', 'BAD_VERSION', 'BAD_KIND', 'BAD_FLAGS', 'BAD_RESERVED', 'BAD_LENGTH', 'BAD_FIELD']

export type ReplayDecodeResult = { ok: true; frame: ReplayFrame } | { ok: false; reason: ReplayDropReason }

export function encodeRequest(r: Omit<ReplayRequest, 'kind'>): Uint8Array {
  const bytes = new Uint8Array(REQUEST_SIZE)
  const v = view(bytes)
  header(bytes, KIND.request, FROM_KIND[r.from.kind])
  v.setUint32(4, r.lower, true)
  v.setUint32(8, r.upper, true)
  v.setBigUint64(16, r.topicHash, true)
  v.setBigUint64(24, r.stream, true)
  v.setBigUint64(32, BigInt(r.from.kind === 'seq' ? r.from.seq : r.from.kind === 'time' ? r.from.ms : 0), true)
  return bytes
}

export function encodeStart(s: Omit<ReplayStart, 'kind'>): Uint8Array {
  const bytes = new Uint8Array(START_SIZE)
  const v = view(bytes)
  header(bytes, KIND.start, 0)
  v.setUint32(4, s.publisher.node, true)
  v.setUint32(8, s.publisher.ref, true)
  v.setBigUint64(16, s.stream, true)
  v.setBigUint64(24, BigInt(s.through), true)
  v.setBigUint64(32, BigInt(s.missing?.from ?? 0), true)
  v.setBigUint64(40, BigInt(s.missing?.to ?? 0), true)
  return bytes
}

/** A record's frames: the first carries the header and as much payload as fits in maxFrame bytes. */
export function encodeRecord(r: { seq: number; lastSeq: number; timestamp: number; codecId: Uint8Array; key: Uint8Array | undefined; payload: Uint8Array }, maxFrame: number): Uint8Array[] {
  const keyLength = r.key?.length ?? 0
  const head = RECORD_HEADER_SIZE + keyLength
  const firstPart = Math.min(r.payload.length, maxFrame - head)
  const first = new Uint8Array(head + firstPart)
  const v = view(first)
  const more = firstPart < r.payload.length
  header(first, KIND.record, (r.key === undefined ? 0 : FLAG_KEYED) | (more ? FLAG_MORE : 0))
  first[3] = keyLength
  v.setUint32(4, r.payload.length, true)
  v.setBigUint64(8, BigInt(r.seq), true)
  v.setBigUint64(16, BigInt(r.lastSeq), true)
  v.setBigUint64(24, BigInt(r.timestamp), true)
  first.set(r.codecId, 32)
  if (r.key !== undefined) first.set(r.key, RECORD_HEADER_SIZE)
  first.set(r.payload.subarray(0, firstPart), head)
  const frames = [first]
  for (let at = firstPart; at < r.payload.length;) {
    const n = Math.min(r.payload.length - at, maxFrame - MORE_HEADER_SIZE)
    const frame = new Uint8Array(MORE_HEADER_SIZE + n)
    header(frame, KIND.more, at + n < r.payload.length ? FLAG_MORE : 0)
    frame.set(r.payload.subarray(at, at + n), MORE_HEADER_SIZE)
    frames.push(frame)
    at += n
  }
  return frames
}

export function decodeReplayFrame(bytes: Uint8Array): ReplayDecodeResult {
  if (bytes.length < 4) return fail('TRUNCATED')
  if (bytes[0] !== REPLAY_VERSION) return fail('BAD_VERSION')
  const v = view(bytes)
  switch (bytes[1]) {
    case KIND.request: return decodeRequest(bytes, v)
    case KIND.start: return decodeStart(bytes, v)
    case KIND.record: return decodeRecord(bytes, v)
    case KIND.more: {
      if ((bytes[2] as number) & ~FLAG_MORE) return fail('BAD_FLAGS')
      if (bytes[3] !== 0) return fail('BAD_RESERVED')
      return { ok: true, frame: { kind: 'more', part: bytes.subarray(MORE_HEADER_SIZE), more: bytes[2] === FLAG_MORE } }
    }
    default: return fail('BAD_KIND')
  }
}

function decodeRequest(bytes: Uint8Array, v: DataView): ReplayDecodeResult {
  if (bytes.length < REQUEST_SIZE) return fail('TRUNCATED')
  if (bytes.length > REQUEST_SIZE) return fail('BAD_LENGTH')
  if (bytes[3] !== 0 || v.getUint32(12, true) !== 0) return fail('BAD_RESERVED')
  const lower = v.getUint32(4, true)
  const upper = v.getUint32(8, true)
  const position = safe(v.getBigUint64(32, true), MAX_TIMESTAMP)
  if (lower > upper || position === undefined) return fail('BAD_FIELD')
  let from: ResolvedFrom
  if (bytes[2] === FROM_KIND.earliest && position === 0) from = { kind: 'earliest' }
  else if (bytes[2] === FROM_KIND.seq && position >= 1) from = { kind: 'seq', seq: position }
  else if (bytes[2] === FROM_KIND.time) from = { kind: 'time', ms: position }
  else return fail('BAD_FIELD')
  return { ok: true, frame: { kind: 'request', topicHash: v.getBigUint64(16, true), stream: v.getBigUint64(24, true), from, lower, upper } }
}

function decodeStart(bytes: Uint8Array, v: DataView): ReplayDecodeResult {
  if (bytes.length < START_SIZE) return fail('TRUNCATED')
  if (bytes.length > START_SIZE) return fail('BAD_LENGTH')
  if (bytes[2] !== 0 || bytes[3] !== 0 || v.getUint32(12, true) !== 0) return fail('BAD_RESERVED')
  const through = safe(v.getBigUint64(24, true), MAX_SEQ)
  const from = safe(v.getBigUint64(32, true), MAX_SEQ)
  const to = safe(v.getBigUint64(40, true), MAX_SEQ)
  if (through === undefined || from === undefined || to === undefined) return fail('BAD_FIELD')
  const none = from === 0 && to === 0
  if (!none && (from < 1 || from > to || to > through)) return fail('BAD_FIELD')
  return {
    ok: true,
    frame: {
      kind: 'start', publisher: { node: v.getUint32(4, true), ref: v.getUint32(8, true) }, stream: v.getBigUint64(16, true),
      through, missing: none ? undefined : { from, to },
    },
  }
}

function decodeRecord(bytes: Uint8Array, v: DataView): ReplayDecodeResult {
  if (bytes.length < RECORD_HEADER_SIZE) return fail('TRUNCATED')
  const flags = bytes[2] as number
  if (flags & ~(FLAG_KEYED | FLAG_MORE)) return fail('BAD_FLAGS')
  const keyLength = bytes[3] as number
  if ((flags & FLAG_KEYED) !== 0 ? keyLength === 0 : keyLength !== 0) return fail('BAD_FIELD')
  const head = RECORD_HEADER_SIZE + keyLength
  if (bytes.length < head) return fail('TRUNCATED')
  const payloadLength = v.getUint32(4, true)
  const seq = safe(v.getBigUint64(8, true), MAX_SEQ)
  const lastSeq = safe(v.getBigUint64(16, true), MAX_SEQ)
  const timestamp = safe(v.getBigUint64(24, true), MAX_TIMESTAMP)
  if (seq === undefined || lastSeq === undefined || timestamp === undefined || seq < 1 || lastSeq < seq || payloadLength > MAX_RECORD_PAYLOAD) return fail('BAD_FIELD')
  const part = bytes.subarray(head)
  const more = (flags & FLAG_MORE) !== 0
  // Without 'more' the part is the whole payload; with it, a strict prefix.
  if (more ? part.length >= payloadLength : part.length !== payloadLength) return fail('BAD_LENGTH')
  return {
    ok: true,
    frame: {
      kind: 'record', seq, lastSeq, timestamp, codecId: bytes.subarray(32, 32 + CODEC_ID_SIZE),
      key: keyLength === 0 ? undefined : bytes.subarray(RECORD_HEADER_SIZE, head), payloadLength, part, more,
    },
  }
}

function header(bytes: Uint8Array, kind: number, third: number): void {
  bytes[0] = REPLAY_VERSION
  bytes[1] = kind
  bytes[2] = third
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function safe(n: bigint, max: number): number | undefined {
  return n <= BigInt(max) ? Number(n) : undefined
}

function fail(reason: ReplayDropReason): ReplayDecodeResult {
  return { ok: false, reason }
}
