// The topology service: existing bindings reported at subscribe time,
// published/withdrawn per binding, the 'service' filter, timeouts, cancel,
// (Node and link state need node addresses: see the cluster tests.)
import t from 'tap'
import { DatagramSocket, TopologyClient, type TopologyEvent } from '../../bindings/index.js'
import { delay, kernelSkip, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()

t.test('existing bindings at once, then published and withdrawn', { skip }, async t => {
  const before = DatagramSocket.open()
  before.bind({ type: TYPE, lower: 1, upper: 2 })
  const topo = await TopologyClient.open()
  t.teardown(() => { topo.close(); before.close() })
  const events: TopologyEvent[] = []
  topo.subscribe({ type: TYPE, lower: 0, upper: 100 }, e => events.push(e))
  await until(() => (events.length === 1 ? true : undefined))
  t.match(events[0], { kind: 'published', range: { type: TYPE, lower: 1, upper: 2 }, socket: before.address() },
    'a binding made before the subscription is reported')
  const later = DatagramSocket.open()
  later.bind({ type: TYPE, instance: 50 })
  await until(() => (events.length === 2 ? true : undefined))
  t.match(events[1], { kind: 'published', range: { lower: 50, upper: 50 }, socket: later.address() })
  later.close()
  await until(() => (events.length === 3 ? true : undefined))
  t.match(events[2], { kind: 'withdrawn', range: { lower: 50, upper: 50 } })
  t.same(events[2]!.subscription, { type: TYPE, lower: 0, upper: 100 })
})

t.test("'service' filter: first up and last down only", { skip }, async t => {
  const topo = await TopologyClient.open()
  t.teardown(() => topo.close())
  const events: TopologyEvent[] = []
  topo.subscribe({ type: TYPE + 1, lower: 0, upper: 10 }, e => events.push(e), { filter: 'service' })
  const a = DatagramSocket.open()
  const b = DatagramSocket.open()
  a.bind({ type: TYPE + 1, instance: 3 })
  b.bind({ type: TYPE + 1, instance: 3 })
  await until(() => (events.length >= 1 ? true : undefined))
  a.close()
  await delay(50)
  t.equal(events.length, 1, 'the second binding and the first withdrawal are not reported')
  b.close()
  await until(() => (events.length === 2 ? true : undefined))
  t.same(events.map(e => e.kind), ['published', 'withdrawn'])
})

t.test('a subscription with a timeout ends with a timeout event', { skip }, async t => {
  const topo = await TopologyClient.open()
  t.teardown(() => topo.close())
  const events: TopologyEvent[] = []
  topo.subscribe({ type: TYPE + 2, lower: 0, upper: 10 }, e => events.push(e), { timeoutMs: 100 })
  await until(() => (events.length ? true : undefined), 5000)
  t.equal(events[0]!.kind, 'timeout')
})

t.test('cancel stops the events of one subscription only', { skip }, async t => {
  const topo = await TopologyClient.open()
  t.teardown(() => topo.close())
  const cancelled: TopologyEvent[] = []
  const kept: TopologyEvent[] = []
  const sub = topo.subscribe({ type: TYPE + 3, lower: 0, upper: 10 }, e => cancelled.push(e))
  topo.subscribe({ type: TYPE + 3, lower: 0, upper: 10 }, e => kept.push(e))
  sub.cancel()
  const s = DatagramSocket.open()
  t.teardown(() => s.close())
  s.bind({ type: TYPE + 3, instance: 1 })
  await until(() => (kept.length ? true : undefined))
  await delay(50)
  t.equal(cancelled.length, 0, 'no events after cancel')
})
