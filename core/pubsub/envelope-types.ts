// The envelope every message of the topic layer starts with (version 1):
// its shapes, and the numbers of its wire format. The byte layout is in
// docs/protocol.md; envelope-encode.ts writes it, envelope-decode.ts checks
// and reads it, envelope-size.ts says how long each kind's header is.

/** The envelope format this code writes and the only one it reads. */
export const ENVELOPE_VERSION = 1
/** Every envelope fits in the first 1024 bytes, so a returned copy (TIPC_RETDATA keeps 1024 bytes) still holds it whole. */
export const MAX_ENVELOPE_SIZE = 1024
/** version, kind, flags, headerLength, reserved, topicHash, stream, timestamp. */
export const COMMON_HEADER_SIZE = 32
/** Beyond this many receivers a publisher sends several unicast copies instead of one multicast. */
export const MAX_RECEIVERS_PER_COPY = 48
/** The longest nak/term reason, in UTF-8 bytes (truncateReason cuts a longer one). */
export const MAX_REASON_BYTES = 512
/** The length of a codec id (Codec.id). */
export const CODEC_ID_SIZE = 8
/** seq and timestamp are JavaScript-safe integers. */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER
export const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER
/** attempt is a u16 starting at 1. */
export const MAX_ATTEMPT = 0xffff
/** prevDelta is a u32: a receiver's previous message is at most this many seqs back. */
export const MAX_PREV_DELTA = 0xffffffff
/** The most acks one ack envelope carries (11 bytes each after a 2-byte count, within MAX_ENVELOPE_SIZE). */
export const MAX_ACKS_PER_ENVELOPE = Math.floor((MAX_ENVELOPE_SIZE - COMMON_HEADER_SIZE - 2) / 11)

/** The kind byte (offset 1). */
export const KIND_CODE = { data: 1, ack: 2, nack: 3, control: 4, chunk: 5 } as const
/** The flag bits (offset 2, u16). Any other bit set is a malformed envelope. */
export const FLAG_ACK_REQUESTED = 0x1
export const FLAG_KEYED = 0x2
export const FLAG_LAST_CHUNK = 0x4
/** The op bytes of ack entries, naks and control messages, and the gap reasons. */
export const ACK_OP_CODE = { ack: 1, working: 2 } as const
export const NACK_OP_CODE = { nak: 1, term: 2 } as const
export const CONTROL_OP_CODE = { gap: 1, 'schema-request': 2, 'schema-response': 3, probe: 4 } as const
export const GAP_REASON_CODE = { timeout: 1, left: 2, returned: 3, terminated: 4 } as const

export type EnvelopeKind = 'data' | 'ack' | 'nack' | 'control' | 'chunk'

export interface EnvelopeCommon {
  /** topicHash64 of the topic. */
  topicHash: bigint
  /** The publisher stream id (for ack, nack and control: the stream they concern). u64. */
  stream: bigint
  /** When the message was made, in ms since the Unix epoch. */
  timestamp: number
}

/** A subscriber socket expected to ack a copy, with the seq of the previous message of this stream sent to it (0: none). */
export interface Receiver { node: number; ref: number; prev: number }

/** Where a chunk sits in the message it is part of. */
export interface ChunkInfo { index: number; count: number; totalLength: number }

export interface DataEnvelope extends EnvelopeCommon {
  kind: 'data' | 'chunk'
  ackRequested: boolean
  seq: number
  attempt: number
  /** The writer's Codec.id, 8 bytes. Decoded: a view into the received bytes. */
  codecId: Uint8Array
  /** Present iff the message is keyed, 1..255 bytes. Decoded: a view into the received bytes. */
  key?: Uint8Array
  /** keyInstance(key), 0 when unkeyed (decoding checks it matches the key). */
  keyInstance: number
  receivers: Receiver[]
  /** Present iff kind is 'chunk'. */
  chunk?: ChunkInfo
}

export interface AckEntry { seq: number; attempt: number; op: 'ack' | 'working' }
export interface AckEnvelope extends EnvelopeCommon { kind: 'ack'; acks: AckEntry[] }

