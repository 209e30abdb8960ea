// Returned messages: when a destination existed and then failed, TIPC hands
// the message back with an error code, the original length and the first
// 1024 bytes. Every case here is one the upper layers turn into a typed
// failure instead of a silent loss.
import t from 'tap'
import { DatagramSocket, type TipcMessage } from '../../bindings/index.js'
import { delay, kernelSkip, str, text, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()

function collect(socket: DatagramSocket): TipcMessage[] {
  const got: TipcMessage[] = []
  socket.onMessages(batch => {
    for (const m of batch) got.push(m)
  })
  return got
}

t.test('unread at close: NO_PORT, with the data and the name it was sent to', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => tx.close())
  rx.bind({ type: TYPE, instance: 1 })
  t.equal(tx.destDroppable, false, 'returns are on (TIPC_DEST_DROPPABLE off)')
  const back = collect(tx)
  tx.sendto({ type: TYPE, instance: 1 }, text('first'))
  tx.sendto({ type: TYPE, instance: 1 }, text('second'))
  rx.close()
  await until(() => (back.length === 2 ? true : undefined))
  t.same(back.map(m => m.returned?.code), ['NO_PORT', 'NO_PORT'])
  t.same(back.map(m => str(m.returned!.data)), ['first', 'second'], 'in order, with their bytes')
  t.equal(back[0]!.returned!.length, 5, 'length of the message (under 1024: whole)')
  t.equal(back[0]!.data.byteLength, 0, 'no payload on a returned message')
  t.same(back[0]!.dest, { type: TYPE, lower: 1, upper: 1 }, 'the name it was sent to')
})

t.test('to the socket address of a closed socket: NO_PORT', { skip }, async t => {
  const gone = DatagramSocket.open()
  const address = gone.address()
  gone.close()
  const tx = DatagramSocket.open()
  t.teardown(() => tx.close())
  const back = collect(tx)
  t.ok(tx.sendto(address, text('hello?')), 'the send itself succeeds')
  await until(() => (back.length ? true : undefined))
  t.equal(back[0]!.returned!.code, 'NO_PORT')
  t.equal(str(back[0]!.returned!.data), 'hello?')
})

t.test('returned data is truncated to 1024 bytes, and so is the reported length', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => tx.close())
  rx.bind({ type: TYPE + 1, instance: 1 })
  const big = new Uint8Array(5000).map((_, i) => i & 0xff)
  tx.sendto({ type: TYPE + 1, instance: 1 }, big)
  rx.close()
  const back = collect(tx)
  await until(() => (back.length ? true : undefined))
  const r = back[0]!.returned!
  t.equal(r.data.byteLength, 1024)
  t.equal(r.length, 1024, 'TIPC_ERRINFO reports the truncated length (kernel 6.1), not 5000')
  t.same(Array.from(r.data.subarray(0, 4)), [0, 1, 2, 3], 'the first bytes')
})

t.test('a receiver that does not read: OVERLOAD returns, counted, none silent', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE + 2, instance: 1 })
  const back = collect(tx)
  const payload = new Uint8Array(1000)
  let sent = 0
  // RDM has no end-to-end flow control: fill the receiver's queue until
  // TIPC starts rejecting.
  for (let i = 0; i < 20000 && back.length === 0; i++) {
    if (tx.sendto({ type: TYPE + 2, instance: 1 }, payload)) sent++
    else await tx.writable()
    if (i % 200 === 199) await delay(1)
  }
  await until(() => (back.length ? true : undefined), 10000, 'an OVERLOAD return')
  await delay(100)
  t.ok(back.every(m => m.returned?.code === 'OVERLOAD'), 'every return says OVERLOAD')
  t.ok(rx.recvQueueDepth > 0, `the receiver holds ${rx.recvQueueDepth} messages`)
  let queued = 0
  for (let b = rx.recvfrom(); b; b = rx.recvfrom()) queued += b.length
  t.equal(queued + back.length, sent, `every sent message was either queued (${queued}) or returned (${back.length})`)
})
