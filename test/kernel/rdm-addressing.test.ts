// RDM addressing against the real kernel: anycast round-robin over a name,
// multicast to every overlapping binding, unicast to a socket address, the
// destination name reported with each message, several bindings per
// socket, unbind.
import t from 'tap'
import { DatagramSocket, ownNode, type MessageBatch, type TipcMessage } from '../../bindings/index.js'
import { kernelSkip, str, text, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()

function collect(socket: DatagramSocket): TipcMessage[] {
  const got: TipcMessage[] = []
  socket.onMessages((batch: MessageBatch) => {
    for (const m of batch) got.push(m)
  })
  return got
}

t.test('own address and node id', { skip }, async t => {
  const s = DatagramSocket.open()
  t.teardown(() => s.close())
  const a = s.address()
  t.equal(a.node, ownNode(), 'socket node is the own node')
  t.ok(a.ref > 0, 'port reference assigned')
})

t.test('anycast to a service address round-robins over matching bindings', { skip }, async t => {
  const a = DatagramSocket.open()
  const b = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [a, b, tx].forEach(s => s.close()))
  a.bind({ type: TYPE, lower: 0, upper: 99 })
  b.bind({ type: TYPE, lower: 0, upper: 99 })
  const gotA = collect(a)
  const gotB = collect(b)
  for (let i = 0; i < 10; i++) t.ok(tx.sendto({ type: TYPE, instance: 7 }, text(`m${i}`)))
  await until(() => (gotA.length + gotB.length === 10 ? true : undefined), 5000, '10 messages')
  t.equal(gotA.length, 5, 'half to the first binding')
  t.equal(gotB.length, 5, 'half to the second binding')
  t.same(gotA[0]!.dest, { type: TYPE, lower: 7, upper: 7 }, 'destination name reported')
  t.same(gotA[0]!.from, tx.address(), 'source socket reported')
})

t.test('multicast to a range reaches every socket with an overlapping binding', { skip }, async t => {
  const low = DatagramSocket.open()
  const high = DatagramSocket.open()
  const outside = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [low, high, outside, tx].forEach(s => s.close()))
  low.bind({ type: TYPE + 1, lower: 0, upper: 9 })
  high.bind({ type: TYPE + 1, lower: 10, upper: 19 })
  outside.bind({ type: TYPE + 1, lower: 50, upper: 59 })
  const gotLow = collect(low)
  const gotHigh = collect(high)
  const gotOutside = collect(outside)
  t.ok(tx.mcast({ type: TYPE + 1, lower: 5, upper: 15 }, text('to both')))
  await until(() => (gotLow.length && gotHigh.length ? true : undefined))
  t.equal(str(gotLow[0]!.data), 'to both')
  t.equal(str(gotHigh[0]!.data), 'to both')
  t.same(gotHigh[0]!.dest, { type: TYPE + 1, lower: 5, upper: 15 }, 'multicast destination is the range sent to')
  // a unicast afterwards proves `outside` was reachable, so its silence means something
  t.ok(tx.sendto(outside.address(), text('direct')))
  await until(() => (gotOutside.length ? true : undefined))
  t.same(gotOutside.map(m => str(m.data)), ['direct'], 'the non-overlapping binding got only the unicast')
})

t.test('unicast to a socket address carries no destination name', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  const got = collect(rx)
  t.ok(tx.sendto(rx.address(), text('hi')))
  await until(() => (got.length ? true : undefined))
  t.equal(str(got[0]!.data), 'hi')
  t.equal(got[0]!.dest, undefined, 'no TIPC_DESTNAME for a socket address')
})

t.test('several bindings per socket, and unbind withdraws one', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE + 2, instance: 1 })
  rx.bind({ type: TYPE + 2, lower: 10, upper: 20 }, 'node')
  rx.bind({ type: TYPE + 3, instance: 1 })
  const got = collect(rx)
  tx.sendto({ type: TYPE + 2, instance: 1 }, text('a'))
  tx.sendto({ type: TYPE + 2, instance: 15 }, text('b'))
  tx.sendto({ type: TYPE + 3, instance: 1 }, text('c'))
  await until(() => (got.length === 3 ? true : undefined))
  t.same(got.map(m => str(m.data)), ['a', 'b', 'c'])
  rx.unbind({ type: TYPE + 2, lower: 10, upper: 20 }, 'node')
  t.throws(() => tx.sendto({ type: TYPE + 2, instance: 15 }, text('gone')), { code: 'EHOSTUNREACH' })
  t.ok(tx.sendto({ type: TYPE + 2, instance: 1 }, text('still bound')))
})

t.test('DGRAM sockets: the same addressing, datagrams that may be dropped', { skip }, async t => {
  const rx = DatagramSocket.open({ kind: 'dgram' })
  const tx = DatagramSocket.open({ kind: 'dgram' })
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  t.equal(rx.kind, 'dgram')
  rx.bind({ type: TYPE + 4, lower: 0, upper: 9 })
  const got = collect(rx)
  t.ok(tx.sendto({ type: TYPE + 4, instance: 3 }, text('by name')))
  t.ok(tx.mcast({ type: TYPE + 4, lower: 0, upper: 9 }, text('by range')))
  t.ok(tx.sendto(rx.address(), text('by socket')))
  await until(() => (got.length === 3 ? true : undefined))
  t.same(got.map(m => str(m.data)), ['by name', 'by range', 'by socket'])
})
