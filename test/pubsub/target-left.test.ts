// A target whose binding is withdrawn before it acked gets 'left' in every
// pending message that still waits on it, and a socket target a gap notice.
import t from 'tap'
import { ackEnv, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('left: every pending message waiting on the target, and only those', async t => {
  const env = ackEnv()
  env.publish(1, [A, B])
  env.publish(2, [A, B])
  env.publish(3, [B])
  env.tracker.ack(1, A, 1)
  env.clock.advance(30)
  env.tracker.left(A)
  t.same(env.outcomes.filter(o => o.kind === 'left').map(o => [o.seq, o.target, o.at]), [[2, A, 30]], 'message 1 was acked by A already')
  t.same(env.abandoned, [{ seq: 2, target: A, reason: 'left' }])
  env.tracker.ack(2, A, 1)
  t.equal(env.tracker.stats.late, 1, 'an ack after left does not change the outcome')
  for (const seq of [1, 2, 3]) env.tracker.ack(seq, B, 1)
  t.equal(env.receipts.get(1)!.ok, true)
  t.equal(env.receipts.get(2)!.ok, false)
  t.same(env.receipts.get(2)!.outcomes.map(o => o.kind), ['left', 'acked'])
  t.equal(env.receipts.get(3)!.ok, true)
})

t.test('a group that left: final, without a gap notice', async t => {
  const env = ackEnv()
  env.publish(1, ['g:100'], 'one')
  env.tracker.left('g:100')
  t.equal(env.receipts.get(1)!.outcomes[0]!.kind, 'left')
  t.equal(env.receipts.get(1)!.outcomes[0]!.group, 100)
  t.same(env.abandoned, [])
})

t.test('left through a seq: a message sent to the target after that seq (it came back) is not failed', async t => {
  const env = ackEnv()
  env.publish(1, [A, B])
  env.publish(2, [A, B])
  env.publish(3, [A, B])
  env.tracker.left(A, 2)
  t.same(env.outcomes.filter(o => o.kind === 'left').map(o => o.seq), [1, 2], 'only seqs 1 and 2')
  env.tracker.ack(3, A, 1)
  for (const seq of [1, 2, 3]) env.tracker.ack(seq, B, 1)
  t.equal(env.receipts.get(3)!.ok, true, 'seq 3 was acked by A after all')
  t.equal(env.receipts.get(2)!.ok, false)
})
