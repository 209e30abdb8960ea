// A message that waits in the bus socket's send queue behind a congested
// link (kernel TIPC refuses sends while a link's backlog is full; seen on
// the two-guest lossy link: 2631 of 3000 receipts timed out although the
// subscriber processed every message; then every queued message was resent
// once, behind itself) has not reached anyone yet: its deadline and resends
// start when the copy leaves, not when it was queued.
import t from 'tap'
import { Outbox } from '../../core/pubsub/outbox.js'
import type { Destination, RdmSocket } from '../../core/transport-contract/index.js'
import { ackEnv, NO_JITTER, sockets } from './ack-env.js'

const [A, B] = sockets(2) as [string, string]

t.test('departed: the deadline and the resend schedule start again from the departure', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [A, B])
  env.clock.advance(150)
  t.same(env.resends, [], 'nothing due before 200')
  env.tracker.departed(1)
  env.clock.advance(199)
  t.same(env.resends, [], 'the first resend moved to 200 ms after the departure (350)')
  env.clock.advance(1)
  t.same(env.resends.map(r => [r.target, r.at]), [[A, 350], [B, 350]])
  env.tracker.ack(1, A, 1)
  env.clock.advance(799)
  t.notOk(env.receipts.has(1), 'B is still waited on at 1149: its deadline is 1150, not 1000')
  env.clock.advance(1)
  t.same(env.receipts.get(1)!.outcomes.map(o => [o.target, o.kind, o.at]), [[A, 'acked', 350], [B, 'timedOut', 1150]])
})

t.test('departed never shortens a deadline, and ignores a target that has its outcome or a settled seq', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [A, B])
  env.tracker.ack(1, A, 1)
  env.tracker.working(1, B, 1)
  env.clock.advance(500)
  env.tracker.working(1, B, 1) // deadline 1500
  env.tracker.departed(1) // now + 1000 = 1500: unchanged
  env.clock.advance(1000)
  t.same(env.receipts.get(1)!.outcomes.map(o => [o.target, o.kind, o.at]), [[A, 'acked', 0], [B, 'timedOut', 1500]])
  env.tracker.departed(1)
  env.tracker.departed(99)
  t.same(env.settledTwice, [], 'a late departure changes nothing')
})

t.test('queued: no resend and no deadline until the copy departs, then a full timeout from there', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [A, B])
  env.tracker.queued(1)
  env.clock.advance(10_000)
  t.same(env.resends, [], 'no resend queued behind the copy it would repeat')
  t.same(env.outcomes, [], 'nobody timed out: nobody was asked yet')
  env.tracker.departed(1)
  env.clock.advance(200)
  t.same(env.resends.map(r => [r.target, r.at]), [[A, 10_200], [B, 10_200]], 'resends 200 ms after the departure')
  env.tracker.ack(1, A, 1)
  env.clock.advance(800)
  t.same(env.receipts.get(1)!.outcomes.map(o => [o.target, o.kind, o.at]), [[A, 'acked', 10_200], [B, 'timedOut', 11_000]])
})

t.test('a queued message still settles on close', async t => {
  const env = ackEnv({ random: NO_JITTER, timeoutMs: 1000 })
  env.publish(1, [A])
  env.tracker.queued(1)
  env.tracker.close('bus closed')
  t.same(env.receipts.get(1)!.unsettled, [A])
})

/** A socket whose link is congested until open() is called. */
function congestedSocket() {
  let congested = true
  let wake: (() => void) | undefined
  const sent: Uint8Array[] = []
  const socket = {
    send(_dest: Destination, bytes: Uint8Array): boolean {
      if (congested) return false
      sent.push(bytes)
      return true
    },
    writable(): Promise<void> {
      return new Promise(resolve => { wake = resolve })
    },
  } as unknown as RdmSocket
  return { socket, sent, open: () => { congested = false; wake?.() } }
}

t.test('the outbox tells when a queued item is taken, not for an item sent at once', async t => {
  const link = congestedSocket()
  const outbox = new Outbox(link.socket)
  const taken: string[] = []
  outbox.send({ node: 1, ref: 1 }, new Uint8Array([1]), undefined, () => taken.push('first'))
  outbox.send({ node: 1, ref: 1 }, new Uint8Array([2]), undefined, () => taken.push('second'))
  t.same(taken, [], 'nothing taken while the link is congested')
  link.open()
  await new Promise(resolve => setImmediate(resolve))
  t.same(taken, ['first', 'second'], 'each told when the socket took it, in order')
  t.equal(link.sent.length, 2)
  outbox.send({ node: 1, ref: 1 }, new Uint8Array([3]), undefined, () => taken.push('third'))
  t.same(taken, ['first', 'second'], 'an item the socket took at once is not reported')
  t.equal(link.sent.length, 3)
})
