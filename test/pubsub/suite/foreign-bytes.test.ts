// What else can reach a subscriber socket on the topic's range: bytes from a
// plain RDM socket that are not an envelope at all, and a well-formed
// envelope that names another topic (forged: the right service type, the
// wrong topicHash). Neither is delivered; each is counted and reported on
// failures$; the topic's own stream goes on.
import { jsonCodec } from '../../../codecs/index.js'
import type { DeliveryFailure } from '../../../core/pubsub/decode-stage.js'
import { encodeEnvelope } from '../../../core/pubsub/envelope-encode.js'
import { topicHash64 } from '../../../core/pubsub/topic-name.js'
import { topicSuite } from './harness.js'
import { collect } from './collect.js'
import { until } from './until.js'

topicSuite('bytes that are not an envelope, and an envelope of another topic: counted, reported, not delivered', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const subscription = env.bus(1).topic<{ n: number }>(name).subscribe()
  const failures: DeliveryFailure[] = []
  subscription.failures$.subscribe(f => failures.push(f))
  const got = collect(subscription)
  const pub = env.bus(0).topic<{ n: number }>(name)
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  const range = { type: pub.type, lower: 0, upper: 0xffffffff }
  const raw = env.cluster.node(0).rdm()
  t.teardown(() => raw.close())

  t.equal((await pub.publish({ n: 1 })).ok, true)
  raw.send(range, new TextEncoder().encode('not an envelope'))
  await until('the bad envelope', () => env.bus(1).stats(name).badEnvelopes === 1)
  const forged = encodeEnvelope({
    kind: 'data', topicHash: topicHash64(`${name}.elsewhere`), stream: 99n, timestamp: Date.now(), ackRequested: false,
    seq: 1, attempt: 1, codecId: jsonCodec().id, keyInstance: 0, receivers: [],
  }, jsonCodec().encode({ n: 666 }))
  raw.send(range, forged)
  await until('the forged envelope', () => env.bus(1).stats(name).collisions === 1)
  t.equal((await pub.publish({ n: 2 })).ok, true, 'the stream goes on')

  t.same(got.values, [{ n: 1 }, { n: 2 }], 'only the topic\'s own messages are delivered')
  const stats = env.bus(1).stats(name)
  t.equal(stats.badEnvelopes, 1)
  t.equal(stats.collisions, 1)
  t.equal(stats.delivered, 2)
  t.equal(failures.length, 2, 'both reported on failures$')
  t.match(failures[0]!.reason, /^bad envelope: /)
  t.same(failures[0]!.publisher, raw.address, 'naming the socket they came from')
  t.match(failures[1]!.reason, /collision/)
  t.same(failures[1]!.publisher, raw.address)
  t.same(Buffer.from(failures[1]!.bytes), Buffer.from(forged), 'with the bytes as received')
  got.stop()
})
