// Manual acks, driven with the Delivery objects a subscriber is handed:
// nak(delay) has the message delivered again as attempt 2, whose ack settles
// the receipt; term(reason) reaches the receipt as 'terminated' with the
// reason; an ack of attempt 1 after its nak settles nothing; working()
// keeps a subscriber that takes longer than the deadline from timing out.
import { systemClock } from '../../../core/pubsub/clock.js'
import { DEPARTURE_PROBE_TIMEOUT_MS } from '../../../core/pubsub/departure-barrier.js'
import type { Delivery } from '../../../core/pubsub/delivery.js'
import { topicSuite, type TopicEnv } from './harness.js'
import { sleep } from './sleep.js'

type Handler = (d: Delivery<string>) => void | Promise<void>

/** A manual-ack subscriber on node 1 whose handling of each message the test decides; every delivery is kept. */
async function setUp(env: TopicEnv, handle: Handler) {
  const name = env.topicName()
  const seen: Delivery<string>[] = []
  const sub = env.bus(1).topic<string>(name).subscribe({ ack: 'manual' }).subscribe(d => {
    seen.push(d)
    void handle(d)
  })
  const pub = env.bus(0).topic<string>(name)
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  return { pub, seen, stop: () => sub.unsubscribe() }
}

topicSuite('nak(delay) redelivers as attempt 2; its ack settles the receipt', { nodes: 2 }, async (t, env) => {
  const { pub, seen, stop } = await setUp(env, d => (d.attempt === 1 ? d.nak(50) : d.ack()))
  const r = await pub.publish('again', { ack: 'all' })
  t.same(seen.map(d => [d.value, d.attempt]), [['again', 1], ['again', 2]], 'delivered twice: attempt 1, then attempt 2')
  t.equal(r.ok, true)
  t.equal(r.outcomes.length, 1)
  t.equal(r.outcomes[0]!.kind, 'acked')
  t.equal(r.outcomes[0]!.attempts, 2, 'acked on attempt 2')
  t.equal(r.attempts, 2)
  stop()
})

topicSuite('term(reason) reaches the receipt as terminated, with the reason', { nodes: 2 }, async (t, env) => {
  const { pub, seen, stop } = await setUp(env, d => d.term('no such customer'))
  const r = await pub.publish('refused', { ack: 'all' })
  t.equal(seen.length, 1, 'delivered once: a terminated message is not delivered again')
  t.equal(r.ok, false)
  t.equal(r.outcomes[0]!.kind, 'terminated')
  t.equal(r.outcomes[0]!.reason, 'no such customer')
  stop()
})

topicSuite('an ack of attempt 1 after its nak does not settle attempt 2', { nodes: 2 }, async (t, env) => {
  const { pub, seen, stop } = await setUp(env, d => {
    if (d.attempt !== 1) return // attempt 2 is left unanswered
    d.nak(0)
    d.ack()
  })
  const r = await pub.publish('late', { ack: 'all', timeoutMs: 1500 })
  t.same(seen.map(d => d.attempt), [1, 2], 'attempt 2 was delivered')
  t.equal(r.ok, false, 'the late ack of attempt 1 did not count')
  t.equal(r.outcomes[0]!.kind, 'timedOut')
  t.equal(r.outcomes[0]!.attempts, 2)
  seen[0]!.ack()
  t.equal(pub.stats().outcomes.acked ?? 0, 0, 'no ack at all reached the receipts')
  stop()
})

topicSuite('working() extends the deadline: a subscriber busy for longer than timeoutMs is acked, not timed out', { nodes: 2 }, async (t, env) => {
  const TIMEOUT = 1000
  let workings = 0
  const { pub, stop } = await setUp(env, async d => {
    // Busy for three deadlines, saying so at each half deadline.
    for (let i = 0; i < 6; i++) {
      await sleep(env.cluster.node(1), TIMEOUT / 2)
      d.working()
      workings++
    }
    d.ack()
  })
  const r = await pub.publish('slow', { ack: 'all', timeoutMs: TIMEOUT })
  t.equal(workings, 6, 'the subscriber worked past three deadlines')
  t.equal(r.ok, true)
  t.equal(r.outcomes[0]!.kind, 'acked')
  t.ok(r.settledAt - r.publishedAt > TIMEOUT, 'settled after the first deadline had passed (so working() is what kept it)')
  stop()
})

topicSuite('acks given just before the subscriber closes count: all acked, none left', { nodes: 2 }, async (t, env) => {
  // The kernel may deliver the subscriber's withdrawal before its last acks
  // (departure-barrier.ts): here the subscriber closes in the turn after its
  // last ack, as `tipc-rx tail --count` does.
  const COUNT = 500
  let acked = 0
  const { pub, stop } = await setUp(env, d => {
    d.ack()
    if (++acked === COUNT) setImmediate(stop)
  })
  const receipts = await pub.publishAll(Array.from({ length: COUNT }, (_, i) => `m${i}`), { ack: 'all' })
  t.equal(acked, COUNT, 'the subscriber acked every message')
  t.same(receipts.filter(r => !r.ok).map(r => r.outcomes.map(o => o.kind)), [], 'every receipt is acked')
})

topicSuite('a message unacked when its subscriber closes fails as left when the probe comes back, not at the probe\'s timeout', { nodes: 2 }, async (t, env) => {
  const clock = env.cluster.node(0).clock ?? systemClock
  // No resend within the probe's second: a resend to the closed socket would come back NO_PORT and end it as
  // 'returned' first on a slow host; so the outcome is 'left' either way and only its time tells the probe's return.
  env.bus(0, { resend: { initialResendMs: 5000, maxResendMs: 5000 } })
  let closedAt = 0
  const { pub, stop } = await setUp(env, () => {
    setImmediate(() => {
      closedAt = clock.now()
      stop()
    })
  })
  const r = await pub.publish('never acked', { ack: 'all', timeoutMs: 30_000 })
  t.same(r.outcomes.map(o => o.kind), ['left'])
  // The probe's return, or else its timeout: which one ended the wait (the gap between them is a whole second).
  const waited = r.outcomes[0]!.at - closedAt
  t.ok(waited < DEPARTURE_PROBE_TIMEOUT_MS, `'left' ${waited.toFixed(1)} ms after the close: the probe came back (NO_PORT)`)
})
