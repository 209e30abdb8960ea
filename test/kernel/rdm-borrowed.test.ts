// The borrowed receive mode (onBorrowedMessages), the header accessors and
// the replies addressed from a batch, on kernel TIPC: a borrowed batch's
// views show later data once the callback has returned (its contract, made
// visible here on purpose), the batch itself refuses use after it, copy()
// keeps messages, the accessors agree with at(i), and replies reach the
// senders.
import t from 'tap'
import {
  BatchReleasedError, BorrowedBatch, DatagramSocket, InvalidArgumentError, type MessageBatch,
} from '../../bindings/index.js'
import { kernelSkip, str, text, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()

/** Collects what a borrowed handler saw, one entry per batch. */
function receiveInto(sock: DatagramSocket, seen: Array<{ batch: BorrowedBatch; view: Uint8Array; text: string }>, poison = false) {
  sock.onBorrowedMessages(batch => {
    seen.push({ batch, view: batch.data(0), text: str(batch.data(0)) })
  }, { poison })
}

t.test('a view kept past the callback shows the next batch; the batch throws', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE, instance: 1 })
  const seen: Array<{ batch: BorrowedBatch; view: Uint8Array; text: string }> = []
  receiveInto(rx, seen)
  tx.sendto({ type: TYPE, instance: 1 }, text('first'))
  await until(() => (seen.length === 1 ? true : undefined))
  t.equal(seen[0]!.text, 'first', 'valid during the callback')
  t.notOk(seen[0]!.batch.valid, 'released once the callback returned')
  t.throws(() => seen[0]!.batch.data(0), BatchReleasedError, 'and refuses use')
  tx.sendto({ type: TYPE, instance: 1 }, text('later'))
  await until(() => (seen.length === 2 ? true : undefined))
  t.equal(seen[1]!.text, 'later')
  t.equal(str(seen[0]!.view), 'later', 'the kept view now shows the later message: the contract, not a copy')
  t.equal(seen[0]!.view.buffer, seen[1]!.view.buffer, 'every batch is in the same region')
})

t.test('poison: a kept view reads 0xDB once the callback returns', { skip }, async t => {
  const rx = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [rx, tx].forEach(s => s.close()))
  rx.bind({ type: TYPE + 1, instance: 1 })
  const seen: Array<{ batch: BorrowedBatch; view: Uint8Array; text: string }> = []
  receiveInto(rx, seen, true)
  tx.sendto({ type: TYPE + 1, instance: 1 }, text('secret'))
  await until(() => (seen.length === 1 ? true : undefined))
  t.equal(seen[0]!.text, 'secret', 'intact during the callback')
  t.same(Array.from(seen[0]!.view), new Array(6).fill(0xdb), 'poisoned after it')
})

t.test('copy() inside the callback keeps the messages; accessors agree with at(i)', { skip }, async t => {
  const rx = DatagramSocket.open()
  const a = DatagramSocket.open()
  const b = DatagramSocket.open()
  t.teardown(() => [rx, a, b].forEach(s => s.close()))
  rx.bind({ type: TYPE + 2, lower: 0, upper: 9 })
  const copies: MessageBatch[] = []
  const mismatches: string[] = []
  let received = 0
  rx.onBorrowedMessages(batch => {
    for (let i = 0; i < batch.length; i++) {
      const m = batch.at(i)
      const words: Array<[string, unknown, unknown]> = [
        ['sourceNode', batch.sourceNode(i), m.from.node], ['sourceRef', batch.sourceRef(i), m.from.ref],
        ['hasDestName', batch.hasDestName(i), m.dest !== undefined], ['destType', batch.destType(i), m.dest?.type],
        ['destLower', batch.destLower(i), m.dest?.lower], ['destUpper', batch.destUpper(i), m.dest?.upper],
        ['byteLength', batch.byteLength(i), m.data.byteLength], ['u32', batch.u32(i, 0), new DataView(m.data.buffer, m.data.byteOffset).getUint32(0, true)],
      ]
      for (const [name, got, want] of words) if (got !== want) mismatches.push(`${name}(${i}): ${String(got)} != ${String(want)}`)
    }
    received += batch.length
    copies.push(batch.copy())
  })
  for (let k = 0; k < 20; k++) {
    const from = k % 2 ? a : b
    const payload = new Uint8Array(8 + k)
    new DataView(payload.buffer).setUint32(0, 1000 + k, true)
    from.sendto({ type: TYPE + 2, instance: k % 10 }, payload)
  }
  await until(() => (received === 20 ? true : undefined))
  t.same(mismatches, [], 'every accessor equals the object form')
  const all = copies.flatMap(c => [...c])
  t.same(all.map(m => new DataView(m.data.buffer, m.data.byteOffset).getUint32(0, true)),
    Array.from({ length: 20 }, (_, k) => 1000 + k), 'the copies hold every message, intact after later batches')
  t.same(all.map(m => m.from.ref), Array.from({ length: 20 }, (_, k) => (k % 2 ? a : b).address().ref), 'and their senders')
  t.same(all.map(m => m.dest?.lower), Array.from({ length: 20 }, (_, k) => k % 10), 'and the names they were sent to')
})

