// Every kind and op of the envelope survives encode -> decode unchanged, at
// the edges of every field; the layout is pinned byte by byte for one data
// envelope (docs/protocol.md shows the same offsets).
import t from 'tap'
import { decodeEnvelope, peekStreamAndSeq } from '../../core/pubsub/envelope-decode.js'
import { encodeEnvelope, truncateReason } from '../../core/pubsub/envelope-encode.js'
import { envelopeSize } from '../../core/pubsub/envelope-size.js'
import { MAX_ENVELOPE_SIZE, type DataEnvelope, type Envelope } from '../../core/pubsub/envelope-types.js'
import { CODEC_ID, dataEnvelope, keyed, samples, TOPIC_HASH } from './envelope-samples.js'

/** The envelope as plain data (views become arrays) for deep comparison. */
const plain = (e: Envelope) => JSON.parse(JSON.stringify(e, (_k, v: unknown) =>
  typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v)) as unknown

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

t.test('every sample round-trips, with the header length envelopeSize says', async (t) => {
  for (const [label, envelope, payload] of samples()) {
    const bytes = encodeEnvelope(envelope, payload)
    const size = envelopeSize(envelope)
    t.equal(bytes.length, size + payload.length, `${label}: length`)
    t.ok(size <= MAX_ENVELOPE_SIZE, `${label}: header ${size} <= 1024`)
    const decoded = decodeEnvelope(bytes)
    if (!decoded.ok) {
      t.fail(`${label}: refused ${decoded.reason}`)
      continue
    }
    t.same(plain(decoded.envelope), plain(envelope), `${label}: fields`)
    t.same([...decoded.payload], [...payload], `${label}: payload`)
    t.equal(decoded.payload.buffer, bytes.buffer, `${label}: the payload is a view, not a copy`)
  }
})

t.test('the data layout, byte by byte', async (t) => {
  const key = Uint8Array.from([0x6b])
  const e = keyed(key, { seq: 0x1_0000_0002, attempt: 3, receivers: [{ node: 0x01001001, ref: 77, prev: 0x1_0000_0000 }] })
  const bytes = encodeEnvelope({ ...e, timestamp: 0x0102_0304_0506, stream: 0x1122334455667788n }, Uint8Array.from([0xee]))
  // The envelope's own bytes may be a slice of a larger buffer (envelope-slab.ts): view them at their offset.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  t.equal(bytes[0], 1, 'version')
  t.equal(bytes[1], 1, 'kind data')
  t.equal(view.getUint16(2, true), 0b011, 'flags ACK_REQUESTED | KEYED')
  t.equal(view.getUint16(4, true), 32 + 8 + 2 + 8 + 4 + 1 + 1 + 2 + 12, 'headerLength')
  t.equal(view.getUint16(6, true), 0, 'reserved')
  t.equal(view.getBigUint64(8, true), TOPIC_HASH, 'topicHash')
  t.equal(view.getBigUint64(16, true), 0x1122334455667788n, 'stream')
  t.equal(view.getBigUint64(24, true), 0x0102_0304_0506n, 'timestamp')
  t.equal(view.getBigUint64(32, true), 0x1_0000_0002n, 'seq')
  t.equal(view.getUint16(40, true), 3, 'attempt')
  t.same([...bytes.subarray(42, 50)], [...CODEC_ID], 'codecId')
  t.equal(view.getUint32(50, true), e.keyInstance, 'keyInstance')
  t.equal(bytes[54], 1, 'keyLength')
  t.equal(bytes[55], 0x6b, 'key')
  t.equal(view.getUint16(56, true), 1, 'receiverCount')
  t.equal(view.getUint32(58, true), 0x01001001, 'receiver node')
  t.equal(view.getUint32(62, true), 77, 'receiver ref')
  t.equal(view.getUint32(66, true), 2, 'receiver prevDelta = seq - prev')
  t.equal(bytes[70], 0xee, 'payload')
  t.equal(bytes.length, 71)
})

t.test('flags: LAST_CHUNK only on the last chunk, ACK_REQUESTED as asked', async (t) => {
  const chunk = (index: number) => encodeEnvelope(dataEnvelope({ kind: 'chunk', ackRequested: false, chunk: { index, count: 2, totalLength: 10 } }))
  t.equal(viewOf(chunk(0)).getUint16(2, true), 0)
  t.equal(viewOf(chunk(1)).getUint16(2, true), 0b100)
})

