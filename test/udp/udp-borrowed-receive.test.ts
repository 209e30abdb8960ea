// The udp transport's borrowed receive (UdpTransportOptions.borrowedReceive)
// through the public API, with poisoning on, so that any view the transport
// keeps past its batch without copying reads 0xDB instead of data: a handler
// gets every message intact (unicast, multicast to two sockets, fragmented
// ones), a view kept past its handler reads the poison (the mode really
// lends), and what the transport itself holds past a batch stays intact:
// messages queued before a handler exists or while paused, packets held
// ahead of a gap (seeded drops), returned messages, and a SEQPACKET
// connection's queue.
import { randomInt } from 'node:crypto'
import t from 'tap'
import { InvalidArgumentError } from '../../core/transport-contract/errors.js'
import type { ReceivedMessage } from '../../core/transport-contract/message.js'
import type { RdmSocket } from '../../core/transport-contract/rdm-socket.js'
import type { SeqpacketConnection } from '../../core/transport-contract/seqpacket.js'
import type { UdpTransportOptions } from '../../core/transports/udp/options.js'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { Bus, connectStream, listenStream, openBus } from '../../core/index.js'
import { bindingsVisible, until } from '../conformance/wait.js'

const BORROWED: UdpTransportOptions = { borrowedReceive: { poison: true } }

/** `size` bytes whose every byte depends on `i`: a wrong byte anywhere shows. */
function payload(i: number, size: number): Uint8Array {
  const b = new Uint8Array(size)
  for (let j = 0; j < size; j++) b[j] = (i * 131 + j * 7 + 1) & 0xff
  return b
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0
}

const poisoned = (d: Uint8Array) => d.byteLength > 0 && d.every(byte => byte === 0xdb)

/** Two nodes: `tx` (options `a`) and `rx`, which receives with borrowed receive and poisoning (options `b` on top). */
async function pair(t: import('tap').Test, b: UdpTransportOptions = {}, a: UdpTransportOptions = {}) {
  const cluster = randomInt(1, 0x7fffffff)
  const tx = await UdpTransport.open({ toleranceMs: 600, heartbeatMs: 100, cluster, ...a })
  const rx = await UdpTransport.open({ toleranceMs: 600, heartbeatMs: 100, cluster, ...BORROWED, ...b })
  t.teardown(() => Promise.all([tx.close(), rx.close()]))
  await until(() => (tx.stats().node.linksUp > 0 && rx.stats().node.linksUp > 0) || undefined, 'the link up both ways')
  return { tx, rx }
}

/** Received messages checked inside the handler (as a borrowed reader must), with their views kept for later. */
function reader(socket: RdmSocket) {
  const copies: Uint8Array[] = []
  const views: Uint8Array[] = []
  const returned: ReceivedMessage[] = []
  socket.onMessages(batch => {
    for (const m of batch) {
      if (m.returned) returned.push({ ...m, returned: { ...m.returned, data: Buffer.from(m.returned.data) } })
      else {
        copies.push(Buffer.from(m.data))
        views.push(m.data)
      }
    }
  })
  return { copies, views, returned }
}

async function sendAll(socket: RdmSocket, dest: Parameters<RdmSocket['send']>[0], messages: Uint8Array[]): Promise<void> {
  for (const m of messages) while (!socket.send(dest, m)) await socket.writable()
}

const type = () => 0x5300_0000 + randomInt(0, 0xffffff)

t.test('the handler gets every message intact, a kept view reads the poison, a reassembled one stays', async t => {
  const { tx, rx } = await pair(t)
  const name = { type: type(), lower: 1, upper: 1 }
  const one = rx.rdm()
  const two = rx.rdm()
  one.bind(name)
  two.bind(name)
  const r1 = reader(one)
  const r2 = reader(two)
  await bindingsVisible(tx, name, 2)
  const sizes = [64, 1000, 8192, 61440, 64, 65_900]
  const sent = sizes.map((s, i) => payload(i, s))
  const sock = tx.rdm()
  await sendAll(sock, { type: name.type, lower: 1, upper: 1 }, sent)
  await until(() => (r1.copies.length === sent.length && r2.copies.length === sent.length) || undefined, 'every multicast copy')
  t.ok(r1.copies.every((c, i) => same(c, sent[i]!)) && r2.copies.every((c, i) => same(c, sent[i]!)), 'intact in the handler, both sockets')
  await new Promise(resolve => setImmediate(resolve))
  const keptTooLong = r1.views.filter((v, i) => i !== 5 && poisoned(v)).length
  t.ok(keptTooLong > 0, `views kept past their handler read 0xDB (${keptTooLong} of ${sizes.length - 1}): the data was lent`)
  t.ok(same(r1.views[5]!, sent[5]!), 'a fragmented message is reassembled into bytes of its own')
  t.equal(rx.stats().socket?.kind, 'native')
})

t.test('messages queued before a handler exists, and while paused, stay intact', async t => {
  const { tx, rx } = await pair(t)
  const name = { type: type(), lower: 1, upper: 1 }
  const early = rx.rdm()
  early.bind(name)
  await bindingsVisible(tx, name, 1)
  const sock = tx.rdm()
  const first = [payload(1, 64), payload(2, 30000), payload(3, 60000)]
  await sendAll(sock, { type: name.type, instance: 1 }, first)
  await until(() => rx.stats().node.delivered >= first.length || undefined, 'delivered into the queue')
  // Later batches overwrite the region: a queued view not copied at its batch's end would now read 0xDB.
  const pausedName = { type: type(), lower: 1, upper: 1 }
  const paused = rx.rdm()
  paused.bind(pausedName)
  const r = reader(paused)
  paused.pause()
  await bindingsVisible(tx, pausedName, 1)
  const second = [payload(4, 100), payload(5, 61440)]
  await sendAll(sock, { type: pausedName.type, instance: 1 }, second)
  await until(() => rx.stats().node.delivered >= first.length + second.length || undefined, 'delivered into the paused queue')
  await sendAll(sock, { type: pausedName.type, instance: 1 }, [payload(6, 61440)])
  const e = reader(early)
  await until(() => e.copies.length === first.length || undefined, 'the early queue handed over')
  t.ok(e.copies.every((c, i) => same(c, first[i]!)), 'queued before the handler: intact')
  paused.resume()
  await until(() => r.copies.length === 3 || undefined, 'the paused queue handed over')
  t.ok(r.copies.every((c, i) => same(c, [...second, payload(6, 61440)][i]!)), 'queued while paused: intact')
})