export interface NackEnvelope extends EnvelopeCommon {
  kind: 'nack'
  seq: number
  attempt: number
  op: 'nak' | 'term'
  /** For a nak: how long the publisher waits before resending. u32 ms. */
  delayMs: number
  reason: string
}

/** Why a publisher declares a message will never come (control gap). */
export type GapReason = 'timeout' | 'left' | 'returned' | 'terminated'

export type ControlEnvelope = EnvelopeCommon & { kind: 'control' } & (
  | { op: 'gap'; seq: number; prev: number; reason: GapReason }
  | { op: 'schema-request'; codecId: Uint8Array }
  | { op: 'schema-response'; codecId: Uint8Array; found: boolean }
  /**
   * Receivers ignore it. Sent to a topic's range (stream 0) when a publisher
   * knows no subscriber yet: does the network know one? And by unicast, on
   * the publisher's stream, to a subscriber socket that left: it comes back
   * behind that socket's last acks (departure-barrier.ts).
   */
  | { op: 'probe' })

export type Envelope = DataEnvelope | AckEnvelope | NackEnvelope | ControlEnvelope

/** Whether payload bytes may follow the envelope: data and chunk, and a schema-response that found its schema. */
export function envelopeCarriesPayload(e: Envelope): boolean {
  return e.kind === 'data' || e.kind === 'chunk' || (e.kind === 'control' && e.op === 'schema-response' && e.found)
}

/**
 * Why decodeEnvelope refused bytes; stable strings (counted and logged by receivers):
 * - TRUNCATED: fewer bytes than the common header, or than headerLength says
 * - BAD_VERSION: a version other than ENVELOPE_VERSION
 * - BAD_KIND: an unknown kind byte
 * - BAD_FLAGS: a flag bit not allowed for the kind
 * - BAD_RESERVED: the reserved u16 is not 0
 * - BAD_LENGTH: headerLength over MAX_ENVELOPE_SIZE, or not the length the kind's fields make
 * - BAD_FIELD: a number out of its range (seq, attempt, timestamp, prevDelta, counts, found)
 * - BAD_OP: an unknown op code (ack entry, nack, control) or gap reason
 * - BAD_KEY: KEYED without a 1..255-byte key, a key without KEYED, or keyInstance not the key's
 * - BAD_CHUNK: chunk fields that contradict each other (index >= count, count < 2, LAST_CHUNK
 *   not on the last index, totalLength not between count and count x the payload limit, a chunk
 *   payload longer than totalLength)
 * - BAD_UTF8: a nack reason that is not valid UTF-8
 * - UNEXPECTED_PAYLOAD: payload bytes after a kind that carries none (ack, nack, gap,
 *   schema-request, a schema-response that was not found)
 */
export type EnvelopeDropReason =
  | 'TRUNCATED' | 'BAD_VERSION' | 'BAD_KIND' | 'BAD_FLAGS' | 'BAD_RESERVED' | 'BAD_LENGTH'
  | 'BAD_FIELD' | 'BAD_OP' | 'BAD_KEY' | 'BAD_CHUNK' | 'BAD_UTF8' | 'UNEXPECTED_PAYLOAD'

/** Every EnvelopeDropReason, for counters and tests. */
export const ENVELOPE_DROP_REASONS: readonly EnvelopeDropReason[] = [
  'TRUNCATED', 'BAD_VERSION', 'BAD_KIND', 'BAD_FLAGS', 'BAD_RESERVED', 'BAD_LENGTH',
  'BAD_FIELD', 'BAD_OP', 'BAD_KEY', 'BAD_CHUNK', 'BAD_UTF8', 'UNEXPECTED_PAYLOAD',
]

export type DecodeResult =
  | { ok: true; envelope: Envelope; payload: Uint8Array }
  | { ok: false; reason: EnvelopeDropReason }

export interface DecodeOptions {
  /**
   * The bytes are a returned copy, cut after the first 1024 bytes
   * (TIPC_RETDATA): the envelope is whole, the payload may be cut short or
   * absent. `payload` is then whatever part came back, and the checks that
   * need the whole payload (a chunk's length against totalLength,
   * UNEXPECTED_PAYLOAD) are skipped.
   */
  truncatedPayload?: boolean
}
