// term(reason) is final: the target processed the message and refuses it
// for good; the publisher hears the reason, resends stop, and no gap notice
// goes out (the subscriber delivered it, so it waits for nothing).
import t from 'tap'
import { ackEnv, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('term reaches the outcome with its reason and stops the resends', async t => {
  const env = ackEnv()
  env.publish(1, [A, B])
  env.tracker.term(1, A, 1, 'schema says no')
  t.same(env.outcomes.map(o => [o.target, o.kind, o.reason, o.attempts]), [[A, 'terminated', 'schema says no', 1]])
  env.clock.advance(1000)
  t.ok(env.resends.length > 0, 'B is still resent to')
  t.notOk(env.resends.some(r => r.target === A), 'A is not')
  env.tracker.ack(1, B, 1)
  t.equal(env.receipts.get(1)!.ok, false)
  t.same(env.abandoned, [])
})

t.test('a term from a group member counts for the group and names the member', async t => {
  const env = ackEnv()
  env.publish(1, ['g:300'], 'one')
  env.tracker.term(1, 's:4:4', 1, 'poison')
  const o = env.receipts.get(1)!.outcomes[0]!
  t.same([o.kind, o.reason, o.group, o.subscriber], ['terminated', 'poison', 300, { node: 4, ref: 4 }])
})
