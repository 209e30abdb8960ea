// A large copy of a published message is encoded into one borrowed buffer
// that the next one writes over (envelope-slab.ts). Two things make that
// safe, and both are checked here: the data encoder writes every byte of
// the envelope (the buffer is not zero-filled), and the outbox keeps bytes
// of its own for a copy it has to queue (outbox.test.ts). (That a send
// copies the data before it returns is the transport contract's, in the
// conformance suite.)
import t from 'tap'
import { encodeData, type DataFields } from '../../core/pubsub/envelope-encode.js'
import { decodeEnvelope } from '../../core/pubsub/envelope-decode.js'
import { borrowedEnvelopeSpace, envelopeSpace, MAX_SLAB_SLICE, ownedEnvelope } from '../../core/pubsub/envelope-slab.js'
import { keyInstance } from '../../core/pubsub/topic-name.js'

const payload = (size: number, seed: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (i * 7 + seed) & 0xff)

function fields(seq: number, keyed: boolean, chunked: boolean): DataFields {
  const key = keyed ? new TextEncoder().encode(`key-${seq}`) : undefined
  return {
    topicHash: 0x1234_5678_9abc_def0n, stream: 0x0fed_cba9_8765_4321n, timestamp: 1_700_000_000_000 + seq,
    ackRequested: seq % 2 === 0, seq, codecId: payload(8, seq), key, keyInstance: key === undefined ? 0 : keyInstance(key),
    chunk: chunked ? { index: 1, count: 3, totalLength: 3 * 10_000 } : undefined,
  }
}

t.test('every byte of a borrowed envelope is written: the same bytes as a fresh zeroed one', async t => {
  let cases = 0
  for (const keyed of [false, true]) {
    for (const chunked of [false, true]) {
      for (const receivers of [0, 1, 5]) {
        const seq = 100 + cases++
        const r = Array.from({ length: receivers }, (_, i) => ({ node: 0x1000 + i, ref: 0x2000 + i, prev: i % 2 === 0 ? 0 : seq - i }))
        const size = chunked ? 9_000 : MAX_SLAB_SLICE + 500 + cases
        // Fill the borrowed buffer with 0xff first: a byte the encoder skipped would show.
        const dirty = borrowedEnvelopeSpace(60_000)
        dirty.bytes.fill(0xff)
        const borrowed = encodeData(fields(seq, keyed, chunked), r, 3, payload(size, seq), borrowedEnvelopeSpace)
        const fresh = encodeData(fields(seq, keyed, chunked), r, 3, payload(size, seq), envelopeSpace)
        t.not(borrowed.buffer, fresh.buffer)
        if (Buffer.compare(Buffer.from(borrowed), Buffer.from(fresh)) !== 0) t.fail(`keyed ${keyed}, chunked ${chunked}, ${receivers} receivers: bytes differ`)
        t.equal(decodeEnvelope(borrowed).ok, true)
      }
    }
  }
  t.pass(`${cases} envelopes written whole`)
})

t.test('borrowed: a large envelope is written over by the next; a small one is a slab slice of its own', async t => {
  const first = encodeData(fields(1, false, false), [], 1, payload(MAX_SLAB_SLICE + 1, 1), borrowedEnvelopeSpace)
  const copy = ownedEnvelope(first)
  t.not(copy.buffer, first.buffer, 'ownedEnvelope copies a borrowed envelope')
  const second = encodeData(fields(2, false, false), [], 1, payload(MAX_SLAB_SLICE + 1, 2), borrowedEnvelopeSpace)
  t.equal(second.buffer, first.buffer, 'the same buffer')
  t.not(Buffer.compare(Buffer.from(first), Buffer.from(copy)), 0, 'written over')
  const small = encodeData(fields(3, false, false), [], 1, payload(10, 3), borrowedEnvelopeSpace)
  t.equal(ownedEnvelope(small), small, 'a slab slice is already its own')
})