t.test('a returned copy cut to 1024 bytes still gives its stream and seq', async (t) => {
  const e = keyed(new Uint8Array(255).fill(3), { kind: 'chunk', seq: 42, attempt: 5, chunk: { index: 0, count: 2, totalLength: 100_000 },
    receivers: Array.from({ length: 48 }, (_, i) => ({ node: i, ref: i, prev: 0 })) })
  const whole = encodeEnvelope(e, new Uint8Array(60_000).fill(9))
  const returned = whole.subarray(0, 1024)
  t.same(peekStreamAndSeq(returned), { topicHash: TOPIC_HASH, stream: e.stream, seq: 42, attempt: 5, kind: 'chunk' })
  const decoded = decodeEnvelope(returned, { truncatedPayload: true })
  t.ok(decoded.ok && decoded.payload.length === 1024 - envelopeSize(e), 'the payload is the part that came back')
  const headerOnly = whole.subarray(0, envelopeSize(e))
  t.same(peekStreamAndSeq(headerOnly)?.seq, 42, 'a copy cut right after the header')
  t.equal(decodeEnvelope(headerOnly, { truncatedPayload: true }).ok, true)
  t.equal(peekStreamAndSeq(whole.subarray(0, envelopeSize(e) - 1)), undefined, 'a cut envelope is not peeked')
  t.equal(peekStreamAndSeq(encodeEnvelope({ ...e, kind: 'ack', acks: [{ seq: 1, attempt: 1, op: 'ack' }] })), undefined, 'not data')
  t.same(peekStreamAndSeq(encodeEnvelope(dataEnvelope({ seq: 3 })))?.kind, 'data')
})

t.test('truncateReason keeps at most 512 UTF-8 bytes, whole characters', async (t) => {
  t.equal(truncateReason('short'), 'short')
  t.equal(truncateReason('a'.repeat(600)), 'a'.repeat(512))
  t.equal(truncateReason('a' + 'é'.repeat(300)), 'a' + 'é'.repeat(255), '511 bytes: the next é would split')
  t.equal(truncateReason('😀'.repeat(200)), '😀'.repeat(128), 'exactly 512 bytes')
  t.equal(truncateReason('ab' + '😀'.repeat(200)), 'ab' + '😀'.repeat(127))
  const reason = truncateReason('x' + '注'.repeat(400))
  const e: Envelope = { topicHash: 1n, stream: 2n, timestamp: 3, kind: 'nack', seq: 1, attempt: 1, op: 'term', delayMs: 0, reason }
  const decoded = decodeEnvelope(encodeEnvelope(e))
  t.ok(decoded.ok && decoded.envelope.kind === 'nack' && decoded.envelope.reason === reason)
})

