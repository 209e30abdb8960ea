// A returned copy that is not the receiving socket's own. TIPC gives a
// multicast copy refused on another node back to the sockets bound to its
// name on the sender's node: here a publisher and a subscriber on node A, a
// second subscriber on node B that closes with a copy unread. The bystander
// on A is handed B's returned copy: it counts it (foreignReturns) and
// delivers nothing extra.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'
import { collect } from './suite/collect.js'
import { until } from './suite/until.js'

t.test('memory: a bystander subscriber counts another socket\'s returned multicast copy and delivers nothing extra', async t => {
  const network = new MemoryNetwork({ seed: 9 })
  const [a, b] = [network.open(), network.open()]
  const pubBus = new Bus(a)
  const bystanderBus = new Bus(a)
  const leaverBus = new Bus(b)
  t.teardown(async () => {
    for (const bus of [pubBus, bystanderBus, leaverBus]) await bus.close()
    await a.close()
    await b.close()
  })
  const bystander = collect(bystanderBus.topic<{ n: number }>('returns').subscribe())
  // B's consumer holds its first message until the end and buffers one more: then its socket pauses,
  // and the third message waits unread in the socket's queue.
  let open!: () => void
  const gate = new Promise<void>(resolve => { open = resolve })
  const leaver = leaverBus.topic<{ n: number }>('returns').subscribe({ buffer: { size: 1, policy: 'block' } })
  const leaverGot: number[] = []
  const consuming = leaver.consume(async d => {
    leaverGot.push(d.value.n)
    await gate
  })
  const pub = pubBus.topic<{ n: number }>('returns')
  await pub.whenSubscribed(2)

  // Fire and forget: a message B never acks would be resent to B by unicast, and those come back to the publisher's own socket.
  for (const n of [1, 2, 3]) {
    await pub.publish({ n }, { ack: 'none' })
    await until(`message ${n} at the bystander`, () => bystander.values.length === n)
    if (n < 3) await until(`message ${n} read on B`, () => leaverBus.stats('returns').received === n)
  }
  t.equal(leaverBus.stats('returns').received, 2, 'B read two; the third is unread in its queue')
  leaver.close()
  await until('the returned copy at the bystander', () => bystanderBus.stats('returns').foreignReturns >= 1)
  t.ok(network.stats.returned.NO_PORT >= 1, 'the unread copy was returned (NO_PORT)')

  const receipt = await pub.publish({ n: 4 })
  t.equal(receipt.ok, true, 'the publisher goes on with the bystander alone')
  t.same(receipt.outcomes.map(o => o.kind), ['acked'])
  t.same(bystander.values.map(v => v.n), [1, 2, 3, 4], 'the bystander delivered each message once, nothing extra')
  t.equal(bystanderBus.stats('returns').foreignReturns, 1, 'one foreign return: B\'s unread copy')
  t.same(leaverGot, [1], 'B only started on the first')
  open()
  await consuming
  bystander.stop()
})
