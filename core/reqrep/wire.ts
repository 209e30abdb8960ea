// The request/reply wire format (version 1): one header at the start of
// every request and reply, all of it inside the first 1024 bytes so that a
// returned request (TIPC keeps 1024 bytes) still names its requester and id.
// The layout is in docs/request-reply.md ("Wire format"). encodeMessage
// writes it from our own fields (a field out of range is a bug: it throws);
// decodeMessage reads bytes from the wire (never throws: a bad message is a
// reason, counted by whoever received it).
import { InvalidArgumentError } from '../../errors/index.js'

/** The first two bytes of every request/reply message ('R', 'q'): pub/sub envelopes start with their version (1). */
export const MAGIC = 0x5271
export const WIRE_VERSION = 1
/** magic, version, kind, flags, headerLength, topicHash, token, id, attempt/part, codecId, settledBelow. */
export const FIXED_HEADER_SIZE = 52
export const CODEC_ID_SIZE = 8
export const MAX_KEY_BYTES = 255
export const KIND_CODE = { request: 1, reply: 2, error: 3 } as const
/** A request that carries its key (u8 length, then the bytes) after the fixed header. */
export const FLAG_KEYED = 0x1
/** A request of requestMany: every value of the handler is a reply. */
export const FLAG_MANY = 0x2
/** A reply that ends a server's answer under the 'sentinel' strategy (no payload). */
export const FLAG_SENTINEL = 0x4
const FLAGS_OF = { request: FLAG_KEYED | FLAG_MANY, reply: FLAG_SENTINEL, error: 0 } as const

export type MessageKind = keyof typeof KIND_CODE

export interface WireMessage {
  kind: MessageKind
  flags: number
  /** topicHash64 of the topic: a server or requester drops a message of another topic (a type collision). */
  topicHash: bigint
  /** The requester's random 64-bit token: with its socket address, names the requester. */
  token: bigint
  /** The request id, 1..2^53-1, counted up per requester. */
  id: number
  /** A request: which send this is (1 first). A reply: its index among the server's replies to the request (0 first). */
  sequence: number
  /** The codec id (8 bytes) of the payload. */
  codecId: Uint8Array
  /**
   * A request: every id below this one is settled at the requester (answered,
   * failed or given up), so a copy of one of them is a replay. 0 in a reply.
   */
  settledBelow: number
  /** A keyed request's key bytes (1..255). */
  key?: Uint8Array
}

export const DROP_REASONS = ['short', 'magic', 'version', 'kind', 'flags', 'header-length', 'id', 'key'] as const
export type DropReason = typeof DROP_REASONS[number]

export type Decoded = { ok: true; message: WireMessage; payload: Uint8Array } | { ok: false; reason: DropReason }

const U64 = 2n ** 64n - 1n
const U32 = 0xffffffff

/** The header's length for `m`. */
export function headerSize(m: Pick<WireMessage, 'key'>): number {
  return FIXED_HEADER_SIZE + (m.key === undefined ? 0 : 1 + m.key.length)
}

/** The bytes of `m` followed by `payload` (copied). */
export function encodeMessage(m: WireMessage, payload: Uint8Array): Uint8Array {
  check(m)
  const header = headerSize(m)
  const bytes = new Uint8Array(header + payload.length)
  const view = new DataView(bytes.buffer)
  view.setUint16(0, MAGIC)
  view.setUint8(2, WIRE_VERSION)
  view.setUint8(3, KIND_CODE[m.kind])
  view.setUint16(4, m.flags)
  view.setUint16(6, header)
  view.setBigUint64(8, m.topicHash)
  view.setBigUint64(16, m.token)
  view.setBigUint64(24, BigInt(m.id))
  view.setUint32(32, m.sequence)
  bytes.set(m.codecId, 36)
  view.setBigUint64(44, BigInt(m.settledBelow))
  if (m.key !== undefined) {
    view.setUint8(FIXED_HEADER_SIZE, m.key.length)
    bytes.set(m.key, FIXED_HEADER_SIZE + 1)
  }
  bytes.set(payload, header)
  return bytes
}