t.test('the encoder refuses fields out of range with InvalidArgumentError', async (t) => {
  const base = dataEnvelope()
  const bad: Array<[string, Envelope, Uint8Array?]> = [
    ['seq 0', { ...base, seq: 0 }],
    ['seq 2^53', { ...base, seq: 2 ** 53 }],
    ['seq 1.5', { ...base, seq: 1.5 }],
    ['attempt 0', { ...base, attempt: 0 }],
    ['attempt 65536', { ...base, attempt: 65536 }],
    ['timestamp -1', { ...base, timestamp: -1 }],
    ['timestamp 2^53', { ...base, timestamp: 2 ** 53 }],
    ['stream 2^64', { ...base, stream: 2n ** 64n }],
    ['topicHash -1', { ...base, topicHash: -1n }],
    ['codecId 7 bytes', { ...base, codecId: new Uint8Array(7) }],
    ['empty key', { ...base, key: new Uint8Array(0), keyInstance: 0x811c9dc5 }],
    ['256-byte key', keyed(new Uint8Array(256))],
    ['keyInstance not the key', { ...keyed(Uint8Array.from([1])), keyInstance: 5 }],
    ['keyInstance without key', { ...base, keyInstance: 5 }],
    ['49 receivers', { ...base, receivers: Array.from({ length: 49 }, () => ({ node: 1, ref: 1, prev: 0 })) }],
    ['receiver node -1', { ...base, receivers: [{ node: -1, ref: 1, prev: 0 }] }],
    ['receiver ref 2^32', { ...base, receivers: [{ node: 1, ref: 2 ** 32, prev: 0 }] }],
    ['prev = seq', { ...base, receivers: [{ node: 1, ref: 1, prev: 7 }] }],
    ['prev > seq', { ...base, receivers: [{ node: 1, ref: 1, prev: 8 }] }],
    ['prev too far back', { ...base, seq: 2 ** 33, receivers: [{ node: 1, ref: 1, prev: 1 }] }],
    ['chunk kind without info', { ...base, kind: 'chunk' }],
    ['chunk info on data', { ...base, chunk: { index: 0, count: 2, totalLength: 2 } }],
    ['chunk count 1', { ...base, kind: 'chunk', chunk: { index: 0, count: 1, totalLength: 1 } }],
    ['chunk index = count', { ...base, kind: 'chunk', chunk: { index: 2, count: 2, totalLength: 2 } }],
    ['chunk totalLength < count', { ...base, kind: 'chunk', chunk: { index: 0, count: 3, totalLength: 2 } }],
    ['chunk totalLength > count x 66000', { ...base, kind: 'chunk', chunk: { index: 0, count: 2, totalLength: 132_001 } }],
    ['chunk payload > totalLength', { ...base, kind: 'chunk', chunk: { index: 0, count: 2, totalLength: 2 } }, new Uint8Array(3)],
    ['no acks', { ...base, kind: 'ack', acks: [] }],
    ['91 acks', { ...base, kind: 'ack', acks: Array.from({ length: 91 }, () => ({ seq: 1, attempt: 1, op: 'ack' as const })) }],
    ['ack seq 0', { ...base, kind: 'ack', acks: [{ seq: 0, attempt: 1, op: 'ack' }] }],
    ['ack attempt 0', { ...base, kind: 'ack', acks: [{ seq: 1, attempt: 0, op: 'ack' }] }],
    ['ack op', { ...base, kind: 'ack', acks: [{ seq: 1, attempt: 1, op: 'nope' as 'ack' }] }],
    ['ack op from the prototype', { ...base, kind: 'ack', acks: [{ seq: 1, attempt: 1, op: 'toString' as 'ack' }] }],
    ['ack with payload', { ...base, kind: 'ack', acks: [{ seq: 1, attempt: 1, op: 'ack' }] }, new Uint8Array(1)],
    ['nack seq 0', { ...base, kind: 'nack', seq: 0, attempt: 1, op: 'nak', delayMs: 0, reason: '' }],
    ['nack attempt 0', { ...base, kind: 'nack', seq: 1, attempt: 0, op: 'nak', delayMs: 0, reason: '' }],
    ['nack delay 2^32', { ...base, kind: 'nack', seq: 1, attempt: 1, op: 'nak', delayMs: 2 ** 32, reason: '' }],
    ['nack reason 513 bytes', { ...base, kind: 'nack', seq: 1, attempt: 1, op: 'term', delayMs: 0, reason: 'r'.repeat(513) }],
    ['nack op', { ...base, kind: 'nack', seq: 1, attempt: 1, op: 'maybe' as 'nak', delayMs: 0, reason: '' }],
    ['gap seq 0', { ...base, kind: 'control', op: 'gap', seq: 0, prev: 0, reason: 'left' }],
    ['gap prev = seq', { ...base, kind: 'control', op: 'gap', seq: 4, prev: 4, reason: 'left' }],
    ['gap reason', { ...base, kind: 'control', op: 'gap', seq: 4, prev: 0, reason: 'lost' as 'left' }],
    ['control op', { ...base, kind: 'control', op: 'hello' as 'schema-request', codecId: CODEC_ID }],
    ['schema-request codecId', { ...base, kind: 'control', op: 'schema-request', codecId: new Uint8Array(9) }],
    ['schema-request with payload', { ...base, kind: 'control', op: 'schema-request', codecId: CODEC_ID }, new Uint8Array(1)],
    ['schema-response codecId', { ...base, kind: 'control', op: 'schema-response', codecId: new Uint8Array(0), found: true }],
    ['schema-response not found with payload', { ...base, kind: 'control', op: 'schema-response', codecId: CODEC_ID, found: false }, new Uint8Array(1)],
  ]
  for (const [label, envelope, payload] of bad) {
    t.throws(() => encodeEnvelope(envelope, payload), { name: 'InvalidArgumentError', code: 'ERR_TIPC_INVALID_ARGUMENT' }, label)
  }
  const ok: DataEnvelope = { ...base, seq: 2 ** 33, receivers: [{ node: 1, ref: 1, prev: 2 ** 33 - 0xffffffff }] }
  t.ok(decodeEnvelope(encodeEnvelope(ok)).ok, 'prev exactly 2^32-1 back is fine')
})
