// Node crash: messages on their way to the node return NO_NODE, its
// bindings are withdrawn, the others see it down, connections to it end
// with PeerLostError('NO_NODE'), and the crashed transport is closed.
import t from 'tap'
import { PeerLostError, TransportClosedError } from '../../core/transport-contract/errors.js'
import type { BindingEvent, NodeEvent } from '../../core/transport-contract/topology.js'
import { MemoryNetwork } from '../../core/transports/memory/index.js'
import { numbered, numberOf, record } from './memory-env.js'

const TYPE = 2000

t.test('pending messages return NO_NODE; bindings withdrawn; node down', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const rx = b.rdm()
  rx.bind({ type: TYPE, instance: 1 })
  const events: BindingEvent[] = []
  const nodes: NodeEvent[] = []
  a.subscribe({ type: TYPE, lower: 0, upper: 9 }, e => events.push(e))
  a.watchNodes(e => nodes.push(e))
  await network.settle()
  const tx = a.rdm()
  const back = record(tx)
  for (let i = 0; i < 3; i++) tx.send({ type: TYPE, instance: 1 }, numbered(i, 2000))
  network.crash(b.node) // before the next tick: all three are on their way
  await network.settle()
  t.same(back.map(m => m.returned?.code), ['NO_NODE', 'NO_NODE', 'NO_NODE'])
  t.same(back.map(numberOf), [0, 1, 2])
  t.equal(back[0]!.returned!.data.byteLength, 1024, 'truncated to 1024 bytes')
  t.equal(back[0]!.returned!.length, 1024, 'the reported length is that of the returned data, as on the kernel')
  t.same(events.map(e => e.kind), ['published', 'withdrawn'])
  t.same(nodes.filter(e => e.kind === 'down'), [{ kind: 'down', node: b.node }])
  t.equal(network.stats.returned.NO_NODE, 3)
  t.equal(b.closed, true)
  t.equal(rx.closed, true)
  t.throws(() => b.rdm(), TransportClosedError)
  t.throws(() => tx.send({ type: TYPE, instance: 1 }, numbered(9)), { code: 'EHOSTUNREACH' }, 'the name is gone')
})

t.test("a connection's peer node crashes: PeerLostError('NO_NODE')", async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  b.listen({ type: TYPE, instance: 2 }).onConnection(() => {})
  const client = await a.connect({ type: TYPE, instance: 2 })
  client.onMessages(() => {})
  network.crash(b.node)
  const err = await client.whenEnded()
  t.type(err, PeerLostError)
  t.equal((err as PeerLostError).reason, 'NO_NODE')
})

t.test("messages sent by a node that crashes before they arrive are lost, and counted", async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const rx = b.rdm()
  const got = record(rx)
  a.rdm().send(rx.address, numbered(1))
  network.crash(a.node)
  await network.settle()
  t.equal(got.length, 0)
  t.equal(network.stats.lostInCrash, 1)
})

t.test('a crashed node can come back with the same id; it is a new incarnation', async t => {
  const network = new MemoryNetwork()
  const a = network.open()
  const b = network.open()
  const old = b.rdm()
  network.crash(b.node)
  const again = network.open({ node: b.node })
  t.equal(again.node, b.node)
  const fresh = again.rdm()
  t.not(fresh.address.ref, old.address.ref, 'refs are never reused')
  const tx = a.rdm()
  const back = record(tx)
  tx.send(old.address, numbered(5))
  await network.settle()
  t.equal(back[0]!.returned!.code, 'NO_PORT', 'the old socket is gone on the new node')
})
