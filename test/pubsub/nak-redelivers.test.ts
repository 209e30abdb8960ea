// nak(delay) asks for a redelivery: the copy is resent after the delay with
// attempt + 1, and the resend schedule starts over from there.
import t from 'tap'
import { InvalidArgumentError } from '../../core/transport-contract/index.js'
import { MAX_ATTEMPT } from '../../core/pubsub/ack-tracker.js'
import { ackEnv, NO_JITTER, sockets } from './ack-env.js'

const [A] = sockets(1) as [string]

t.test('nak resends after its delay with attempt 2; the ack of attempt 2 settles', async t => {
  const env = ackEnv({ random: NO_JITTER })
  env.publish(1, [A])
  env.clock.advance(100)
  env.tracker.nak(1, A, 1, 500)
  env.clock.advance(499)
  t.same(env.resends, [], 'not before the delay (the 200 ms resend is replaced by it)')
  env.clock.advance(1)
  t.same(env.resends, [{ seq: 1, target: A, attempt: 2, at: 600 }])
  env.clock.advance(200)
  t.same(env.resends[1], { seq: 1, target: A, attempt: 2, at: 800 }, 'unacked redelivery resent after the first backoff step')
  env.tracker.ack(1, A, 2)
  const r = env.receipts.get(1)!
  t.equal(r.ok, true)
  t.equal(r.attempts, 2)
  t.equal(r.outcomes[0]!.attempts, 2)
  t.equal(r.outcomes[0]!.copies, 3)
})

t.test('nak with no delay redelivers at once; a redelivery due after the deadline does not happen', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [A])
  env.tracker.nak(1, A, 1, 0)
  env.clock.advance(0)
  t.same(env.resends, [{ seq: 1, target: A, attempt: 2, at: 0 }])
  env.tracker.nak(1, A, 2, 5000)
  env.clock.advance(1000)
  t.equal(env.resends.filter(r => r.attempt === 3).length, 0, 'attempt 3 was never sent')
  t.equal(env.receipts.get(1)!.outcomes[0]!.kind, 'timedOut')
  t.equal(env.receipts.get(1)!.outcomes[0]!.attempts, 3)
  t.throws(() => env.tracker.nak(1, A, 3, -1), InvalidArgumentError)
})

t.test('the attempt counter ends at what the envelope can carry', async t => {
  const env = ackEnv({ timeoutMs: 1e9 })
  env.publish(1, [A])
  for (let attempt = 1; attempt <= MAX_ATTEMPT; attempt++) env.tracker.nak(1, A, attempt, 0)
  const o = env.receipts.get(1)!.outcomes[0]!
  t.equal(o.kind, 'terminated')
  t.equal(o.attempts, MAX_ATTEMPT)
  t.match(o.reason, /65535/)
})
