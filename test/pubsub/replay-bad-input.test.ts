// Bad input on a replay connection, both ways: a request that does not
// decode (or names another topic) is refused, the connection ended and the
// request counted, and the service goes on serving good ones; a "publisher"
// that sends a frame out of turn or one that does not decode ends that
// replay with one replay-lost gap for what it did not deliver, and the
// subscription goes on.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import type { Gap } from '../../core/pubsub/decode-stage.js'
import { encodeRequest, encodeStart } from '../../core/pubsub/replay-wire.js'
import { replayType, topicHash64 } from '../../core/pubsub/topic-name.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'

t.test('a bad request is refused and counted; the service goes on', async t => {
  const network = new MemoryNetwork()
  const publisher = new Bus(network.open())
  const other = network.open()
  t.teardown(() => publisher.close())
  const topic = publisher.topic<number>('prices', { retain: { messages: 10 } })
  for (let n = 1; n <= 3; n++) await topic.publish(n)
  // The retaining publisher, found as a subscriber finds it: its replay service's binding.
  let instance = -1
  other.subscribe({ type: replayType('prices'), lower: 0, upper: 0xffffffff }, e => { instance = e.range.lower })
  await network.settle()
  t.not(instance, -1, 'the replay service is bound')
  const service = { type: replayType('prices'), instance }
  // Stream 0: whichever stream the service serves (a subscriber that knows only the binding asks so).
  const stream = 0n
  for (const bad of [new Uint8Array([9, 9, 9]), encodeRequest({ topicHash: topicHash64('other'), stream, from: { kind: 'earliest' }, lower: 0, upper: 0xffffffff })]) {
    const c = await other.connect(service)
    c.onMessages(() => undefined)
    c.send(bad)
    t.equal((await c.whenEnded())?.constructor.name, 'PeerLostError', 'refused: the connection ends abruptly')
  }
  t.equal(topic.stats().badEnvelopes, 2, 'both counted')
  const c = await other.connect(service)
  const frames: number[] = []
  c.onMessages(batch => { for (const m of batch) frames.push(m.data[1]!) })
  c.send(encodeRequest({ topicHash: topicHash64('prices'), stream, from: { kind: 'earliest' }, lower: 0, upper: 0xffffffff }))
  t.equal(await c.whenEnded(), undefined, 'a good request after them: served to a clean end')
  t.same(frames, [2, 3, 3, 3], 'a start, then the three records')
})

t.test('a publisher that breaks the protocol mid-replay: one replay-lost gap, and live goes on', async t => {
  const network = new MemoryNetwork()
  const fake = network.open()
  const bus = new Bus(network.open())
  t.teardown(() => bus.close())
  const listener = fake.listen({ type: replayType('prices'), instance: 77 })
  listener.onConnection(c => c.onMessages(() => {
    c.send(encodeStart({ publisher: { node: fake.node, ref: 1 }, stream: 77n, through: 5, missing: undefined }))
    c.send(new Uint8Array([1, 3, 0, 0]))
  }))
  const gaps: Gap[] = []
  const got: number[] = []
  const s = bus.topic<number>('prices').subscribe({ from: 'earliest' })
  s.gaps$.subscribe(g => gaps.push(g))
  s.subscribe(d => got.push(d.value))
  // settle() is one idle instant; the connect and the replay go on from promises: settle until the gap.
  for (let round = 0; round < 50 && gaps.length === 0; round++) {
    await network.settle()
    await new Promise(resolve => setImmediate(resolve))
  }
  t.same(gaps.map(g => [g.from, g.to, g.reason, g.stream]), [[1, 5, 'replay-lost', 77n]], 'what the replay did not deliver, once')
  const live = new Bus(network.open())
  t.teardown(() => live.close())
  await live.topic<number>('prices').whenSubscribed(1)
  await live.topic<number>('prices').publish(42)
  await network.settle()
  t.same(got, [42], 'live goes on')
})
