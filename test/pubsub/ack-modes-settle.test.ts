// Each ack mode settles by its own rule: 'all' when every target has a final
// outcome, 'one' at the first ack (or when none can ack), a quorum n at the
// n-th ack (or when fewer than n can), 'none' at once.
import t from 'tap'
import { checkAckMode, settlement } from '../../core/pubsub/ack-mode.js'
import { InvalidArgumentError } from '../../core/transport-contract/index.js'
import { ackEnv, sockets } from './ack-env.js'

const [A, B, C] = sockets(3) as [string, string, string]

t.test("'all' waits for every target, even after a failure, and is ok only if all acked", async t => {
  const env = ackEnv()
  env.publish(1, [A, B, C], 'all', { bytes: 10 })
  env.tracker.ack(1, A, 1)
  env.tracker.returned(1, B, 'NO_PORT')
  t.notOk(env.receipts.has(1), 'still waiting for C after B failed')
  env.tracker.ack(1, C, 1)
  const r = env.receipts.get(1)!
  t.equal(r.ok, false, 'B returned: not ok')
  t.same(r.outcomes.map(o => [o.target, o.kind]), [[A, 'acked'], [B, 'returned'], [C, 'acked']])
  t.same(r.expected, [A, B, C])
  t.same(r.unsettled, [])
  t.equal(r.meaning, 'processed')

  env.publish(2, [A, B], 'all', { bytes: 10 })
  env.tracker.ack(2, B, 1)
  env.tracker.ack(2, A, 1)
  t.equal(env.receipts.get(2)!.ok, true, 'every target acked: ok')
  t.equal(env.tracker.pendingCount, 0)
  t.equal(env.clock.pendingTimers, 0, 'no timer left once settled')
})

t.test("'one' settles at the first ack; the others are unsettled and no longer resent", async t => {
  const env = ackEnv()
  env.publish(1, [A, B, C], 'one')
  env.tracker.ack(1, B, 1)
  const r = env.receipts.get(1)!
  t.equal(r.ok, true)
  t.same(r.unsettled, [A, C])
  env.clock.advance(10_000)
  t.same(env.resends, [], 'nothing resent after settling')

  env.publish(2, [A, B], 'one')
  env.tracker.returned(2, A, 'NO_PORT')
  t.notOk(env.receipts.has(2), 'B can still ack')
  env.tracker.term(2, B, 1, 'bad input')
  t.equal(env.receipts.get(2)!.ok, false, 'none can ack any more: failed')
})

t.test('a quorum n settles at the n-th ack, or as soon as fewer than n can ack', async t => {
  const env = ackEnv()
  env.publish(1, [A, B, C], 2)
  env.tracker.ack(1, A, 1)
  t.notOk(env.receipts.has(1))
  env.tracker.ack(1, C, 1)
  t.equal(env.receipts.get(1)!.ok, true)
  t.same(env.receipts.get(1)!.unsettled, [B])

  env.publish(2, [A, B, C], 2)
  env.tracker.returned(2, A, 'NO_NODE')
  t.notOk(env.receipts.has(2), 'B and C can still make 2')
  env.tracker.left(B)
  t.equal(env.receipts.get(2)!.ok, false, 'only C left: 2 cannot be reached')
  t.same(env.receipts.get(2)!.unsettled, [C])

  env.publish(3, [A, B, C], 4)
  t.equal(env.receipts.get(3)!.ok, false, 'a quorum above the targets fails at once')
})

t.test("'none' is settled (ok) before track returns, with every target unsettled", async t => {
  const env = ackEnv()
  env.publish(1, [A, B], 'none')
  const r = env.receipts.get(1)!
  t.equal(r.ok, true)
  t.same(r.outcomes, [])
  t.same(r.unsettled, [A, B])
  t.equal(r.settledAt, r.publishedAt)
  t.equal(env.tracker.pendingCount, 0)
  t.equal(env.clock.pendingTimers, 0)
})

t.test('the rule itself, and what an ack mode may be', async t => {
  t.equal(settlement('all', 3, 2, 1), 'pending')
  t.equal(settlement('all', 3, 3, 0), 'ok')
  t.equal(settlement('all', 3, 2, 0), 'failed')
  t.equal(settlement('one', 3, 0, 1), 'pending')
  t.equal(settlement('one', 3, 0, 0), 'failed')
  t.equal(settlement(2, 3, 1, 1), 'pending')
  t.equal(settlement(2, 3, 1, 0), 'failed')
  t.equal(settlement('none', 3, 0, 3), 'ok')
  for (const good of ['none', 'all', 'one', 1, 7] as const) t.equal(checkAckMode(good), good)
  for (const bad of [0, -1, 1.5, 'some', null, Number.NaN]) t.throws(() => checkAckMode(bad), InvalidArgumentError, String(bad))
})

t.test('track refuses what is a bug in the caller', async t => {
  const env = ackEnv()
  t.throws(() => env.publish(1, []), InvalidArgumentError, 'no targets')
  t.throws(() => env.publish(1, [A, A]), InvalidArgumentError, 'a target twice')
  t.throws(() => env.publish(0, [A]), InvalidArgumentError, 'seq 0')
  t.throws(() => env.publish(1, ['A']), InvalidArgumentError, 'not a target id')
  t.throws(() => env.tracker.track(1, { topic: 'x', ack: 'all', targets: [A], bytes: -1 }), InvalidArgumentError, 'bytes')
  t.throws(() => env.publish(1, [A], 'all', { timeoutMs: 0 }), InvalidArgumentError, 'timeout')
  env.publish(1, [A])
  t.throws(() => env.publish(1, [A]), InvalidArgumentError, 'seq twice')
  t.equal(env.tracker.stats.tracked, 1)
})
