// A subscriber that acks its last messages and closes at once: on kernel TIPC
// its withdrawal can reach the publisher before those acks (the broadcast
// link against the unicast one), and CI once saw a tail's last five
// messages fail as 'left' that way. The memory network's `delay` fault
// stalls every data message on its link while topology events go at once,
// which is that race every time. The publisher must wait for its probe to
// the departed socket to come back before it fails anything as 'left'.
import t, { type Test } from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { DEPARTURE_PROBE_TIMEOUT_MS } from '../../core/pubsub/departure-barrier.js'
import type { Delivery } from '../../core/pubsub/delivery.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'
import { mulberry32 as seeded } from '../codecs/fuzz/prng.js'

const MESSAGES = 200

async function setUp(t: Test, topic: string) {
  const network = new MemoryNetwork({ seed: 3 })
  const [a, b] = [network.open(), network.open()]
  const pubBus = new Bus(a, { random: seeded(21) })
  const subBus = new Bus(b, { random: seeded(22) })
  t.teardown(async () => {
    for (const bus of [pubBus, subBus]) await bus.close()
    await a.close()
    await b.close()
  })
  return { network, pub: pubBus.topic<{ n: number }>(topic), sub: subBus.topic<{ n: number }>(topic), clock: a.clock }
}

t.test('acks sent just before the subscriber left count: every message acked, none left', async t => {
  const { network, pub, sub } = await setUp(t, 'last-acks')
  let acked = 0
  const subscription = sub.subscribe({ ack: 'manual' }).subscribe((d: Delivery<{ n: number }>) => {
    d.ack()
    // Like `tail --count`: the last one acked, close in the same turn's end.
    if (++acked === MESSAGES) setImmediate(() => subscription.unsubscribe())
  })
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  network.setFaults({ delay: 1, maxDelayTicks: 8 })
  const receipts = await pub.publishAll(Array.from({ length: MESSAGES }, (_, n) => ({ n })), { timeoutMs: 60_000 })
  t.equal(acked, MESSAGES, 'the subscriber processed every message')
  const failed = receipts.filter(r => !r.ok)
  t.same(failed.map(r => r.outcomes.map(o => o.kind)), [], 'no receipt failed: the last acks were read before the departure counted')
})

t.test('a message the subscriber never acked still fails as left, once the probe is back', async t => {
  const { network, pub, sub, clock } = await setUp(t, 'left-unacked')
  const subscription = sub.subscribe({ ack: 'manual' }).subscribe((d: Delivery<{ n: number }>) => {
    if (d.value.n === 0) d.ack()
    else setImmediate(() => subscription.unsubscribe())
  })
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  network.setFaults({ delay: 1, maxDelayTicks: 8 })
  const sentAt = clock.now()
  const receipts = await pub.publishAll([{ n: 0 }, { n: 1 }], { timeoutMs: 60_000 })
  t.same(receipts.map(r => r.outcomes.map(o => o.kind)), [['acked'], ['left']], 'the first acked, the second left')
  const leftAt = receipts[1]!.outcomes[0]!.at
  t.ok(leftAt - sentAt < DEPARTURE_PROBE_TIMEOUT_MS, `'left' came with the probe's return (after ${leftAt - sentAt} ms), not from the timeout`)
})
