// Hooks may call back into the tracker before they return (a loopback
// transport acks inside send; a bus closes inside an outcome handler): the
// tracker stops at once for a message settled under it, and still settles
// it exactly once.
import t from 'tap'
import { ackEnv, NO_JITTER, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('an outcome hook that closes the tracker during timeouts', async t => {
  const env = ackEnv({ timeoutMs: 1000 })
  env.spy.outcome = () => env.tracker.close('closed by a handler')
  env.publish(1, [A, B])
  env.clock.advance(1000)
  const r = env.receipts.get(1)!
  t.same(r.outcomes.map(o => [o.target, o.kind]), [[A, 'timedOut']], 'B was never given an outcome')
  t.same([r.unsettled, r.closedReason], [[B], 'closed by a handler'])
  t.same(env.settledTwice, [])
  t.equal(env.clock.pendingTimers, 0)
})

t.test('a resend hook whose send is acked at once: the other target is not resent to', async t => {
  const env = ackEnv({ random: NO_JITTER })
  env.spy.resend = (seq, target, attempt) => env.tracker.ack(seq, target, attempt)
  env.publish(1, [A, B], 'one')
  env.clock.advance(200)
  t.same(env.resends.map(r => r.target), [A], 'A resent and acked; B not resent')
  t.equal(env.receipts.get(1)!.ok, true)
  t.same(env.receipts.get(1)!.unsettled, [B])
  t.equal(env.clock.pendingTimers, 0)
})

t.test('a resend hook that closes: nothing is armed again', async t => {
  const env = ackEnv({ random: NO_JITTER })
  env.spy.resend = () => env.tracker.close('closed while resending')
  env.publish(1, [A])
  env.clock.advance(200)
  t.equal(env.receipts.get(1)!.closedReason, 'closed while resending')
  t.equal(env.clock.pendingTimers, 0)
})
