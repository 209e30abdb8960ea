// TIPC's delivery rules at the receiving memory node (shared/delivery.ts,
// shared/returned.ts), each with a message still on its way (one tick) when
// the receiving side changes: an anycast whose socket closed is looked up
// again (another binding, on any node: the memory network sees them all;
// else NO_NAME); a multicast goes to the sockets bound when it arrives; a
// multicast copy comes back only when a full queue refuses it (OVERLOAD),
// never when left unread at close or lost with its node.
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

t.test('a multicast copy comes back OVERLOAD from a full queue, not NO_PORT at close nor NO_NODE in a crash', async t => {
  const network = new MemoryNetwork({ receiveQueueLimit: 1 })
  const [a, b, c] = [network.open(), network.open(), network.open()]
  const range = { type: TYPE, lower: 20, upper: 29 }
  const rx = b.rdm()
  rx.bind(range) // no handler: messages wait in its queue
  c.rdm().bind(range)
  const tx = a.rdm()
  const back = record(tx)
  tx.send(range, numbered(1))
  await network.settle()
  tx.send(range, numbered(2))
  network.crash(c.node) // copy 2 to c is on its way
  await network.settle()
  t.same(back.map(m => m.returned?.code), ['OVERLOAD'], 'only b refusing copy 2 came back')
  t.same(back.map(numberOf), [2])
  rx.close()
  await network.settle()
  t.equal(back.length, 1, 'the copy left unread at close did not come back')
  t.same(network.stats.returned, { NO_NAME: 0, NO_PORT: 0, NO_NODE: 0, OVERLOAD: 1, CONN_SHUTDOWN: 0 })
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
