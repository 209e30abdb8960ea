// A subscriber that refused a message (term) and then sees it again (its
// term was lost, so the publisher resent) answers the same: term, never ack.
// Found by the simulation (seed 81): the duplicate was answered with an ack,
// and the publisher's receipt said 'acked' for a message the consumer refused.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'

t.test('a lost term is repeated for the resent copy, and the outcome is terminated', async t => {
  const network = new MemoryNetwork({ seed: 1 })
  const publisher = new Bus(network.open())
  const subscriber = new Bus(network.open())
  t.teardown(async () => { await publisher.close(); await subscriber.close() })
  const handed: number[] = []
  const sub = subscriber.topic<string>('refused').subscribe({ ack: 'manual' }).subscribe(d => {
    handed.push(d.attempt)
    // The term is lost on its way; the link heals before the publisher resends.
    network.setFaults({ drop: 1 })
    d.term('not for me')
    network.clock.setTimer(20, () => network.setFaults({}))
  })
  t.teardown(() => sub.unsubscribe())
  const topic = publisher.topic<string>('refused')
  await topic.whenSubscribed(1, { timeoutMs: 1000 })
  const receipt = await topic.publish('x')
  t.ok(network.stats.dropped > 0 && topic.stats().resent > 0, 'the term was lost and the copy resent')
  t.same(handed, [1], 'the consumer was handed it once (the resent copy is a duplicate)')
  t.same(receipt.outcomes.map(o => [o.kind, o.reason]), [['terminated', 'not for me']])
  t.equal(receipt.ok, false)
})
