// A queue group is one target whatever member answers: a member's answer
// counts for the message's group, or the caller names the group directly.
// With several groups a member's answer cannot be placed and is ignored.
import t from 'tap'
import { ackEnv, NO_JITTER } from './ack-env.js'

t.test('a member ack counts for the only group; the group id works too', async t => {
  const env = ackEnv()
  env.publish(1, ['g:500', 's:1:1'])
  env.tracker.ack(1, 's:3:7', 1)
  env.tracker.ack(1, 's:1:1', 1)
  t.same(env.receipts.get(1)!.outcomes.map(o => [o.target, o.subscriber]), [['g:500', { node: 3, ref: 7 }], ['s:1:1', { node: 1, ref: 1 }]])
  env.publish(2, ['g:500'], 'one')
  env.tracker.ack(2, 'g:500', 1)
  const o = env.receipts.get(2)!.outcomes[0]!
  t.same([o.kind, o.group, o.subscriber], ['acked', 500, undefined], 'no member named: none reported')
})

t.test('with two groups, a member must be placed by the caller', async t => {
  const env = ackEnv()
  env.publish(1, ['g:500', 'g:600'])
  env.tracker.ack(1, 's:3:7', 1)
  t.equal(env.tracker.stats.foreign, 1)
  env.tracker.ack(1, 'g:500', 1)
  env.tracker.ack(1, 'g:600', 1)
  t.equal(env.receipts.get(1)!.ok, true)
})

t.test('timer resends to a group go to the group (anycast), and a second member may answer', async t => {
  const env = ackEnv({ random: NO_JITTER })
  env.publish(1, ['g:500'], 'one')
  env.clock.advance(200)
  t.same(env.resends, [{ seq: 1, target: 'g:500', attempt: 1, at: 200 }])
  env.tracker.working(1, 's:2:2', 1)
  env.tracker.ack(1, 's:2:3', 1)
  t.same(env.receipts.get(1)!.outcomes[0]!.subscriber, { node: 2, ref: 3 })
})
