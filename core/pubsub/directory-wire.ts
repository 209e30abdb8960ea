// The cluster directory's messages (version 1), as docs/protocol.md ("The
// cluster directory") lays them out: a query, multicast to every bus's
// directory socket, and the answer, one or more numbered parts unicast back.
// A 16-byte binary header (the magic, the version, what it is, which query,
// which part) and, in an answer, a UTF-8 JSON body: the directory is read by
// people and tools a few times a minute at most, and JSON lets a later
// version add fields that an older reader simply ignores.
//
// Like the envelope decoder, decodeDirectoryMessage takes hostile bytes: it
// never throws, and says why it refused with a stable reason.
import { checkAnswerBody } from './directory-answer-check.js'
import type { DirectoryBus, DirectoryTopic } from './directory-types.js'

/** "TRXD": no topic-layer envelope starts with it (an envelope's first byte is its version, 1). */
const MAGIC = 0x54525844
export const DIRECTORY_VERSION = 1
export const DIRECTORY_HEADER_SIZE = 16
const QUERY_FIXED_SIZE = 12
const OP_QUERY = 1
const OP_ANSWER = 2
/** The longest topic filter of a query, in UTF-8 bytes (a topic name's limit). */
const MAX_FILTER_BYTES = 255
/** An answer has at most this many parts (the u16 count). */
export const MAX_ANSWER_PARTS = 0xffff

export interface DirectoryQuery {
  op: 'query'
  queryId: number
  /** Answer about this topic only. */
  topic?: string
}

export interface DirectoryAnswerPart {
  op: 'answer'
  queryId: number
  /** 0-based. */
  part: number
  parts: number
  bus: DirectoryBus
  topics: DirectoryTopic[]
}

export type DirectoryMessage = DirectoryQuery | DirectoryAnswerPart

/**
 * Why decodeDirectoryMessage refused bytes (stable strings):
 * TRUNCATED (shorter than its header says), BAD_MAGIC, BAD_VERSION, BAD_OP,
 * BAD_LENGTH (a query's filter length not what follows, or over 255),
 * BAD_FIELD (part >= parts, parts 0, the reserved field not 0), BAD_UTF8,
 * BAD_JSON (the body does not parse), BAD_SHAPE (it parses, but is not an
 * answer body: a field missing or of the wrong type).
 */
export type DirectoryDropReason =
  | 'TRUNCATED' | 'BAD_MAGIC' | 'BAD_VERSION' | 'BAD_OP' | 'BAD_LENGTH' | 'BAD_FIELD' | 'BAD_UTF8' | 'BAD_JSON' | 'BAD_SHAPE'

export const DIRECTORY_DROP_REASONS: readonly DirectoryDropReason[] = [
  'TRUNCATED', 'BAD_MAGIC', 'BAD_VERSION', 'BAD_OP', 'BAD_LENGTH', 'BAD_FIELD', 'BAD_UTF8', 'BAD_JSON', 'BAD_SHAPE',
]

export type DirectoryDecodeResult = { ok: true; message: DirectoryMessage } | { ok: false; reason: DirectoryDropReason }

const utf8 = new TextEncoder()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function header(length: number, op: number, word6: number, queryId: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(length)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, MAGIC, false)
  view.setUint8(4, DIRECTORY_VERSION)
  view.setUint8(5, op)
  view.setUint16(6, word6, true)
  view.setUint32(8, queryId, true)
  return { bytes, view }
}

/** A query; `topic` (a checked topic name) narrows the answers to that topic. */
export function encodeQuery(queryId: number, topic?: string): Uint8Array {
  const filter = topic === undefined ? new Uint8Array(0) : utf8.encode(topic)
  if (filter.length > MAX_FILTER_BYTES) throw new RangeError(`a directory query's topic is at most ${MAX_FILTER_BYTES} bytes`)
  const { bytes } = header(QUERY_FIXED_SIZE + filter.length, OP_QUERY, filter.length, queryId)
  bytes.set(filter, QUERY_FIXED_SIZE)
  return bytes
}

/**
 * A bus's answer, in as many parts as it takes to keep each message within
 * `maxMessageBytes`: topics are packed whole into parts, in order. A topic
 * whose entry alone is too large (thousands of subscriptions of one topic in
 * one bus) is sent with as many subscribers as fit and the rest counted in
 * subscribersOmitted, never dropped without a word.
 */
