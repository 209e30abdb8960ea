// Batched send (sendmmsg) and receive (recvmmsg, one JS crossing per
// batch), with congestion surfacing as backpressure: every message
// arrives once, in order, and views handed out stay intact.
import t from 'tap'
import { DatagramSocket, encodeDestination, type MessageBatch } from '../../bindings/index.js'
import { kernelSkip, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()
const TOTAL = 20000
// A window well inside the default receive queue limit for LOW importance
// (about 1000 small messages): RDM rejects beyond it with OVERLOAD.
const WINDOW = 512
const ACK_EVERY = 128

t.test('20000 messages in batches: all delivered in order, views never overwritten', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE, instance: 1 })
  // Receive side: keep the first batch's views and check them at the end.
  const firstViews: Uint8Array[] = []
  let received = 0
  let batches = 0
  let inOrder = true
  let acked = 0
  rx.onMessages((batch: MessageBatch) => {
    batches++
    for (let i = 0; i < batch.length; i++) {
      const v = batch.data(i)
      const seq = new DataView(v.buffer, v.byteOffset, 4).getUint32(0, true)
      if (seq !== received) inOrder = false
      received++
      if (batches === 1) firstViews.push(v)
    }
    // end-to-end credit: RDM itself has none, so the test paces like an app would
    if (received - acked >= ACK_EVERY) {
      acked = received
      rx.sendto(tx.address(), new Uint8Array(4))
    }
  })
  let credited = 0
  let returned = 0
  tx.onMessages(batch => {
    for (let i = 0; i < batch.length; i++) {
      if (batch.isReturned(i)) returned++
      else credited += ACK_EVERY
    }
  })

  // Send side: messages packed back to back, sent with sendPacked.
  const size = 64
  const chunk = 256
  const bytes = new Uint8Array(size * chunk)
  const view = new DataView(bytes.buffer)
  const lengths = new Uint32Array(chunk).fill(size)
  const dest = encodeDestination({ type: TYPE, instance: 1 })
  let sent = 0
  let stalls = 0
  while (sent < TOTAL) {
    if (sent - credited >= WINDOW) {
      await until(() => (sent - credited < WINDOW ? true : undefined), 10000, 'credit')
      continue
    }
    const n = Math.min(chunk, TOTAL - sent, WINDOW - (sent - credited))
    for (let i = 0; i < n; i++) {
      view.setUint32(i * size, sent + i, true)
      bytes.fill(i & 0xff, i * size + 4, (i + 1) * size)
    }
    const accepted = tx.sendPacked(dest, bytes, lengths, n)
    sent += accepted
    if (accepted < n) {
      stalls++
      await tx.writable()
    }
  }
  await until(() => (received === TOTAL ? true : undefined), 20000, `${TOTAL} messages (got ${received})`)
  t.equal(received, TOTAL, 'every message arrived')
  t.equal(returned, 0, 'none returned: the window kept the receiver from overload')
  t.ok(inOrder, 'in order')
  t.ok(batches < TOTAL, `received in ${batches} batches`)
  t.ok(firstViews.length > 0)
  t.ok(firstViews.every((v, i) => new DataView(v.buffer, v.byteOffset, 4).getUint32(0, true) === i && v[4] === (i & 0xff)),
    'views from the first batch still hold their bytes')
  t.comment(`send stalls (EAGAIN -> writable): ${stalls}`)
})

t.test('sendBatch to a range: one multicast per message', { skip }, async t => {
  const a = DatagramSocket.open()
  const b = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [a, b, tx].forEach(s => s.close()))
  a.bind({ type: TYPE + 1, lower: 0, upper: 5 })
  b.bind({ type: TYPE + 1, lower: 3, upper: 9 })
  const messages = Array.from({ length: 100 }, (_, i) => new Uint8Array([i]))
  t.equal(tx.sendBatch({ type: TYPE + 1, lower: 0, upper: 9 }, messages), 100)
  let gotA = 0
  let gotB = 0
  a.onMessages(batch => { gotA += batch.length })
  b.onMessages(batch => { gotB += batch.length })
  await until(() => (gotA === 100 && gotB === 100 ? true : undefined))
  t.pass('each of the two sockets got all 100')
})

t.test('pause stops reading; resume delivers what queued meanwhile', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE + 2, instance: 1 })
  let got = 0
  rx.onMessages(batch => { got += batch.length })
  rx.pause()
  for (let i = 0; i < 10; i++) tx.sendto({ type: TYPE + 2, instance: 1 }, new Uint8Array([i]))
  await until(() => (rx.recvQueueDepth === 10 ? true : undefined))
  t.equal(got, 0, 'nothing delivered while paused')
  rx.resume()
  await until(() => (got === 10 ? true : undefined))
  t.equal(rx.recvQueueDepth, 0)
})
