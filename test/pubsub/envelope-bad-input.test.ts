// Each drop reason of decodeEnvelope, produced by a crafted input: a valid
// encoding with one field set wrong. Every reason the decoder can give is
// reached here, so the list in docs/protocol.md is the list of real ones.
import t from 'tap'
import { decodeEnvelope } from '../../core/pubsub/envelope-decode.js'
import { encodeEnvelope } from '../../core/pubsub/envelope-encode.js'
import { ENVELOPE_DROP_REASONS, type Envelope, type EnvelopeDropReason } from '../../core/pubsub/envelope-types.js'
import { CODEC_ID, dataEnvelope, keyed } from './envelope-samples.js'

const common = { topicHash: 1n, stream: 2n, timestamp: 3 }
const envelopes = {
  data: dataEnvelope({ seq: 10, receivers: [{ node: 1, ref: 2, prev: 9 }] }),
  keyed: keyed(Uint8Array.from([1, 2, 3])),
  chunk: dataEnvelope({ kind: 'chunk', seq: 10, chunk: { index: 0, count: 2, totalLength: 4 } }),
  ack: { ...common, kind: 'ack', acks: [{ seq: 5, attempt: 1, op: 'ack' }] },
  nack: { ...common, kind: 'nack', seq: 5, attempt: 1, op: 'term', delayMs: 0, reason: 'abc' },
  gap: { ...common, kind: 'control', op: 'gap', seq: 5, prev: 4, reason: 'left' },
  schemaRequest: { ...common, kind: 'control', op: 'schema-request', codecId: CODEC_ID },
  schemaResponse: { ...common, kind: 'control', op: 'schema-response', codecId: CODEC_ID, found: false },
} satisfies Record<string, Envelope>

// Offsets after the common header (32): data seq 32, attempt 40, codecId 42,
// keyInstance 50, keyLength 54, then key, receiverCount, receivers, chunk info.
const DATA_RECEIVERS = 57 // unkeyed: receiverCount at 55, first receiver at 57
const CHUNK_INFO = 57 // unkeyed chunk without receivers: chunk info at 57

/** A valid encoding of `name` followed by `extra` zero bytes (payload, or room for a header declared longer). */
function withPayload(name: keyof typeof envelopes, extra: number): Uint8Array {
  const e = encodeEnvelope(envelopes[name])
  const bytes = new Uint8Array(e.length + extra)
  bytes.set(e)
  return bytes
}

/** withPayload(name, extra), changed by `edit`. */
function crafted(name: keyof typeof envelopes, edit: (v: DataView, b: Uint8Array) => void, extra = 0): Uint8Array {
  const bytes = withPayload(name, extra)
  edit(new DataView(bytes.buffer), bytes)
  return bytes
}

