// A subscription's receive buffer under a consumer slower than its
// publisher (an async handler that takes 10 ms of the network's virtual
// clock per message), through the public API, for each overflow policy:
// 'dropNewest' and 'dropOldest' drop (counted, each reported as a gap with
// reason 'dropped') and deliver the rest in order; 'error' ends the
// subscription with ReceiveBufferOverflowError; 'block' pauses the socket,
// so the publisher meets OVERLOAD and resends, and nothing is lost.
import { until } from './suite/until.js'
import t, { type Test } from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import type { Gap } from '../../core/pubsub/decode-stage.js'
import type { Delivery } from '../../core/pubsub/delivery.js'
import { ReceiveBufferOverflowError } from '../../core/pubsub/errors.js'
import type { BufferPolicy } from '../../core/pubsub/subscribe-options.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'
import type { MemoryNetworkOptions } from '../../core/transports/memory/options.js'
import type { MemoryTransport } from '../../core/transports/memory/transport.js'

const BUFFER = 4
const MESSAGES = 40

async function rig(t: Test, options: MemoryNetworkOptions = {}) {
  const network = new MemoryNetwork({ seed: 5, ...options })
  const nodes: MemoryTransport[] = [network.open(), network.open()]
  const pubBus = new Bus(nodes[0]!)
  const subBus = new Bus(nodes[1]!)
  t.teardown(async () => {
    await pubBus.close()
    await subBus.close()
    for (const n of nodes) await n.close()
  })
  /** A consumer 10 virtual ms per message: slower than anything the publisher does. */
  const slow = (into: number[]) => async (d: Delivery<{ n: number }>): Promise<void> => {
    into.push(d.value.n)
    await new Promise<void>(resolve => network.clock.setTimer(10, resolve))
  }
  return { network, pub: pubBus.topic<{ n: number }>('buffered'), sub: subBus.topic<{ n: number }>('buffered'), subBus, slow }
}

for (const policy of ['dropNewest', 'dropOldest'] as const satisfies readonly BufferPolicy[]) {
  t.test(`${policy}: drops are counted and reported as gaps; the rest is delivered in order`, async t => {
    const { pub, sub, subBus, slow } = await rig(t)
    const subscription = sub.subscribe({ buffer: { size: BUFFER, policy } })
    const gaps: Gap[] = []
    subscription.gaps$.subscribe(g => gaps.push(g))
    const got: number[] = []
    void subscription.consume(slow(got))
    await pub.whenSubscribed(1)
    // Fire and forget: what is dropped is never acked, so a receipt would only time out.
    for (let n = 0; n < MESSAGES; n++) await pub.publish({ n }, { ack: 'none' })
    // Its receipt comes when it was processed, or at once if the buffer dropped it (terminated, with the reason).
    const last = await pub.publish({ n: MESSAGES }, { ack: 'all' })
    if (last.outcomes[0]?.kind === 'terminated') t.match(last.outcomes[0].reason, /dropped by the subscriber's receive buffer/)
    await until('every message delivered or dropped', () => got.length + (subBus.stats('buffered').dropped[policy] ?? 0) >= MESSAGES + 1)
    subscription.close()

    const dropped = subBus.stats('buffered').dropped[policy] ?? 0
    t.ok(dropped > 0, `the buffer dropped (${dropped})`)
    t.equal(gaps.length, dropped, 'one gap per drop')
    t.ok(gaps.every(g => g.reason === 'dropped' && g.from === g.to), 'each a one-message gap, reason dropped')
    t.ok(got.every((n, i) => i === 0 || n > got[i - 1]!), 'delivered in order')
    t.equal(got.length + dropped, MESSAGES + 1, 'every message delivered or dropped, none twice')
    const delivered = new Set(got)
    const droppedSeqs = new Set(gaps.map(g => g.from))
    t.equal(droppedSeqs.size, dropped, 'no message dropped twice')
    if (policy === 'dropNewest') t.equal(got[0], 0, 'the oldest is kept')
    else t.ok(delivered.has(MESSAGES), 'the newest is kept')
  })
}

t.test("error: a full buffer ends the subscription with ReceiveBufferOverflowError", async t => {
  const { pub, sub, subBus, slow } = await rig(t)
  const subscription = sub.subscribe({ buffer: { size: BUFFER, policy: 'error' } })
  const got: number[] = []
  const ended = subscription.consume(slow(got)).then(() => undefined, (err: unknown) => err)
  await pub.whenSubscribed(1)
  for (let n = 0; n < MESSAGES; n++) await pub.publish({ n }, { ack: 'none' })
  const err = await ended
  t.type(err, ReceiveBufferOverflowError)
  t.equal((err as ReceiveBufferOverflowError).code, 'ERR_TIPC_RECEIVE_BUFFER_OVERFLOW')
  t.equal((err as ReceiveBufferOverflowError).size, BUFFER)
  t.ok(got.length < MESSAGES, `it stopped early (${got.length} delivered)`)
  t.same(got, got.map((_, i) => i), 'what was delivered, in order')
  t.notOk(subscription.bound, 'the subscription is unbound')
  t.equal(subBus.stats('buffered').received, got.length + BUFFER + 1, 'what came before the overflow was received')
})

t.test('block: the socket pauses, the publisher meets OVERLOAD and resends, nothing is lost', async t => {
  const { network, pub, sub, subBus, slow } = await rig(t, { receiveQueueLimit: 8 })
  const subscription = sub.subscribe({ buffer: { size: BUFFER, policy: 'block' } })
  const gaps: Gap[] = []
  subscription.gaps$.subscribe(g => gaps.push(g))
  const got: number[] = []
  void subscription.consume(slow(got))
  await pub.whenSubscribed(1)
  const receipts = await pub.publishAll(Array.from({ length: MESSAGES * 5 }, (_, n) => ({ n })), { timeoutMs: 600_000 })
  subscription.close()

  t.ok(receipts.every(r => r.ok), 'every receipt ok')
  t.same(got, Array.from({ length: MESSAGES * 5 }, (_, n) => n), 'every message once, in order')
  t.ok(network.stats.overloaded > 0, `the paused socket's queue overflowed (${network.stats.overloaded} OVERLOAD)`)
  t.ok((pub.stats().returned.OVERLOAD ?? 0) > 0, 'the publisher saw OVERLOAD')
  t.ok(pub.stats().resent > 0, 'and resent')
  t.same(gaps, [], 'no gap')
  t.same(subBus.stats('buffered').dropped, {}, 'nothing dropped')
})
