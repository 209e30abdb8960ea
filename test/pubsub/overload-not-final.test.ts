// OVERLOAD is never a final outcome: the copy is resent after a backoff with
// the same attempt, the overloaded hook is told, and the flow window's
// credit halves (and grows back by one per settled message).
import t from 'tap'
import { FlowWindow } from '../../core/pubsub/flow-window.js'
import { AckTracker } from '../../core/pubsub/ack-tracker.js'
import { ResendPolicy } from '../../core/pubsub/resend-policy.js'
import { ManualClock } from './manual-clock.js'
import { ackEnv, NO_JITTER, sockets } from './ack-env.js'

const [A, G] = [sockets(1)[0]!, 'g:5000']

t.test('an OVERLOAD return is resent after a backoff, then the ack settles it', async t => {
  const env = ackEnv({ random: NO_JITTER })
  env.publish(1, [A])
  env.clock.advance(50)
  env.tracker.returned(1, A, 'OVERLOAD')
  t.same(env.outcomes, [], 'no outcome')
  t.same(env.overloaded, [{ seq: 1, target: A }])
  env.clock.advance(399)
  t.same(env.resends, [], 'first backoff step was drawn at track (200); OVERLOAD draws the next (400)')
  env.clock.advance(1)
  t.same(env.resends, [{ seq: 1, target: A, attempt: 1, at: 450 }], 'resent with the same attempt')
  env.tracker.ack(1, A, 1)
  t.equal(env.receipts.get(1)!.ok, true)
  t.equal(env.tracker.stats.overloads, 1)
})

t.test('OVERLOAD on a group copy is resent to the group too', async t => {
  const env = ackEnv({ random: NO_JITTER })
  env.publish(1, [G], 'one')
  env.tracker.returned(1, G, 'OVERLOAD')
  env.clock.advance(400)
  t.same(env.resends.map(r => r.target), [G])
  t.same(env.outcomes, [])
})

t.test('overloads halve the credit down to 1; settled messages grow it back by one each', async t => {
  const window = new FlowWindow({ maxMessages: 8 })
  const clock = new ManualClock()
  const tracker: AckTracker = new AckTracker(clock, NO_JITTER, new ResendPolicy(), {
    resend: () => {},
    outcome: () => {},
    settled: () => window.release(10),
    abandoned: () => {},
    overloaded: () => window.onOverload(),
  })
  for (let seq = 1; seq <= 8; seq++) {
    t.ok(window.tryAcquire(10), `message ${seq} admitted`)
    tracker.track(seq, { topic: 'x', ack: 'all', targets: [A], bytes: 10 })
  }
  t.notOk(window.tryAcquire(10), 'window full')
  tracker.returned(1, A, 'OVERLOAD')
  t.equal(window.stats.credit, 4)
  for (let i = 0; i < 5; i++) tracker.returned(2, A, 'OVERLOAD')
  t.equal(window.stats.credit, 1, 'never below 1')
  t.equal(window.stats.overloads, 6)
  for (let seq = 1; seq <= 8; seq++) tracker.ack(seq, A, 1)
  t.equal(window.stats.credit, 8, '8 settled: back to the window')
  t.equal(window.stats.inFlight, 0)
  t.equal(tracker.pendingBytes, 0)
  t.equal(clock.pendingTimers, 0)
})

t.test('an overloaded hook that closes the publisher: the message is settled, nothing is resent', async t => {
  const env = ackEnv()
  env.spy.overloaded = () => env.tracker.close('overloaded and closed')
  env.publish(1, [A])
  env.tracker.returned(1, A, 'OVERLOAD')
  t.equal(env.receipts.get(1)!.closedReason, 'overloaded and closed')
  t.equal(env.clock.pendingTimers, 0)
  env.clock.advance(10_000)
  t.same(env.resends, [])
})