const cases: Array<[EnvelopeDropReason, string, Uint8Array]> = [
  ['TRUNCATED', 'empty', new Uint8Array(0)],
  ['TRUNCATED', '31 bytes', new Uint8Array(31)],
  ['TRUNCATED', 'cut inside the data header', encodeEnvelope(envelopes.data).subarray(0, 60)],
  ['TRUNCATED', 'cut one byte before the header ends', encodeEnvelope(envelopes.nack).subarray(0, 51)],
  ['BAD_VERSION', 'version 0', crafted('data', (v) => v.setUint8(0, 0))],
  ['BAD_VERSION', 'version 2', crafted('data', (v) => v.setUint8(0, 2))],
  ['BAD_KIND', 'kind 0', crafted('data', (v) => v.setUint8(1, 0))],
  ['BAD_KIND', 'kind 6', crafted('data', (v) => v.setUint8(1, 6))],
  ['BAD_KIND', 'kind 255', crafted('ack', (v) => v.setUint8(1, 255))],
  ['BAD_FLAGS', 'LAST_CHUNK on data', crafted('data', (v) => v.setUint16(2, 0b100, true))],
  ['BAD_FLAGS', 'ACK_REQUESTED on an ack', crafted('ack', (v) => v.setUint16(2, 1, true))],
  ['BAD_FLAGS', 'KEYED on a nack', crafted('nack', (v) => v.setUint16(2, 2, true))],
  ['BAD_FLAGS', 'bit 3 on a chunk', crafted('chunk', (v) => v.setUint16(2, 0b1000, true))],
  ['BAD_FLAGS', 'bit 15 on control', crafted('gap', (v) => v.setUint16(2, 0x8000, true))],
  ['BAD_LENGTH', 'headerLength 1025', crafted('data', (v) => v.setUint16(4, 1025, true), 2000)],
  ['BAD_LENGTH', 'headerLength 65535', crafted('data', (v) => v.setUint16(4, 0xffff, true))],
  ['BAD_LENGTH', 'headerLength 31', crafted('data', (v) => v.setUint16(4, 31, true))],
  ['BAD_LENGTH', 'headerLength 0', crafted('ack', (v) => v.setUint16(4, 0, true))],
  ['BAD_LENGTH', 'data header shorter than its fixed part', crafted('data', (v) => v.setUint16(4, 40, true))],
  ['BAD_LENGTH', 'data header one byte longer than its fields', crafted('data', (v) => v.setUint16(4, v.getUint16(4, true) + 1, true), 1)],
  ['BAD_LENGTH', 'data header one byte shorter than its receivers', crafted('data', (v) => v.setUint16(4, v.getUint16(4, true) - 1, true))],
  ['BAD_LENGTH', 'key longer than the header', crafted('keyed', (v) => v.setUint16(4, 56, true))],
  ['BAD_LENGTH', 'no room for receiverCount', crafted('data', (v) => v.setUint16(4, 55, true))],
  ['BAD_LENGTH', 'chunk without room for its chunk info', crafted('chunk', (v) => v.setUint16(4, 60, true))],
  ['BAD_LENGTH', 'ack without room for its count', crafted('ack', (v) => v.setUint16(4, 33, true))],
  ['BAD_LENGTH', 'ack count 2, one entry', crafted('ack', (v) => v.setUint16(32, 2, true))],
  ['BAD_LENGTH', 'nack shorter than its fixed part', crafted('nack', (v) => v.setUint16(4, 48, true))],
  ['BAD_LENGTH', 'nack reasonLength past the header', crafted('nack', (v) => v.setUint16(47, 4, true), 1)],
  ['BAD_LENGTH', 'control without its op', crafted('gap', (v) => v.setUint16(4, 32, true), 14)],
  ['BAD_LENGTH', 'gap one byte short', crafted('gap', (v) => v.setUint16(4, 45, true), 1)],
  ['BAD_LENGTH', 'schema-request one byte long', crafted('schemaRequest', (v) => v.setUint16(4, 42, true), 1)],
  ['BAD_LENGTH', 'schema-response one byte short', crafted('schemaResponse', (v) => v.setUint16(4, 41, true), 1)],
  ['BAD_RESERVED', 'reserved 1', crafted('data', (v) => v.setUint16(6, 1, true))],
  ['BAD_RESERVED', 'reserved 0x8000', crafted('ack', (v) => v.setUint16(6, 0x8000, true))],
  ['BAD_FIELD', 'timestamp 2^53', crafted('data', (v) => v.setBigUint64(24, 2n ** 53n, true))],
  ['BAD_FIELD', 'timestamp 2^64-1', crafted('gap', (v) => v.setBigUint64(24, 2n ** 64n - 1n, true))],
  ['BAD_FIELD', 'data seq 0', crafted('data', (v) => v.setBigUint64(32, 0n, true))],
  ['BAD_FIELD', 'data seq 2^53', crafted('data', (v) => v.setBigUint64(32, 2n ** 53n, true))],
  ['BAD_FIELD', 'data attempt 0', crafted('data', (v) => v.setUint16(40, 0, true))],
  ['BAD_FIELD', 'receiverCount 49', crafted('data', (v) => v.setUint16(55, 49, true))],
  ['BAD_FIELD', 'receiverCount 65535', crafted('data', (v) => v.setUint16(55, 0xffff, true))],
  ['BAD_FIELD', 'prevDelta = seq (prev 0 written as a delta)', crafted('data', (v) => v.setUint32(DATA_RECEIVERS + 8, 10, true))],
  ['BAD_FIELD', 'prevDelta > seq', crafted('data', (v) => v.setUint32(DATA_RECEIVERS + 8, 0xffffffff, true))],
  ['BAD_FIELD', 'ack count 0', crafted('ack', (v) => v.setUint16(32, 0, true))],
  ['BAD_FIELD', 'ack count 91', crafted('ack', (v) => v.setUint16(32, 91, true))],
  ['BAD_FIELD', 'ack seq 0', crafted('ack', (v) => v.setBigUint64(34, 0n, true))],
  ['BAD_FIELD', 'ack attempt 0', crafted('ack', (v) => v.setUint16(42, 0, true))],
  ['BAD_FIELD', 'nack seq 2^63', crafted('nack', (v) => v.setBigUint64(32, 2n ** 63n, true))],
  ['BAD_FIELD', 'nack attempt 0', crafted('nack', (v) => v.setUint16(40, 0, true))],
  ['BAD_FIELD', 'nack reasonLength 513', crafted('nack', (v) => v.setUint16(47, 513, true))],
  ['BAD_FIELD', 'gap seq 0', crafted('gap', (v) => v.setBigUint64(33, 0n, true))],
  ['BAD_FIELD', 'gap prevDelta = seq', crafted('gap', (v) => v.setUint32(41, 5, true))],
  ['BAD_FIELD', 'schema-response found 2', crafted('schemaResponse', (v) => v.setUint8(41, 2))],
  ['BAD_OP', 'ack op 0', crafted('ack', (v) => v.setUint8(44, 0))],
  ['BAD_OP', 'ack op 3', crafted('ack', (v) => v.setUint8(44, 3))],
  ['BAD_OP', 'nack op 0', crafted('nack', (v) => v.setUint8(42, 0))],
  ['BAD_OP', 'nack op 3', crafted('nack', (v) => v.setUint8(42, 3))],
  ['BAD_OP', 'control op 0', crafted('gap', (v) => v.setUint8(32, 0))],
  ['BAD_OP', 'control op 5', crafted('gap', (v) => v.setUint8(32, 5))],
  ['BAD_OP', 'gap reason 0', crafted('gap', (v) => v.setUint8(45, 0))],
  ['BAD_OP', 'gap reason 5', crafted('gap', (v) => v.setUint8(45, 5))],
  ['BAD_KEY', 'KEYED with keyLength 0', crafted('keyed', (v) => v.setUint8(54, 0))],
  ['BAD_KEY', 'keyInstance not the key\'s', crafted('keyed', (v) => v.setUint32(50, v.getUint32(50, true) ^ 1, true))],
  ['BAD_KEY', 'key byte changed', crafted('keyed', (_v, b) => { b[55] = 9 })],
  ['BAD_KEY', 'keyLength without KEYED', crafted('keyed', (v) => v.setUint16(2, 1, true))],
  ['BAD_KEY', 'keyInstance without KEYED', crafted('data', (v) => v.setUint32(50, 7, true))],
  ['BAD_CHUNK', 'count 1', crafted('chunk', (v) => { v.setUint32(CHUNK_INFO + 4, 1, true) })],
  ['BAD_CHUNK', 'count 0', crafted('chunk', (v) => { v.setUint32(CHUNK_INFO + 4, 0, true) })],
  ['BAD_CHUNK', 'index = count', crafted('chunk', (v) => { v.setUint32(CHUNK_INFO, 2, true); v.setUint16(2, 0b101, true) })],
  ['BAD_CHUNK', 'totalLength 0', crafted('chunk', (v) => v.setUint32(CHUNK_INFO + 8, 0, true))],
  ['BAD_CHUNK', 'totalLength < count', crafted('chunk', (v) => v.setUint32(CHUNK_INFO + 8, 1, true))],
  ['BAD_CHUNK', 'totalLength > count x 66000', crafted('chunk', (v) => v.setUint32(CHUNK_INFO + 8, 132_001, true))],
  ['BAD_CHUNK', 'LAST_CHUNK on the first of two', crafted('chunk', (v) => v.setUint16(2, 0b101, true))],
  ['BAD_CHUNK', 'last of two without LAST_CHUNK', crafted('chunk', (v) => v.setUint32(CHUNK_INFO, 1, true))],
  ['BAD_CHUNK', 'payload longer than totalLength', crafted('chunk', () => undefined, 5)],
  ['BAD_UTF8', 'a stray continuation byte', crafted('nack', (_v, b) => { b[49] = 0x80 })],
  ['BAD_UTF8', '0xff', crafted('nack', (_v, b) => { b[50] = 0xff })],
  ['BAD_UTF8', 'an overlong encoding', crafted('nack', (_v, b) => { b[49] = 0xc0; b[50] = 0x81 })],
  ['BAD_UTF8', 'an encoded surrogate', crafted('nack', (_v, b) => { b[49] = 0xed; b[50] = 0xa0; b[51] = 0x80 })],
  ['UNEXPECTED_PAYLOAD', 'after an ack', withPayload('ack', 1)],
  ['UNEXPECTED_PAYLOAD', 'after a nack', withPayload('nack', 3)],
  ['UNEXPECTED_PAYLOAD', 'after a gap', withPayload('gap', 1)],
  ['UNEXPECTED_PAYLOAD', 'after a schema-request', withPayload('schemaRequest', 1)],
  ['UNEXPECTED_PAYLOAD', 'after a schema-response that found nothing', withPayload('schemaResponse', 10)],
]

