// Returned messages: when a destination existed and then failed, the sender
// gets its message back with a code, the first 1024 bytes and the length.
import { conformance, uniqueType } from './harness.js'
import { bindingsVisible, inbox, str, text, until } from './wait.js'

conformance('unread at close: NO_PORT, in order, with the data and the name it was sent to', { nodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(1).rdm()
  rx.bind({ type, instance: 1 })
  const tx = c.node(0).rdm()
  const back = inbox(tx)
  await bindingsVisible(c.node(0), { type, lower: 1, upper: 1 }, 1)
  tx.send({ type, instance: 1 }, text('first'))
  tx.send({ type, instance: 1 }, text('second'))
  // rx never reads; a probe from rx's own node proves both arrived before close.
  const probe = c.node(1).rdm()
  const probeBox = inbox(probe)
  tx.send(probe.address, text('probe'))
  await probeBox.marker('probe')
  rx.close()
  const returns = await back.count(2, 'two returns')
  t.same(returns.map(m => m.returned?.code), ['NO_PORT', 'NO_PORT'])
  t.same(returns.map(m => str(m.returned!.data)), ['first', 'second'], 'in order, with their bytes')
  t.equal(returns[0]!.returned!.length, 5, 'the original length')
  t.equal(returns[0]!.data.byteLength, 0, 'no payload on a returned message')
  t.same(returns[0]!.dest, { type, lower: 1, upper: 1 }, 'the name it was sent to')
})

conformance('to the socket address of a closed socket: NO_PORT', { nodes: 2 }, async (t, c) => {
  const gone = c.node(1).rdm()
  const address = gone.address
  gone.close()
  const tx = c.node(0).rdm()
  const back = inbox(tx)
  t.ok(tx.send(address, text('hello?')), 'the send itself succeeds')
  const [m] = await back.count(1, 'the return')
  t.equal(m!.returned!.code, 'NO_PORT')
  t.equal(str(m!.returned!.data), 'hello?')
  t.same(m!.from, address, 'from: the socket it was meant for')
})

conformance('returned data is the first 1024 bytes, and so is the reported length (as TIPC does)', {}, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(0).rdm()
  rx.bind({ type, instance: 1 })
  const tx = c.node(0).rdm()
  const big = new Uint8Array(5000).map((_, i) => i & 0xff)
  tx.send({ type, instance: 1 }, big)
  big.fill(0) // the transport copied at send: reusing the buffer changes nothing
  const probe = c.node(0).rdm()
  const probeBox = inbox(probe)
  tx.send(probe.address, text('probe'))
  await probeBox.marker('probe')
  rx.close()
  const back = inbox(tx)
  const [m] = await back.count(1, 'the return')
  t.equal(m!.returned!.data.byteLength, 1024)
  t.equal(m!.returned!.length, 1024, 'TIPC_ERRINFO reports the cut length, not 5000 (kernel 6.1)')
  t.same(Array.from(m!.returned!.data.subarray(0, 4)), [0, 1, 2, 3], 'the first bytes, as sent')
})

conformance('a receiver that does not read: OVERLOAD returns, every message queued or returned', {}, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(0).rdm()
  rx.bind({ type, instance: 1 })
  rx.onMessages(() => {})
  rx.pause()
  const tx = c.node(0).rdm()
  const back = inbox(tx)
  const payload = new Uint8Array(1000)
  let sent = 0
  for (let i = 0; i < 100_000 && back.returns.length === 0; i++) {
    if (tx.send({ type, instance: 1 }, payload)) sent++
    else await tx.writable()
    if (i % 200 === 199) await new Promise(resolve => setImmediate(resolve))
  }
  await back.count(1, 'an OVERLOAD return')
  const received = inbox(rx)
  rx.resume()
  // Everything sent is now either in rx's queue or on its way back.
  await until(() => (received.data.length + back.returns.length === sent ? true : undefined), `${sent} queued or returned`)
  t.ok(back.returns.every(m => m.returned?.code === 'OVERLOAD'), `${back.returns.length} returns, all OVERLOAD`)
  t.ok(received.data.length > 0, `${received.data.length} were queued and read after resume`)
})
