// Nothing stays behind a settled message: after 10,000 messages settled
// every way there is, nothing is pending and no timer is left.
import t from 'tap'
import { ackEnv, sockets } from './ack-env.js'

t.test('10,000 messages: pendingCount 0, pendingBytes 0, no timer left', async t => {
  const env = ackEnv({ timeoutMs: 1000 })
  const targets = sockets(3)
  const [A, B, C] = targets as [string, string, string]
  for (let seq = 1; seq <= 10_000; seq++) {
    env.tracker.track(seq, { topic: 'x', ack: seq % 7 === 0 ? 'one' : 'all', targets, bytes: 100 })
    switch (seq % 5) {
      case 0: for (const x of targets) env.tracker.ack(seq, x, 1); break
      case 1: env.tracker.ack(seq, A, 1); env.tracker.returned(seq, B, 'NO_PORT'); env.tracker.term(seq, C, 1, 'no'); break
      case 2: env.tracker.nak(seq, A, 1, 5); env.tracker.returned(seq, B, 'OVERLOAD'); break // left to resends and the deadline
      case 3: env.tracker.working(seq, A, 1); break
      default: break
    }
    if (seq % 1000 === 0) env.clock.advance(50)
  }
  t.ok(env.tracker.pendingCount > 0, `${env.tracker.pendingCount} pending before time runs out`)
  env.clock.runAll()
  t.equal(env.receipts.size, 10_000, 'every message settled')
  t.same(env.settledTwice, [])
  t.equal(env.tracker.pendingCount, 0)
  t.equal(env.tracker.pendingBytes, 0)
  t.equal(env.clock.pendingTimers, 0)
  t.ok(env.tracker.stats.resends > 0, 'resends happened')
})