t.test('each crafted input is refused with its reason', async (t) => {
  for (const [reason, label, bytes] of cases) {
    t.same(decodeEnvelope(bytes), { ok: false, reason }, `${reason}: ${label}`)
  }
})

t.test('every drop reason is reachable (and each crafted input was valid before its edit)', async (t) => {
  t.same([...new Set(cases.map(([reason]) => reason))].sort(), [...ENVELOPE_DROP_REASONS].sort())
  for (const [name, envelope] of Object.entries(envelopes)) {
    t.ok(decodeEnvelope(encodeEnvelope(envelope)).ok, `${name} decodes unedited`)
  }
})

t.test('a returned copy skips only the checks that need the whole payload', async (t) => {
  const chunkTooLong = crafted('chunk', () => undefined, 5)
  t.equal(decodeEnvelope(chunkTooLong, { truncatedPayload: true }).ok, true, 'chunk payload vs totalLength')
  t.equal(decodeEnvelope(withPayload('ack', 1), { truncatedPayload: true }).ok, true, 'payload after an ack')
  t.same(decodeEnvelope(encodeEnvelope(envelopes.data).subarray(0, 60), { truncatedPayload: true }), { ok: false, reason: 'TRUNCATED' },
    'the envelope itself must still be whole')
  t.same(decodeEnvelope(crafted('keyed', (v) => v.setUint32(50, 1, true)), { truncatedPayload: true }), { ok: false, reason: 'BAD_KEY' })
})

t.test('a view into a larger buffer is read only within its bounds', async (t) => {
  const e = encodeEnvelope(envelopes.nack)
  const backing = new Uint8Array(e.length + 64).fill(0x41)
  backing.set(e, 16)
  const view = backing.subarray(16, 16 + e.length)
  const decoded = decodeEnvelope(view)
  t.ok(decoded.ok && decoded.envelope.kind === 'nack' && decoded.envelope.reason === 'abc', 'decoded at a byteOffset')
  t.same(decodeEnvelope(backing.subarray(16, 16 + e.length - 1)), { ok: false, reason: 'TRUNCATED' },
    'the bytes after the view are not read, though the buffer has them')
})

t.test('refusals are shared frozen objects (dropping allocates nothing)', async (t) => {
  const a = decodeEnvelope(new Uint8Array(3))
  t.equal(a, decodeEnvelope(new Uint8Array(5)))
  t.ok(Object.isFrozen(a))
})
