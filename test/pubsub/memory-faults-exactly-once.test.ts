// Ack 'all' under a lossy, duplicating, reordering network: 10,000 messages,
// three subscribers on two nodes. Every receipt is ok and names all three as
// acked; every subscriber got every message exactly once, in order. The
// faults really happened (the network's counters) and the topic layer really
// worked for it: copies were resent and duplicates suppressed.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'
import { mulberry32 as seeded } from '../codecs/fuzz/prng.js'
import { collect } from './suite/collect.js'

const MESSAGES = 10_000

t.test('memory, 5% drop + duplicate + reorder: ack all, exactly once, in order', async t => {
  const network = new MemoryNetwork({ seed: 7 })
  const [a, b] = [network.open(), network.open()]
  const pubBus = new Bus(a, { random: seeded(11) })
  const busA2 = new Bus(a, { random: seeded(12) })
  const busB = new Bus(b, { random: seeded(13) })
  t.teardown(async () => {
    for (const bus of [pubBus, busA2, busB]) await bus.close()
    await a.close()
    await b.close()
  })
  const subs = [busA2, busB, busB].map(bus => collect(bus.topic<{ n: number }>('faults').subscribe()))
  const pub = pubBus.topic<{ n: number }>('faults')
  await pub.whenSubscribed(3, { timeoutMs: 10_000 })

  network.setFaults({ drop: 0.05, duplicate: 0.05, reorder: 0.05 })
  const receipts = await pub.publishAll(Array.from({ length: MESSAGES }, (_, n) => ({ n })), { timeoutMs: 60_000 })
  network.setFaults({})

  t.equal(receipts.length, MESSAGES)
  t.equal(receipts.filter(r => !r.ok).length, 0, 'every receipt is ok')
  t.equal(receipts.filter(r => r.outcomes.filter(o => o.kind === 'acked').length !== 3).length, 0, 'every receipt names 3 acks')
  const expected = Array.from({ length: MESSAGES }, (_, n) => n)
  for (const [i, s] of subs.entries()) {
    // One comparison per subscriber, not 10,000 assertions.
    const got = s.values.map(v => v.n)
    t.equal(got.length, MESSAGES, `subscriber ${i}: every message once`)
    t.ok(got.every((n, k) => n === expected[k]), `subscriber ${i}: in order`)
  }

  t.ok(network.stats.dropped > 0, `the network dropped copies (${network.stats.dropped})`)
  t.ok(network.stats.duplicated > 0, `the network duplicated copies (${network.stats.duplicated})`)
  t.ok(network.stats.reordered > 0, `the network reordered copies (${network.stats.reordered})`)
  const published = pub.stats()
  t.ok(published.resent > 0, `the publisher resent copies (${published.resent})`)
  const received = busB.stats('faults')
  const receivedA = busA2.stats('faults')
  t.ok(received.duplicates + receivedA.duplicates > 0, `subscribers suppressed duplicates (${received.duplicates + receivedA.duplicates})`)
  t.equal(received.delivered + receivedA.delivered, 3 * MESSAGES, 'no message delivered twice')
  for (const s of subs) s.stop()
})

