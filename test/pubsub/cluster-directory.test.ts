// The cluster directory on the memory transport: every bus answers a query
// with its topics, publishers and subscribers (names from the nodes
// themselves, nothing cached), a bus that does not answer is named, an answer
// of thousands of topics arrives whole in several parts, and a closed bus
// leaves the directory.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { DIRECTORY_SERVICE_TYPE } from '../../core/pubsub/directory-types.js'
import { BusClosedError } from '../../core/pubsub/errors.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'

function twoBuses() {
  const network = new MemoryNetwork()
  const a = new Bus(network.open(), { timeoutMs: 2000 })
  const b = new Bus(network.open(), { timeoutMs: 2000 })
  return { network, a, b }
}

t.test('each bus answers with its topics; the query merges them by name', async t => {
  const { network, a, b } = twoBuses()
  t.teardown(async () => { await a.close(); await b.close() })
  const bOrders = b.topic<string>('orders').subscribe({ partition: { lower: 0, upper: 999 } }).subscribe(() => undefined)
  const bWorkers = b.topic<string>('orders').subscribe({ group: 'workers', ack: 'manual' }).subscribe(d => d.ack())
  const aAudit = a.topic('audit').subscribe().subscribe(() => undefined)
  t.teardown(() => { bOrders.unsubscribe(); bWorkers.unsubscribe(); aAudit.unsubscribe() })
  // Presence starts watching when first asked; settling lets it learn both the socket and the group.
  a.topic<string>('orders').subscribers$().subscribe().unsubscribe()
  await network.settle()
  const receipt = await a.topic<string>('orders').publish('o-1')
  t.ok(receipt.ok, 'published to the subscribers of node b')

  const snapshot = await a.cluster.query({ timeoutMs: 500 })
  t.same(snapshot.silent, [], 'every bus answered')
  t.same(snapshot.buses.map(x => x.bus.node), [a.transport.node, b.transport.node])
  t.same(snapshot.buses.map(x => x.bus.socket), [a.cluster.address, b.cluster.address])
  t.same(snapshot.topics.map(x => x.name), ['audit', 'orders'])
  const orders = snapshot.topics[1]!
  t.equal(orders.type, a.topic('orders').type)
  t.equal(orders.codec, 'json')
  t.same(orders.nodes, [a.transport.node, b.transport.node])
  t.equal(orders.publishers.length, 1)
  t.match(orders.publishers[0], { node: a.transport.node, pid: process.pid, stream: /^[0-9a-f]{16}$/ })
  t.same(orders.subscribers.map(s => [s.node, s.lower, s.upper, s.group, s.ack, s.scope]), [
    [b.transport.node, 0, 999, undefined, 'auto', 'cluster'],
    [b.transport.node, 0, 0xffffffff, 'workers', 'manual', 'cluster'],
  ])
  t.not(orders.subscribers[1]!.type, orders.type, 'a queue group binds a type of its own')
  const aOrders = snapshot.buses[0]!.topics.find(x => x.name === 'orders')!
  t.equal(aOrders.stats.published, 1, "the publisher's counters")
  t.equal(aOrders.stats.outcomes['acked'], 2)
  const bOrdersEntry = snapshot.buses[1]!.topics.find(x => x.name === 'orders')!
  t.equal(bOrdersEntry.stats.delivered, 2, "the subscribers' counters")
  t.ok(bOrdersEntry.subscribers.every(s => s.since > 0 && s.since <= snapshot.at + 1000))
  t.same(snapshot.topics[0]!.nodes, [a.transport.node])
})

t.test('a topic filter: every bus answers about that topic only', async t => {
  const { a, b } = twoBuses()
  t.teardown(async () => { await a.close(); await b.close() })
  const subs = ['x', 'y'].map(n => b.topic(n).subscribe().subscribe(() => undefined))
  t.teardown(() => { for (const s of subs) s.unsubscribe() })
  const snapshot = await a.cluster.query({ topic: 'y' })
  t.equal(snapshot.buses.length, 2)
  t.same(snapshot.buses.map(x => x.topics.map(tp => tp.name)), [[], ['y']])
  t.same(snapshot.topics.map(x => x.name), ['y'])
})

t.test('a directory socket that does not answer is named once the timeout passes', async t => {
  const { network, a, b } = twoBuses()
  t.teardown(async () => { await a.close(); await b.close() })
  const hung = network.open().rdm()
  hung.bind({ type: DIRECTORY_SERVICE_TYPE, lower: 99, upper: 99 })
  const snapshot = await a.cluster.query({ timeoutMs: 300 })
  t.equal(snapshot.buses.length, 2, 'the others answered')
  t.same(snapshot.silent, [{ socket: hung.address, partsReceived: 0, partsExpected: undefined }])
})

t.test('2,000 topics come whole, in several answer parts', async t => {
  const { a, b } = twoBuses()
  t.teardown(async () => { await a.close(); await b.close() })
  const names = Array.from({ length: 2000 }, (_, i) => `metrics.host-${String(i).padStart(4, '0')}.cpu`)
  const subs = names.map(n => b.topic(n).subscribe().subscribe(() => undefined))
  t.teardown(() => { for (const s of subs) s.unsubscribe() })
  const snapshot = await a.cluster.query({ timeoutMs: 5000 })
  t.same(snapshot.silent, [])
  t.equal(snapshot.topics.length, 2000)
  t.same(snapshot.topics.map(x => x.name), names)
  t.ok(snapshot.topics.every(x => x.subscribers.length === 1 && x.subscribersOmitted === 0))
  t.equal(b.cluster.counters.answered, 1)
})

t.test('a closed bus leaves the directory; its pending and later queries fail with BusClosedError', async t => {
  const { network, a, b } = twoBuses()
  t.teardown(async () => { await a.close() })
  const pending = b.cluster.query({ timeoutMs: 10_000 })
  await b.close()
  await t.rejects(pending, BusClosedError)
  await t.rejects(b.cluster.query(), BusClosedError)
  await network.settle()
  const snapshot = await a.cluster.query({ timeoutMs: 300 })
  t.same(snapshot.buses.map(x => x.bus.node), [a.transport.node])
  t.same(snapshot.silent, [])
})

t.test('bad query options are refused', async t => {
  const { a, b } = twoBuses()
  t.teardown(async () => { await a.close(); await b.close() })
  await t.rejects(a.cluster.query({ timeoutMs: 0 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  await t.rejects(a.cluster.query({ topic: '' }), { code: 'ERR_TIPC_INVALID_TOPIC' })
})
