// TIPC's delivery rules at the receiving udp node (shared/delivery.ts,
// shared/returned.ts), each with a message still on its way when the
// receiving side changes: an anycast whose socket closed is looked up again
// (another binding, else NO_NAME); a multicast goes to the sockets bound
// when it arrives; a multicast copy refused on another node (OVERLOAD, or
// NO_PORT when left unread at close) comes back to the sender's node by
// name, as on the kernel: to the sockets there bound to the range.
import { randomInt } from 'node:crypto'
import t from 'tap'
import { openUdpCluster } from '../conformance/clusters/udp.js'
import { bindingsVisible, inbox, str, text, until } from '../conformance/wait.js'

const newType = () => 0x5000_0000 + randomInt(0, 0xffffff)

t.test('an anycast whose socket closed on the way goes to another binding of the name on that node', async t => {
  const [a, b] = await openUdpCluster(2)
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const type = newType()
  const first = b!.rdm()
  first.bind({ type, instance: 1 })
  const second = b!.rdm()
  second.bind({ type, instance: 1 })
  const got = inbox(second)
  await bindingsVisible(a!, { type, lower: 1, upper: 1 }, 2)
  const tx = a!.rdm()
  const back = inbox(tx)
  t.ok(tx.send({ type, instance: 1 }, text('rerouted')), 'taken (to the first binding, round-robin from the start)')
  first.close() // before the record reaches b
  await got.marker('rerouted')
  t.same(got.data[0]!.dest, { type, lower: 1, upper: 1 }, 'with the name it was sent to')
  t.equal(back.messages.length, 0, 'nothing came back')
  t.equal(b!.stats().node.returned.NO_NAME, 0)
})

t.test('an anycast whose name is gone on arrival comes back NO_NAME', async t => {
  const [a, b] = await openUdpCluster(2)
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const type = newType()
  const rx = b!.rdm()
  rx.bind({ type, instance: 1 })
  const address = rx.address
  await bindingsVisible(a!, { type, lower: 1, upper: 1 }, 1)
  const tx = a!.rdm()
  const back = inbox(tx)
  tx.send({ type, instance: 1 }, text('nobody'))
  rx.close()
  const [m] = await back.count(1, 'the return')
  t.equal(m!.returned!.code, 'NO_NAME')
  t.equal(str(m!.returned!.data), 'nobody', 'with its bytes')
  t.same(m!.dest, { type, lower: 1, upper: 1 }, 'and the name')
  t.same(m!.from, address, 'from the socket it was meant for')
  t.equal(b!.stats().node.returned.NO_NAME, 1, 'counted where it was given back')
})

t.test('a multicast goes to the sockets bound when it arrives; none: counted, not returned', async t => {
  const [a, b] = await openUdpCluster(2)
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const type = newType()
  const range = { type, lower: 0, upper: 9 }
  const early = b!.rdm()
  early.bind(range)
  const earlyBox = inbox(early)
  await bindingsVisible(a!, range, 1)
  const tx = a!.rdm()
  const back = inbox(tx)
  tx.send(range, text('one'))
  early.unbind(range)
  const late = b!.rdm()
  late.bind(range)
  const lateBox = inbox(late)
  await lateBox.marker('one')
  late.unbind(range)
  tx.send(range, text('two'))
  // a still knows late's binding when it sends 'two'; at b nothing is bound by then.
  await until(() => (b!.stats().node.multicastMissed === 1 ? true : undefined), 'the missed copy counted')
  t.equal(earlyBox.messages.length, 0, 'the socket that unbound got nothing')
  t.equal(lateBox.data.length, 1, 'the socket bound on arrival got it, once')
  const probe = b!.rdm()
  probe.send(tx.address, text('probe')) // after any return b would have given
  await back.marker('probe')
  t.equal(back.returns.length, 0, 'no multicast copy came back')
})

t.test('a multicast copy refused on another node comes back by name: OVERLOAD from a full queue, NO_PORT when left unread at close', async t => {
  const [a, b] = await openUdpCluster(2, { receiveQueueLimit: 1 })
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const type = newType()
  const range = { type, lower: 0, upper: 9 }
  const rx = b!.rdm()
  rx.bind(range) // no handler: messages wait in its queue
  const bystander = a!.rdm()
  bystander.bind({ type, lower: 5, upper: 5 }) // overlaps the range, on the sender's node
  const byName = inbox(bystander)
  await bindingsVisible(a!, range, 2)
  const tx = a!.rdm()
  const back = inbox(tx)
  tx.send(range, text('queued'))
  await byName.marker('queued') // read at once: the bystander's own queue never fills
  tx.send(range, text('refused'))
  const [m] = await until(() => (byName.returns.length >= 1 ? byName.returns : undefined), 'the OVERLOAD return')
  t.equal(m!.returned!.code, 'OVERLOAD')
  t.equal(str(m!.returned!.data), 'refused')
  t.same(m!.dest, range, 'with the range it was sent to')
  rx.close()
  await until(() => (byName.returns.length >= 2 ? true : undefined), 'the NO_PORT return')
  t.same(byName.returns.map(r => [r.returned!.code, str(r.returned!.data)]), [['OVERLOAD', 'refused'], ['NO_PORT', 'queued']],
    'the copy left unread at close came back too')
  const probe = b!.rdm()
  probe.send(tx.address, text('probe'))
  await back.marker('probe')
  t.equal(back.returns.length, 0, 'nothing came back to the (unbound) sender')
  t.same(b!.stats().node.returned, { NO_NAME: 0, NO_PORT: 1, NO_NODE: 0, OVERLOAD: 1, CONN_SHUTDOWN: 0 })
})
