// A target with no final answer by its deadline times out: an outcome at
// the deadline, a gap notice to a socket target, and the message settles.
import t from 'tap'
import { ackEnv, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('the policy timeout, and a per-message one', async t => {
  const env = ackEnv({ timeoutMs: 3000 })
  env.publish(1, [A, B], 'all', { bytes: 5 })
  env.publish(2, [A], 'all', { bytes: 7, timeoutMs: 500 })
  t.equal(env.tracker.pendingBytes, 12)
  env.tracker.ack(1, A, 1)
  env.clock.advance(500)
  t.same(env.outcomes.map(o => [o.seq, o.target, o.kind, o.at]), [[1, A, 'acked', 0], [2, A, 'timedOut', 500]])
  t.equal(env.receipts.get(2)!.ok, false)
  t.equal(env.tracker.pendingBytes, 5)
  env.clock.advance(2500)
  t.same(env.receipts.get(1)!.outcomes.map(o => [o.target, o.kind, o.at]), [[A, 'acked', 0], [B, 'timedOut', 3000]])
  t.same(env.abandoned, [{ seq: 2, target: A, reason: 'timeout' }, { seq: 1, target: B, reason: 'timeout' }])
  t.equal(env.tracker.pendingCount, 0)
  t.equal(env.clock.pendingTimers, 0)
})

t.test("a quorum that times out lists the rest as timed out, not unsettled", async t => {
  const env = ackEnv({ timeoutMs: 1000 })
  env.publish(1, [A, B], 2)
  env.tracker.ack(1, A, 1)
  env.clock.advance(1000)
  const r = env.receipts.get(1)!
  t.equal(r.ok, false)
  t.same(r.unsettled, [])
  t.equal(r.outcomes[1]!.kind, 'timedOut')
})
