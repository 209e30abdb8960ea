// Large values through the public API on every transport: a 5 MiB value, and
// values of exactly the sizes where chunking starts and where one more chunk
// is needed, arrive whole and byte for byte, and each is chunked exactly when
// it must be.
import { rawCodec } from '../../../codecs/index.js'
import { dataHeaderSize } from '../../../core/pubsub/envelope-size.js'
import { topicSuite } from './harness.js'
import { collect } from './collect.js'

function pattern(size: number, salt: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = ((i + salt) * 2654435761) >>> 24
  return bytes
}

topicSuite('a 5 MiB value arrives whole, acked', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const got = collect(env.bus(1).topic<Uint8Array>(name, { codec: rawCodec() }).subscribe())
  const pub = env.bus(0).topic<Uint8Array>(name, { codec: rawCodec() })
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  const value = pattern(5 * 1024 * 1024, 1)
  const receipt = await pub.publish(value, { timeoutMs: 30_000 })
  t.equal(receipt.ok, true)
  t.same(receipt.outcomes.map(o => o.kind), ['acked'])
  t.equal(pub.stats().chunked, 1)
  t.equal(got.values.length, 1)
  t.ok(Buffer.from(got.values[0]!).equals(Buffer.from(value)), 'byte for byte equal')
  got.stop()
})

topicSuite('values at the chunk boundaries: chunked exactly when they must be, whole on arrival', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const got = collect(env.bus(1).topic<Uint8Array>(name, { codec: rawCodec() }).subscribe())
  const pub = env.bus(0).topic<Uint8Array>(name, { codec: rawCodec() })
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  // One subscriber: every copy names one receiver, so this is the room beside the envelope.
  const max = env.bus(0).transport.capabilities.maxMessageSize
  const room = max - dataHeaderSize(0, 1, false)
  const chunkRoom = max - dataHeaderSize(0, 1, true)
  const cases = [
    { size: room, chunked: false, copies: 1 },
    { size: room + 1, chunked: true, copies: 2 },
    { size: 2 * chunkRoom, chunked: true, copies: 2 },
    { size: 2 * chunkRoom + 1, chunked: true, copies: 3 },
    { size: 3 * chunkRoom, chunked: true, copies: 3 },
    { size: 1, chunked: false, copies: 1 },
  ]
  const values = cases.map((c, i) => pattern(c.size, i))
  for (const [i, c] of cases.entries()) {
    const before = pub.stats().chunked
    const receipt = await pub.publish(values[i]!)
    t.equal(receipt.ok, true, `${c.size} bytes: acked`)
    t.equal(pub.stats().chunked - before, c.chunked ? 1 : 0, `${c.size} bytes: ${c.chunked ? '' : 'not '}chunked`)
  }
  t.equal(got.values.length, cases.length)
  for (const [i, v] of got.values.entries()) {
    t.ok(Buffer.from(v).equals(Buffer.from(values[i]!)), `value ${i} (${cases[i]!.size} bytes) byte for byte equal`)
  }
  // Each chunk is its own seq of the stream and a delivery carries its first: the steps are the copy counts.
  const seqs = got.deliveries.map(d => d.sequence)
  t.same(seqs.slice(1).map((s, i) => s - seqs[i]!), cases.slice(0, -1).map(c => c.copies), 'chunks per value')
  got.stop()
})