export function encodeAnswer(queryId: number, bus: DirectoryBus, topics: DirectoryTopic[], maxMessageBytes: number): Uint8Array[] {
  const budget = maxMessageBytes - DIRECTORY_HEADER_SIZE
  const head = `{"bus":${JSON.stringify(bus)},"topics":[`
  const room = budget - byteLength(head) - 2 // "]}"
  const bodies: string[][] = [[]]
  let used = 0
  for (const topic of topics) {
    const entry = fitEntry(topic, room)
    const size = byteLength(entry) + 1 // its comma
    if (used + size > room && bodies[bodies.length - 1]!.length > 0) {
      bodies.push([])
      used = 0
    }
    bodies[bodies.length - 1]!.push(entry)
    used += size
  }
  if (bodies.length > MAX_ANSWER_PARTS) throw new RangeError(`a directory answer of ${bodies.length} parts (at most ${MAX_ANSWER_PARTS})`)
  return bodies.map((entries, part) => {
    const body = utf8.encode(`${head}${entries.join(',')}]}`)
    const { bytes, view } = header(DIRECTORY_HEADER_SIZE + body.length, OP_ANSWER, 0, queryId)
    view.setUint16(12, part, true)
    view.setUint16(14, bodies.length, true)
    bytes.set(body, DIRECTORY_HEADER_SIZE)
    return bytes
  })
}

// The entry's JSON, cut to `room` bytes by leaving out subscribers from the end.
function fitEntry(topic: DirectoryTopic, room: number): string {
  let entry = JSON.stringify(topic)
  if (byteLength(entry) <= room) return entry
  const subscribers = topic.subscribers.slice()
  let omitted = topic.subscribersOmitted
  // Halve what is left out of the fit until it fits: a handful of stringify
  // calls even for a topic with tens of thousands of subscriptions.
  let keep = subscribers.length
  while (keep > 0) {
    keep = Math.floor(keep / 2)
    entry = JSON.stringify({ ...topic, subscribers: subscribers.slice(0, keep), subscribersOmitted: omitted + subscribers.length - keep })
    if (byteLength(entry) <= room) return entry
  }
  omitted += subscribers.length
  return JSON.stringify({ ...topic, subscribers: [], subscribersOmitted: omitted })
}

function byteLength(s: string): number {
  // ASCII is the common case: its length is its UTF-8 length.
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(s) ? s.length : utf8.encode(s).length
}

/** The query or answer part in `bytes`, or why the bytes are not one. Never throws. */
export function decodeDirectoryMessage(bytes: Uint8Array): DirectoryDecodeResult {
  if (bytes.length < QUERY_FIXED_SIZE) return { ok: false, reason: 'TRUNCATED' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, false) !== MAGIC) return { ok: false, reason: 'BAD_MAGIC' }
  if (view.getUint8(4) !== DIRECTORY_VERSION) return { ok: false, reason: 'BAD_VERSION' }
  const op = view.getUint8(5)
  const word6 = view.getUint16(6, true)
  const queryId = view.getUint32(8, true)
  if (op === OP_QUERY) {
    if (word6 > MAX_FILTER_BYTES || QUERY_FIXED_SIZE + word6 !== bytes.length) return { ok: false, reason: 'BAD_LENGTH' }
    if (word6 === 0) return { ok: true, message: { op: 'query', queryId } }
    const topic = utf8OrUndefined(bytes.subarray(QUERY_FIXED_SIZE))
    if (topic === undefined) return { ok: false, reason: 'BAD_UTF8' }
    return { ok: true, message: { op: 'query', queryId, topic } }
  }
  if (op !== OP_ANSWER) return { ok: false, reason: 'BAD_OP' }
  if (bytes.length < DIRECTORY_HEADER_SIZE) return { ok: false, reason: 'TRUNCATED' }
  const part = view.getUint16(12, true)
  const parts = view.getUint16(14, true)
  if (word6 !== 0 || parts === 0 || part >= parts) return { ok: false, reason: 'BAD_FIELD' }
  const text = utf8OrUndefined(bytes.subarray(DIRECTORY_HEADER_SIZE))
  if (text === undefined) return { ok: false, reason: 'BAD_UTF8' }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'BAD_JSON' }
  }
  const body = checkAnswerBody(json)
  if (body === undefined) return { ok: false, reason: 'BAD_SHAPE' }
  return { ok: true, message: { op: 'answer', queryId, part, parts, bus: body.bus, topics: body.topics } }
}

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}
