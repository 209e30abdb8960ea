// TIPC's delivery rules at the receiving memory node (shared/delivery.ts,
// shared/returned.ts), each with a message still on its way (one tick) when
// the receiving side changes: an anycast whose socket closed is looked up
// again (another binding, on any node: the memory network sees them all;
// else NO_NAME); a multicast goes to the sockets bound when it arrives; a
// multicast copy comes back when a socket refuses it (OVERLOAD, or NO_PORT
// when left unread at close), never when lost with its node; refused on
// another node, it comes back by name (to the sender's node's sockets bound
// to the range), as on the kernel.
import t from 'tap'
import { MemoryNetwork } from '../../core/transports/memory/index.js'
import { numbered, numberOf, record } from './memory-env.js'

const TYPE = 3000

t.test('an anycast whose socket closed on the way goes to another binding, on another node too', async t => {
  const network = new MemoryNetwork()
  const [a, b, c] = [network.open(), network.open(), network.open()]
  const first = b.rdm()
  first.bind({ type: TYPE, instance: 1 })
  const second = c.rdm()
  second.bind({ type: TYPE, instance: 1 })
  const got = record(second)
  const tx = a.rdm()
  const back = record(tx)
  t.ok(tx.send({ type: TYPE, instance: 1 }, numbered(1)), 'taken (to the first binding, round-robin from the start)')
  first.close()
  await network.settle()
  t.same(got.map(numberOf), [1], 'the other binding got it')
  t.same(got[0]!.dest, { type: TYPE, lower: 1, upper: 1 })
  t.equal(back.length, 0, 'nothing came back')
})

t.test('an anycast whose name is gone on arrival comes back NO_NAME', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const rx = b.rdm()
  rx.bind({ type: TYPE, instance: 2 })
  const address = rx.address
  const tx = a.rdm()
  const back = record(tx)
  tx.send({ type: TYPE, instance: 2 }, numbered(2))
  rx.close()
  await network.settle()
  t.same(back.map(m => m.returned?.code), ['NO_NAME'])
  t.same(back.map(numberOf), [2], 'with its bytes')
  t.same(back[0]!.dest, { type: TYPE, lower: 2, upper: 2 }, 'and the name')
  t.same(back[0]!.from, address, 'from the socket it was meant for')
  t.equal(network.stats.returned.NO_NAME, 1)
})

t.test('a multicast goes to the sockets bound when it arrives; none: counted, not returned', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const range = { type: TYPE, lower: 10, upper: 19 }
  const early = b.rdm()
  early.bind(range)
  const earlyGot = record(early)
  const tx = a.rdm()
  const back = record(tx)
  tx.send(range, numbered(1))
  early.unbind(range)
  const late = b.rdm()
  late.bind(range)
  const lateGot = record(late)
  await network.settle()
  t.same(earlyGot, [], 'the socket that unbound got nothing')
  t.same(lateGot.map(numberOf), [1], 'the socket bound on arrival got it, once')
  tx.send(range, numbered(2))
  late.unbind(range)
  await network.settle()
  t.equal(network.stats.multicastMissed, 1, 'the copy that found nobody is counted')
  t.equal(back.length, 0, 'no multicast copy came back')
})

t.test('a multicast copy refused on another node comes back by name: OVERLOAD and NO_PORT, never NO_NODE in a crash', async t => {
  const network = new MemoryNetwork({ receiveQueueLimit: 1 })
  const [a, b, c] = [network.open(), network.open(), network.open()]
  const range = { type: TYPE, lower: 20, upper: 29 }
  const rx = b.rdm()
  rx.bind(range) // no handler: messages wait in its queue
  c.rdm().bind(range)
  const bystander = a.rdm()
  bystander.bind({ type: TYPE, lower: 25, upper: 25 }) // overlaps the range, on the sender's node
  const byName = record(bystander)
  const tx = a.rdm()
  const back = record(tx)
  tx.send(range, numbered(1))
  await network.settle()
  tx.send(range, numbered(2))
  network.crash(c.node) // copy 2 to c is on its way
  await network.settle()
  const returned = () => byName.filter(m => m.returned)
  t.same(returned().map(m => m.returned?.code), ['OVERLOAD'], 'only b refusing copy 2 came back, to the bystander')
  t.same(returned().map(numberOf), [2])
  rx.close()
  await network.settle()
  t.same(returned().map(m => m.returned?.code), ['OVERLOAD', 'NO_PORT'], 'the copy left unread at close came back too')
  t.same(returned().map(numberOf), [2, 1])
  t.equal(back.length, 0, 'nothing came back to the (unbound) sender')
  t.same(network.stats.returned, { NO_NAME: 0, NO_PORT: 1, NO_NODE: 0, OVERLOAD: 1, CONN_SHUTDOWN: 0 })
})

t.test('a multicast copy refused on another node, with nobody bound on the sender node: counted, dropped', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const range = { type: TYPE, lower: 40, upper: 49 }
  const rx = b.rdm()
  rx.bind(range)
  const aside = a.rdm()
  aside.bind(range, 'node') // node scope: a copy from another node never sees it
  const asideGot = record(aside)
  const tx = a.rdm()
  const back = record(tx)
  tx.send(range, numbered(1))
  await network.settle()
  rx.close()
  await network.settle()
  t.equal(network.stats.returned.NO_PORT, 1, 'given back by b')
  t.equal(network.stats.returnedMissed, 1, 'and dropped at a, counted')
  t.equal(back.length, 0, 'not to the sender')
  t.same(asideGot.map(m => m.returned?.code), [undefined], 'the node-scope socket got its own copy, and no return')
})

t.test('a multicast counts once per node it crosses to; delivered once per socket', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const range = { type: TYPE, lower: 30, upper: 39 }
  const got = [b.rdm(), b.rdm(), b.rdm()].map(s => {
    s.bind(range)
    return record(s)
  })
  a.rdm().send(range, numbered(7))
  await network.settle()
  t.same(got.map(g => g.map(numberOf)), [[7], [7], [7]], 'each socket its copy')
  t.equal(network.stats.sent, 1, 'one packet to node b')
  t.equal(network.stats.delivered, 3)
})
