// The native UDP socket's borrowed receive mode (UdpSocketOptions.borrowed)
// on loopback: datagrams arrive as in the copying mode (whole, in order,
// with their source; GRO receives split back into datagrams; truncation
// flagged), every batch in the same region (nothing allocated per batch),
// and a view kept past its batch reads the poison, while a copy made in the
// callback stays intact.
import t from 'tap'
import { formatIpv4, UdpSocket, type UdpSocketOptions } from '../../bindings/udp-socket.js'
import { arrivals, to } from './udp-loopback.js'

interface Received {
  /** The view as delivered (borrowed: valid only during its batch). */
  view: Buffer
  /** A copy made in the callback. */
  copy: Buffer
  address: number
  port: number
  truncated: boolean
  batch: number
}

/** A bound borrowed receiver and what it got; `until(n)` resolves once n datagrams are in. */
function receiver(t: import('tap').Test, options: Partial<UdpSocketOptions> = {}) {
  const got: Received[] = []
  let batch = 0
  const wait = arrivals(() => got.length)
  const socket = UdpSocket.bind({
    address: '127.0.0.1', port: 0, receiveBufferSize: 8 << 20, borrowed: true, poison: true, ...options,
    onDatagram: (view, address, port, truncated) => {
      got.push({ view, copy: Buffer.from(view), address, port, truncated, batch })
    },
    onBatchEnd: () => {
      batch++
      wait.arrived()
    },
  })
  t.teardown(() => socket.close())
  return { socket, got, until: wait.until }
}

function sender(t: import('tap').Test, gso = true): UdpSocket {
  const socket = UdpSocket.bind({ address: '127.0.0.1', port: 0, gso, onDatagram: () => {} })
  t.teardown(() => socket.close())
  return socket
}


function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size)
  for (let i = 0; i < size; i++) b[i] = (i * 7 + seed) & 255
  return b
}

t.test('datagrams of every size arrive whole, in order, with their source, batch after batch in one region', async t => {
  const rx = receiver(t, { gro: false })
  const tx = sender(t)
  const rounds = [[1, 64, 1472, 8192], [61440, 65000, 3]]
  const packets: Buffer[] = []
  for (const sizes of rounds) {
    const round = sizes.map(s => pattern(s, packets.length + s))
    packets.push(...round)
    t.equal(tx.sendBatch(round, new Uint32Array(round.length).fill(1), to(rx.socket.port, round.length), round.length), round.length)
    await rx.until(packets.length)
  }
  t.same(rx.got.map(g => g.copy.length), rounds.flat())
  t.ok(rx.got.every((g, i) => g.copy.equals(packets[i]!)), 'bytes intact, in order (copied during the callback)')
  t.same(rx.got.map(g => [formatIpv4(g.address), g.port, g.truncated]), Array(packets.length).fill(['127.0.0.1', tx.port, false]))
  t.ok(new Set(rx.got.map(g => g.batch)).size >= 2, 'in two batches at least')
  t.equal(new Set(rx.got.map(g => g.view.buffer)).size, 1, 'one ArrayBuffer for every datagram of every batch')
  // The last batch is poisoned when its callback has returned to the addon, after the microtasks that ran this.
  await new Promise(resolve => setImmediate(resolve))
  t.ok(rx.got.every(g => g.view.every(byte => byte === 0xdb)), 'a view kept past its batch reads the poison, not data')
})

t.test('60 KiB in 1472-byte packets, GSO and GRO on: the coalesced receives split back in place', async t => {
  const rx = receiver(t, { gro: true })
  const tx = sender(t, true)
  const message = pattern(60 * 1024, 5)
  const packets: Buffer[] = []
  for (let o = 0; o < message.length; o += 1472) packets.push(message.subarray(o, o + 1472))
  t.equal(tx.sendBatch(packets, new Uint32Array(packets.length).fill(1), to(rx.socket.port, packets.length), packets.length), 42)
  await rx.until(42)
  t.same(rx.got.map(g => g.copy.length), packets.map(p => p.length), 'the datagrams as sent')
  t.ok(rx.got.every((g, i) => g.copy.equals(packets[i]!)), 'bytes intact, in order')
  const o = tx.offloads()
  const r = rx.socket.offloads()
  if (o.gso && r.gro) t.ok(r.groMessages > 0, `coalesced receives: ${r.groMessages} in ${r.receiveCalls} calls`)
})

t.test('a datagram larger than the receive slot arrives truncated and flagged', async t => {
  const rx = receiver(t, { slotSize: 100, gro: false })
  const tx = sender(t)
  tx.sendBatch([pattern(200, 1), pattern(50, 2)], new Uint32Array([1, 1]), to(rx.socket.port, 2), 2)
  await rx.until(2)
  t.same(rx.got.map(g => [g.copy.length, g.truncated]), [[100, true], [50, false]])
  t.ok(rx.got[0]!.copy.equals(pattern(200, 1).subarray(0, 100)), 'the first 100 bytes')
})

t.test('without poison a kept view reads whatever the next batch wrote: the contract is the callback', async t => {
  const rx = receiver(t, { poison: false, gro: false })
  const tx = sender(t)
  tx.sendBatch([pattern(64, 1)], new Uint32Array([1]), to(rx.socket.port, 1), 1)
  await rx.until(1)
  tx.sendBatch([pattern(64, 2)], new Uint32Array([1]), to(rx.socket.port, 1), 1)
  await rx.until(2)
  t.ok(rx.got[0]!.copy.equals(pattern(64, 1)), 'the copy made in the callback')
  t.ok(rx.got[0]!.view.equals(pattern(64, 2)), 'the first view now shows the second datagram (same slot)')
})
