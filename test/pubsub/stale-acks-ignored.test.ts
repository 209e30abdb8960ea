// Every answer carries the delivery attempt: one for another attempt than
// the target's current one is ignored and counted, so a late ack of attempt 1
// cannot settle the redelivery (attempt 2) that a nak asked for.
import t from 'tap'
import { ackEnv, sockets } from './ack-env.js'

const [A] = sockets(1) as [string]

t.test('an ack of attempt 1 after attempt 2 was sent does not settle', async t => {
  const env = ackEnv()
  env.publish(1, [A])
  env.tracker.nak(1, A, 1, 10)
  env.clock.advance(10)
  t.equal(env.resends[0]!.attempt, 2)
  env.tracker.ack(1, A, 1)
  env.tracker.term(1, A, 1, 'late')
  env.tracker.working(1, A, 1)
  env.tracker.nak(1, A, 1, 0)
  t.notOk(env.receipts.has(1), 'not settled')
  t.equal(env.tracker.stats.stale, 4)
  env.tracker.ack(1, A, 3)
  t.equal(env.tracker.stats.stale, 5, 'a future attempt is no better')
  env.tracker.ack(1, A, 2)
  t.equal(env.receipts.get(1)!.ok, true)
})

t.test('answers for an unknown seq are late; from strangers, foreign', async t => {
  const env = ackEnv()
  env.tracker.ack(9, A, 1)
  env.publish(1, [A])
  env.tracker.ack(1, 's:9:9', 1)
  env.tracker.ack(1, 'g:99', 1)
  t.same([env.tracker.stats.late, env.tracker.stats.foreign], [1, 2])
  t.ok(env.tracker.has(1))
})
