// close() settles everything pending at once: what had no outcome is
// unsettled, the receipt says why, timers are gone, and nothing more is taken.
import t from 'tap'
import { PublisherClosedError } from '../../core/pubsub/errors.js'
import { ackEnv, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('close settles the pending messages with the reason, once', async t => {
  const env = ackEnv()
  env.publish(1, [A, B])
  env.publish(2, [A], 'one')
  env.tracker.ack(1, A, 1)
  env.tracker.close('bus closed')
  env.tracker.close('again')
  const r = env.receipts.get(1)!
  t.same([r.ok, r.unsettled, r.closedReason], [false, [B], 'bus closed'])
  t.same([env.receipts.get(2)!.ok, env.receipts.get(2)!.unsettled], [false, [A]])
  t.equal(env.clock.pendingTimers, 0)
  t.same(env.settledTwice, [])
  env.tracker.ack(1, B, 1)
  t.equal(env.tracker.stats.late, 1)
  t.throws(() => env.publish(3, [A]), PublisherClosedError)
})
