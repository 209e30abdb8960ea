// working() says "still processing": that target's deadline moves to a full
// timeout from now, and its resends wait again from the first step.
import t from 'tap'
import { ackEnv, NO_JITTER, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('working extends only that target, and the ack after it still counts', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [A, B])
  env.clock.advance(900)
  env.tracker.working(1, A, 1)
  env.clock.advance(100)
  t.same(env.outcomes.map(o => [o.target, o.kind, o.at]), [[B, 'timedOut', 1000]], 'B times out at 1000, A does not')
  env.clock.advance(799)
  t.notOk(env.receipts.has(1), 'A is still waited on at 1799: its deadline is 1900')
  env.tracker.ack(1, A, 1)
  t.same(env.receipts.get(1)!.outcomes.map(o => [o.target, o.kind, o.at]), [[B, 'timedOut', 1000], [A, 'acked', 1799]])
})

t.test('without an ack, a worked-on target times out a full timeout after its last working', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [A])
  env.clock.advance(150)
  env.tracker.working(1, A, 1)
  env.clock.advance(199)
  t.same(env.resends, [], 'the 200 ms resend moved to 200 ms after working')
  env.clock.advance(1)
  t.equal(env.resends[0]!.at, 350)
  env.clock.advance(2000)
  t.equal(env.receipts.get(1)!.settledAt, 1150)
  t.same(env.abandoned, [{ seq: 1, target: A, reason: 'timeout' }])
})