t.test('returned messages in borrowed mode: code and returned bytes', { skip }, async t => {
  const gone = DatagramSocket.open()
  const address = gone.address()
  gone.close()
  const tx = DatagramSocket.open()
  t.teardown(() => tx.close())
  const back: Array<{ returned: boolean; code: number; object: string | undefined; data: string }> = []
  const replyErrors: unknown[] = []
  tx.onBorrowedMessages(batch => {
    for (let i = 0; i < batch.length; i++) {
      const m = batch.at(i)
      back.push({ returned: batch.isReturned(i), code: batch.errorCode(i), object: m.returned?.code, data: str(m.returned!.data) })
      try {
        tx.replyTo(batch, i, text('x'))
      } catch (err) {
        replyErrors.push(err)
      }
    }
  })
  tx.sendto(address, text('to nobody'))
  await until(() => (back.length === 1 ? true : undefined))
  t.same(back, [{ returned: true, code: 2, object: 'NO_PORT', data: 'to nobody' }])
  t.equal(replyErrors.length, 1, 'replyTo refuses a returned message')
  t.ok(replyErrors[0] instanceof InvalidArgumentError, 'as an InvalidArgumentError')
})

t.test('replyTo and sendReplies reach the senders', { skip }, async t => {
  const server = DatagramSocket.open()
  const clients = [DatagramSocket.open(), DatagramSocket.open(), DatagramSocket.open()]
  t.teardown(() => [server, ...clients].forEach(s => s.close()))
  server.bind({ type: TYPE + 3, instance: 1 })
  const replies = new Uint8Array(3)
  const lengths = new Uint32Array([1, 1, 1])
  let round = 0
  const modes: boolean[] = []
  server.onBorrowedMessages(batch => {
    modes.push(batch instanceof BorrowedBatch)
    if (round++ === 0) {
      for (let i = 0; i < batch.length; i++) server.replyTo(batch, i, batch.data(i))
      return
    }
    // second round, all three queued: one sendmmsg, reply k to the sender of message 2 - k
    t.equal(batch.length, 3, 'the three queued messages in one batch')
    for (let k = 0; k < 3; k++) replies[k] = 100 + batch.data(2 - k)[0]!
    t.equal(server.sendReplies(batch, replies, lengths, 3, [2, 1, 0]), 3, 'all three accepted')
  })
  const got: string[][] = clients.map(() => [])
  clients.forEach((c, n) => c.onMessages(batch => {
    for (const m of batch) {
      t.same(m.from, server.address(), 'from the server')
      got[n]!.push(String(m.data[0]))
    }
  }))
  clients[0]!.sendto({ type: TYPE + 3, instance: 1 }, new Uint8Array([7]))
  await until(() => (got[0]!.length === 1 ? true : undefined))
  t.same(got[0], ['7'], 'replyTo echoed to the sender')
  // three messages from three sockets, queued before the server reads them
  server.pause()
  clients.forEach((c, n) => c.sendto({ type: TYPE + 3, instance: 1 }, new Uint8Array([n])))
  await until(() => (server.recvQueueDepth === 3 ? true : undefined))
  server.resume()
  await until(() => (got.every(g => g.length >= (g === got[0] ? 2 : 1)) ? true : undefined))
  t.same(got, [['7', '100'], ['101'], ['102']], 'each reply went to the sender of the message it answers')
  t.same(modes, [true, true], 'resume() after pause() stays in the borrowed mode')
})
