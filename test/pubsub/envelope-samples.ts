// Valid envelopes of every kind and op, with edge values, shared by the
// round-trip, bad-input and fuzz tests (the fuzz mutates their encodings).
import type { DataEnvelope, Envelope } from '../../core/pubsub/envelope-types.js'
import { keyInstance, topicHash64 } from '../../core/pubsub/topic-name.js'

export const TOPIC_HASH = topicHash64('orders')
export const CODEC_ID = Uint8Array.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6])
const common = { topicHash: TOPIC_HASH, stream: 0x1234_5678_9abc_def0n, timestamp: 1_764_000_000_000 }
const key = new TextEncoder().encode('customer-42')

export function dataEnvelope(fields: Partial<DataEnvelope> = {}): DataEnvelope {
  return { ...common, kind: 'data', ackRequested: true, seq: 7, attempt: 1, codecId: CODEC_ID, keyInstance: 0, receivers: [], ...fields }
}

export function keyed(keyBytes: Uint8Array, fields: Partial<DataEnvelope> = {}): DataEnvelope {
  return dataEnvelope({ key: keyBytes, keyInstance: keyInstance(keyBytes), ...fields })
}

/** [label, envelope, payload] */
export function samples(): Array<[string, Envelope, Uint8Array]> {
  const none = new Uint8Array(0)
  const receivers = Array.from({ length: 48 }, (_, i) => ({ node: 0x1001000 + i, ref: 0xffffffff - i, prev: i === 0 ? 0 : 1000 - i }))
  return [
    ['data, unkeyed, no receivers', dataEnvelope({ ackRequested: false }), Uint8Array.from([1, 2, 3])],
    ['data, empty payload', dataEnvelope(), none],
    ['data, keyed, one receiver', keyed(key, { receivers: [{ node: 1, ref: 2, prev: 6 }] }), Uint8Array.from([9])],
    ['data, 255-byte key', keyed(new Uint8Array(255).fill(0xab)), none],
    ['data, 48 receivers', dataEnvelope({ seq: 1000, receivers }), new Uint8Array(100).fill(5)],
    ['data, largest seq, attempt, prevDelta', dataEnvelope({
      seq: Number.MAX_SAFE_INTEGER, attempt: 65535, timestamp: Number.MAX_SAFE_INTEGER,
      receivers: [{ node: 0xffffffff, ref: 0, prev: Number.MAX_SAFE_INTEGER - 0xffffffff }, { node: 0, ref: 0, prev: Number.MAX_SAFE_INTEGER - 1 }],
    }), none],
    ['data, smallest values', { ...dataEnvelope({ seq: 1, attempt: 1, receivers: [{ node: 0, ref: 0, prev: 0 }] }), topicHash: 0n, stream: 0n, timestamp: 0 }, none],
    ['data, largest hashes', { ...dataEnvelope(), topicHash: 2n ** 64n - 1n, stream: 2n ** 64n - 1n }, none],
    ['chunk, first', dataEnvelope({ kind: 'chunk', seq: 10, chunk: { index: 0, count: 3, totalLength: 190_000 } }), new Uint8Array(65000).fill(1)],
    ['chunk, last, keyed', keyed(key, { kind: 'chunk', seq: 12, receivers: [{ node: 3, ref: 4, prev: 11 }], chunk: { index: 2, count: 3, totalLength: 190_000 } }), new Uint8Array(190_000 - 65000 * 2).fill(2)],
    ['chunk, widest', keyed(new Uint8Array(255).fill(1), { kind: 'chunk', receivers, seq: 1000, chunk: { index: 0xfffffffe, count: 0xffffffff, totalLength: 0xffffffff } }), none],
    ['ack, one entry', { ...common, kind: 'ack', acks: [{ seq: 7, attempt: 1, op: 'ack' }] }, none],
    ['ack, 90 entries', { ...common, kind: 'ack', acks: Array.from({ length: 90 }, (_, i) => ({ seq: Number.MAX_SAFE_INTEGER - i, attempt: 1 + i * 700, op: i % 2 === 0 ? 'ack' as const : 'working' as const })) }, none],
    ['nack, nak with delay', { ...common, kind: 'nack', seq: 7, attempt: 2, op: 'nak', delayMs: 0xffffffff, reason: '' }, none],
    ['nack, term with a 512-byte reason', { ...common, kind: 'nack', seq: 8, attempt: 65535, op: 'term', delayMs: 0, reason: 'é'.repeat(255) + 'xy' }, none],
    ['nack, term, emoji reason', { ...common, kind: 'nack', seq: 9, attempt: 1, op: 'term', delayMs: 5, reason: 'bad 😀 input' }, none],
    ['control gap, no prev', { ...common, kind: 'control', op: 'gap', seq: 1, prev: 0, reason: 'timeout' }, none],
    ['control gap, left', { ...common, kind: 'control', op: 'gap', seq: 100, prev: 99, reason: 'left' }, none],
    ['control gap, returned', { ...common, kind: 'control', op: 'gap', seq: Number.MAX_SAFE_INTEGER, prev: Number.MAX_SAFE_INTEGER - 0xffffffff, reason: 'returned' }, none],
    ['control gap, terminated', { ...common, kind: 'control', op: 'gap', seq: 5, prev: 1, reason: 'terminated' }, none],
    ['control schema-request', { ...common, kind: 'control', op: 'schema-request', codecId: CODEC_ID }, none],
    ['control schema-response, found', { ...common, kind: 'control', op: 'schema-response', codecId: CODEC_ID, found: true }, new TextEncoder().encode('{"type":"string"}')],
    ['control schema-response, not found', { ...common, kind: 'control', op: 'schema-response', codecId: CODEC_ID, found: false }, none],
    ['control probe', { ...common, kind: 'control', op: 'probe' }, none],
  ]
}
