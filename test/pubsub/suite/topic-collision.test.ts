// Two topics whose names differ but whose service type is the same (forced
// here with the `type` override; by hash it happens about once in 2^32): a
// subscriber of one is handed the other's messages by the network. It
// delivers none of them, counts each as a collision, reports each on
// failures$, and its own topic's stream goes on.
import type { DeliveryFailure } from '../../../core/pubsub/decode-stage.js'
import { topicSuite } from './harness.js'
import { collect } from './collect.js'
import { until } from './until.js'

topicSuite('two topics on one service type: the other topic\'s messages are counted as collisions, not delivered', { nodes: 2 }, async (t, env) => {
  const mine = env.topicName()
  const other = env.topicName()
  const shared = env.bus(0).topic(mine).type
  const subscription = env.bus(1).topic<{ n: number }>(mine).subscribe()
  const failures: DeliveryFailure[] = []
  subscription.failures$.subscribe(f => failures.push(f))
  const got = collect(subscription)

  const pubOther = env.bus(0).topic<{ other: number }>(other, { type: shared })
  const pubMine = env.bus(0).topic<{ n: number }>(mine)
  t.equal(pubOther.type, pubMine.type, 'the override put both topics on one type')
  await pubMine.whenSubscribed(1, { timeoutMs: 10_000 })

  await pubMine.publish({ n: 1 })
  // Fire and forget: the other topic's publisher sees our subscriber as its own and would wait for its ack.
  for (let i = 0; i < 3; i++) await pubOther.publish({ other: i }, { ack: 'none' })
  await until('three collisions', () => env.bus(1).stats(mine).collisions >= 3)
  const receipt = await pubMine.publish({ n: 2 })

  t.equal(receipt.ok, true, 'the stream goes on after the collisions')
  t.same(got.values, [{ n: 1 }, { n: 2 }], 'only this topic\'s messages are delivered')
  t.equal(env.bus(1).stats(mine).collisions, 3, 'each foreign message counted once')
  t.equal(failures.length, 3, 'each reported on failures$')
  for (const f of failures) t.match(f.reason, /collision/)
  // Both publishers send from bus 0's one socket: the failures name it, as the deliveries do.
  for (const f of failures) t.same(f.publisher, got.deliveries[0]!.publisher)
  got.stop()
})