/** Read a message from the wire (or a returned message's first 1024 bytes, whose payload may be cut). */
export function decodeMessage(bytes: Uint8Array): Decoded {
  if (bytes.length < FIXED_HEADER_SIZE) return { ok: false, reason: 'short' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint16(0) !== MAGIC) return { ok: false, reason: 'magic' }
  if (view.getUint8(2) !== WIRE_VERSION) return { ok: false, reason: 'version' }
  const kind = kindOf(view.getUint8(3))
  if (kind === undefined) return { ok: false, reason: 'kind' }
  const flags = view.getUint16(4)
  if ((flags & ~FLAGS_OF[kind]) !== 0) return { ok: false, reason: 'flags' }
  const header = view.getUint16(6)
  const keyed = (flags & FLAG_KEYED) !== 0
  if (header > bytes.length || (!keyed && header !== FIXED_HEADER_SIZE)) return { ok: false, reason: 'header-length' }
  const id = view.getBigUint64(24)
  const settledBelow = view.getBigUint64(44)
  if (id === 0n || id > BigInt(Number.MAX_SAFE_INTEGER) || settledBelow > id || (kind !== 'request' && settledBelow !== 0n)) {
    return { ok: false, reason: 'id' }
  }
  const message: WireMessage = {
    kind, flags,
    topicHash: view.getBigUint64(8),
    token: view.getBigUint64(16),
    id: Number(id),
    sequence: view.getUint32(32),
    codecId: bytes.slice(36, 44),
    settledBelow: Number(settledBelow),
  }
  if (keyed) {
    if (header < FIXED_HEADER_SIZE + 2) return { ok: false, reason: 'header-length' }
    const length = view.getUint8(FIXED_HEADER_SIZE)
    if (length === 0 || header !== FIXED_HEADER_SIZE + 1 + length) return { ok: false, reason: 'key' }
    message.key = bytes.slice(FIXED_HEADER_SIZE + 1, header)
  }
  return { ok: true, message, payload: bytes.subarray(header) }
}

function kindOf(code: number): MessageKind | undefined {
  return code === 1 ? 'request' : code === 2 ? 'reply' : code === 3 ? 'error' : undefined
}

function check(m: WireMessage): void {
  const refuse = (why: string) => new InvalidArgumentError(`request/reply message: ${why}`)
  if ((m.flags & ~FLAGS_OF[m.kind]) !== 0) throw refuse(`flags ${m.flags} not allowed on a ${m.kind}`)
  if (((m.flags & FLAG_KEYED) !== 0) !== (m.key !== undefined)) throw refuse('the keyed flag and the key disagree')
  if (m.topicHash < 0n || m.topicHash > U64 || m.token < 0n || m.token > U64) throw refuse('topic hash or token out of u64')
  if (!Number.isSafeInteger(m.id) || m.id < 1) throw refuse(`id ${m.id} out of [1, 2^53)`)
  if (!Number.isSafeInteger(m.settledBelow) || m.settledBelow < 0 || m.settledBelow > m.id || (m.kind !== 'request' && m.settledBelow !== 0)) {
    throw refuse(`settledBelow ${m.settledBelow} with id ${m.id} on a ${m.kind}`)
  }
  if (!Number.isInteger(m.sequence) || m.sequence < 0 || m.sequence > U32) throw refuse(`sequence ${m.sequence} out of u32`)
  if (m.codecId.length !== CODEC_ID_SIZE) throw refuse(`codec id of ${m.codecId.length} bytes, not ${CODEC_ID_SIZE}`)
  if (m.key !== undefined && (m.key.length === 0 || m.key.length > MAX_KEY_BYTES)) throw refuse(`key of ${m.key.length} bytes`)
}

/** An error reply's payload: the failure's code and message, as UTF-8 JSON. */
export interface RemoteFailure { code: string; message: string }

const utf8 = new TextEncoder()
const MAX_FAILURE_TEXT = 4096

export function encodeFailure(f: RemoteFailure): Uint8Array {
  return utf8.encode(JSON.stringify({ code: f.code.slice(0, 128), message: f.message.slice(0, MAX_FAILURE_TEXT) }))
}

/** An error reply's failure, or undefined when the payload is not one (a malformed reply). */
export function decodeFailure(payload: Uint8Array): RemoteFailure | undefined {
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload))
    if (v === null || typeof v !== 'object') return undefined
    const { code, message } = v as Record<string, unknown>
    return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined
  } catch {
    return undefined
  }
}
