// A copy that comes back (NO_PORT, NO_NODE, NO_NAME) is final for a socket
// target: 'returned' with its code, and a gap notice unless the socket is
// gone (NO_PORT). For a queue group it goes to the group again by anycast:
// at once the first time, after a backoff when it keeps coming back, until
// the deadline.
import t from 'tap'
import { ackEnv, NO_JITTER, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]
const G = 'g:7000'

t.test('NO_PORT and NO_NODE are final for a socket; only NO_NODE gets a gap notice', async t => {
  const env = ackEnv()
  env.publish(1, [A, B])
  env.clock.advance(5)
  env.tracker.returned(1, A, 'NO_PORT')
  env.tracker.returned(1, B, 'NO_NODE')
  const r = env.receipts.get(1)!
  t.same(r.outcomes.map(o => [o.target, o.kind, o.code, o.at]), [[A, 'returned', 'NO_PORT', 5], [B, 'returned', 'NO_NODE', 5]])
  t.same(r.outcomes[0]!.subscriber, { node: 1, ref: 1 })
  t.equal(r.ok, false)
  t.same(env.abandoned, [{ seq: 1, target: B, reason: 'returned' }], 'the closed socket waits for nothing')
  env.tracker.returned(1, A, 'NO_PORT')
  t.equal(env.tracker.stats.late, 1, 'a return for a settled message is late')
})

t.test('NO_NAME is final for a socket too, with a notice', async t => {
  const env = ackEnv()
  env.publish(1, [A])
  env.tracker.returned(1, A, 'NO_NAME')
  t.equal(env.receipts.get(1)!.outcomes[0]!.code, 'NO_NAME')
  t.same(env.abandoned, [{ seq: 1, target: A, reason: 'returned' }])
})

t.test('a group copy returned goes to the group again: at once, then after a backoff', async t => {
  const env = ackEnv({ random: NO_JITTER })
  env.publish(1, [G], 'one')
  env.clock.advance(10)
  env.tracker.returned(1, G, 'NO_PORT')
  env.clock.advance(0)
  t.same(env.resends, [{ seq: 1, target: G, attempt: 1, at: 10 }], 're-anycast at once, same attempt')
  env.tracker.returned(1, G, 'NO_NODE')
  env.clock.advance(199)
  t.equal(env.resends.length, 1, 'a second return waits a backoff')
  env.clock.advance(1)
  t.same(env.resends[1], { seq: 1, target: G, attempt: 1, at: 210 })
  t.same(env.outcomes, [], 'no outcome for the group yet')
  env.tracker.ack(1, 's:2:9', 1)
  const r = env.receipts.get(1)!
  t.equal(r.ok, true)
  t.same(r.outcomes[0]!.subscriber, { node: 2, ref: 9 }, 'the member that answered')
  t.equal(r.outcomes[0]!.group, 7000)
  t.equal(r.outcomes[0]!.copies, 3)
  t.same(env.abandoned, [], 'groups get no gap notices')
})

t.test('a group whose copies keep coming back times out at the deadline', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [G], 'one')
  for (let i = 0; i < 20 && !env.receipts.has(1); i++) {
    env.tracker.returned(1, G, 'NO_NAME')
    env.clock.advance(100)
  }
  const r = env.receipts.get(1)!
  t.equal(r.outcomes[0]!.kind, 'timedOut')
  t.equal(r.settledAt, 1000)
  t.same(env.abandoned, [])
})

t.test('a return from no target of the message is foreign', async t => {
  const env = ackEnv()
  env.publish(1, [A])
  env.tracker.returned(1, B, 'NO_PORT')
  t.equal(env.tracker.stats.foreign, 1)
  t.ok(env.tracker.has(1))
})