t.test('packets held ahead of a gap until a retransmission fills it (seeded drops) stay intact', async t => {
  // A dropped packet comes again after a retransmission timeout, batches later: those after it wait ahead of the gap.
  const { tx, rx } = await pair(t, {}, { faults: { seed: 7, drop: 0.05 } })
  const name = { type: type(), lower: 1, upper: 1 }
  const sock = rx.rdm()
  sock.bind(name)
  const r = reader(sock)
  await bindingsVisible(tx, name, 1)
  const sent = Array.from({ length: 300 }, (_, i) => payload(i, i % 3 === 0 ? 20000 : 500))
  const out = tx.rdm()
  for (let i = 0; i < sent.length; i += 10) {
    await sendAll(out, { type: name.type, instance: 1 }, sent.slice(i, i + 10))
    await new Promise(resolve => setTimeout(resolve, 1))
  }
  await until(() => r.copies.length === sent.length || undefined, 'every message')
  t.ok(r.copies.every((c, i) => same(c, sent[i]!)), 'intact, in order')
  const outOfOrder = Object.values(rx.stats().links).reduce((n, l) => n + l.outOfOrder, 0)
  t.ok(outOfOrder > 0, `packets were held ahead of a gap (${outOfOrder})`)
})

t.test('returned messages reach a borrowing sender intact', async t => {
  const { tx, rx } = await pair(t, { receiveQueueLimit: 1 }, BORROWED)
  const name = { type: type(), lower: 1, upper: 1 }
  const full = rx.rdm()
  full.bind(name)
  full.onMessages(() => {})
  full.pause()
  await bindingsVisible(tx, name, 1)
  const sock = tx.rdm()
  const r = reader(sock)
  const sent = [payload(1, 64), payload(2, 900), payload(3, 5000), payload(4, 60000)]
  await sendAll(sock, { type: name.type, instance: 1 }, sent)
  await until(() => r.returned.length === sent.length - 1 || undefined, 'OVERLOAD for all but the first')
  t.ok(r.returned.every(m => m.returned!.code === 'OVERLOAD'))
  t.ok(r.returned.every((m, i) => same(m.returned!.data, sent[i + 1]!.subarray(0, 1024))), 'returned data intact (first 1024 bytes)')
})

t.test('a SEQPACKET connection end that is paused keeps its messages intact', async t => {
  const { tx, rx } = await pair(t)
  const name = { type: type(), instance: 1 }
  const listener = rx.listen(name)
  const accepted: SeqpacketConnection[] = []
  listener.onConnection(conn => accepted.push(conn))
  await bindingsVisible(tx, { type: name.type, lower: 1, upper: 1 }, 1)
  const client = await tx.connect(name)
  const server = await until(() => accepted[0], 'the accepted connection')
  t.teardown(() => [listener, client, server].forEach(s => s.close()))
  const got: Uint8Array[] = []
  server.onMessages(batch => { for (const m of batch) got.push(Buffer.from(m.data)) })
  server.pause()
  const records = () => Object.values(rx.stats().links).reduce((n, l) => n + l.recordsDelivered, 0)
  const before = records()
  const sent = [payload(1, 64), payload(2, 40000), payload(3, 64)]
  for (const m of sent) while (!client.send(m)) await client.writable()
  // Poisoning overwrites each batch as soon as it is handled: a queued view not copied would read 0xDB from here on.
  await until(() => records() >= before + sent.length || undefined, 'the messages in the paused queue')
  server.resume()
  await until(() => got.length === sent.length || undefined, 'every message')
  t.ok(got.every((c, i) => same(c, sent[i]!)), 'intact after the pause')
})

t.test('the bus and message streams refuse a borrowing transport: they keep received data past their handlers', async t => {
  const borrowing = await UdpTransport.open({ discovery: false, borrowedReceive: true })
  t.teardown(() => borrowing.close())
  t.equal(borrowing.capabilities.borrowedReceive, true)
  t.throws(() => new Bus(borrowing), InvalidArgumentError)
  t.throws(() => listenStream(borrowing, 'borrowed'), InvalidArgumentError)
  await t.rejects(connectStream(borrowing, 'borrowed'), InvalidArgumentError)
  await t.rejects(openBus({ transport: 'udp', udp: { discovery: false, borrowedReceive: true } }), InvalidArgumentError)
  const dgram = await UdpTransport.open({ discovery: false, borrowedReceive: true, socket: 'dgram' })
  t.teardown(() => dgram.close())
  t.equal(dgram.capabilities.borrowedReceive, false, 'node:dgram lends nothing')
})

t.test('a bad borrowedReceive is a typed error', async t => {
  for (const bad of ['yes', { poison: 1 }, null]) {
    await t.rejects(UdpTransport.open({ discovery: false, borrowedReceive: bad as never }), InvalidArgumentError, JSON.stringify(bad))
  }
})
