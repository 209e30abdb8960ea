// A 5 MiB message is sent as chunks; exactly one chunk is lost on the way
// (the network drops it: faults switched on around that one send). The
// publisher resends it, the subscriber reassembles the whole, acks, and the
// value arrives byte for byte.
import t from 'tap'
import { rawCodec } from '../../codecs/index.js'
import { Bus } from '../../core/pubsub/bus.js'
import { decodeEnvelope } from '../../core/pubsub/envelope-decode.js'
import type { Gap } from '../../core/pubsub/decode-stage.js'
import type { Transport } from '../../core/transport-contract/index.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'
import { collect } from './suite/collect.js'
import { tapSends } from './transport-tap.js'

const SIZE = 5 * 1024 * 1024
const LOST_CHUNK = 7

t.test('memory: a 5 MiB message with one chunk lost is resent, reassembled and acked', async t => {
  const network = new MemoryNetwork({ seed: 3 })
  const [a, b] = [network.open(), network.open()]
  const pubBus = new Bus(dropOneChunk(a, network, LOST_CHUNK))
  const subBus = new Bus(b)
  t.teardown(async () => {
    await pubBus.close()
    await subBus.close()
    await a.close()
    await b.close()
  })
  const subscription = subBus.topic<Uint8Array>('big', { codec: rawCodec() }).subscribe()
  const gaps: Gap[] = []
  subscription.gaps$.subscribe(g => gaps.push(g))
  const got = collect(subscription)
  const pub = pubBus.topic<Uint8Array>('big', { codec: rawCodec() })
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })

  const value = pattern(SIZE)
  const receipt = await pub.publish(value)

  t.equal(network.stats.dropped, 1, 'the network lost exactly one copy: the chunk')
  t.equal(receipt.ok, true)
  t.same(receipt.outcomes.map(o => o.kind), ['acked'])
  t.equal(pub.stats().chunked, 1, 'the message went as chunks')
  t.ok(pub.stats().resent >= 1, 'the lost chunk was resent')
  t.equal(got.values.length, 1, 'delivered once, whole')
  t.ok(Buffer.from(got.values[0]!).equals(Buffer.from(value)), 'byte for byte equal')
  t.same(gaps, [], 'no gap reported')
  got.stop()
})

/** Deterministic, not constant: a misplaced chunk would show. */
function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 2654435761) >>> 24
  return bytes
}

/**
 * The node's transport, except that the first copy of chunk `index` is sent
 * while the network drops everything: that one chunk, and nothing else, is
 * lost (its resends carry the same attempt, so the first send is what counts).
 */
function dropOneChunk(transport: Transport, network: MemoryNetwork, index: number): Transport {
  let lost = false
  return tapSends(transport, (_dest, data, send) => {
    const d = decodeEnvelope(data)
    const lose = !lost && d.ok && d.envelope.kind === 'chunk' && d.envelope.chunk?.index === index
    if (!lose) return send()
    lost = true
    network.setFaults({ drop: 1 })
    try {
      return send()
    } finally {
      network.setFaults({})
    }
  })
}
