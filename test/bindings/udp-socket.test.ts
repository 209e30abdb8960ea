// The native UDP socket (bindings/udp-socket.ts) on loopback: bind and the
// sizes granted, batched receive with each datagram's source, gathered
// sends, UDP GSO and GRO (a 60 KiB message cut into 1472-byte packets goes
// as one message and comes back split into its datagrams), truncation
// flagged, closing inside a callback, a failing packet in a batch, bad
// arguments as typed errors, and EAGAIN/writability in a namespace of the
// test's own whose loopback is slowed by a qdisc.
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { InvalidArgumentError, SocketClosedError, TipcSystemError } from '../../bindings/errors.js'
import { formatIpv4, parseIpv4, UdpSocket } from '../../bindings/udp-socket.js'
import { arrivals, LOOPBACK, to } from './udp-loopback.js'


interface Received {
  data: Buffer
  address: number
  port: number
  truncated: boolean
}

/** A bound receiver and what it got; `until(n)` resolves once n datagrams are in. */
function receiver(t: import('tap').Test, options: { gro?: boolean; slotSize?: number } = {}) {
  const got: Received[] = []
  const wait = arrivals(() => got.length)
  const socket = UdpSocket.bind({
    address: '127.0.0.1', port: 0, receiveBufferSize: 8 << 20, ...options,
    onDatagram: (data, address, port, truncated) => {
      got.push({ data: Buffer.from(data), address, port, truncated })
      wait.arrived()
    },
  })
  t.teardown(() => socket.close())
  return { socket, got, until: wait.until }
}

function sender(t: import('tap').Test, options: { gso?: boolean } = {}): UdpSocket {
  const socket = UdpSocket.bind({ address: '127.0.0.1', port: 0, onDatagram: () => {}, ...options })
  t.teardown(() => socket.close())
  return socket
}


t.test('IPv4 literals convert both ways; anything else is refused', async t => {
  t.equal(parseIpv4('127.0.0.1'), LOOPBACK)
  t.equal(formatIpv4(0xc0a80a01), '192.168.10.1')
  t.equal(parseIpv4('256.0.0.1'), undefined)
  t.equal(parseIpv4('localhost'), undefined)
})

t.test('bind reports the port chosen and the buffer sizes granted; the port is exclusive', async t => {
  const s = UdpSocket.bind({ address: '127.0.0.1', port: 0, receiveBufferSize: 1 << 20, sendBufferSize: 1 << 20, onDatagram: () => {} })
  t.teardown(() => s.close())
  t.equal(s.address, '127.0.0.1')
  t.ok(s.port > 0, `port ${s.port}`)
  t.ok(s.receiveBufferSize >= 4096, `SO_RCVBUF granted ${s.receiveBufferSize}`)
  t.ok(s.sendBufferSize >= 4096, `SO_SNDBUF granted ${s.sendBufferSize}`)
  const err = t.throws(() => UdpSocket.bind({ address: '127.0.0.1', port: s.port, onDatagram: () => {} })) as TipcSystemError
  t.type(err, TipcSystemError)
  t.equal(err.code, 'EADDRINUSE')
})

t.test('a batch of gathered packets arrives whole, in order, with its source', async t => {
  const rx = receiver(t)
  const tx = sender(t)
  const buffers = [Buffer.from('he'), Buffer.from('llo'), Buffer.from('one'), Buffer.from('t'), Buffer.from('w'), Buffer.from('o')]
  const n = tx.sendBatch(buffers, new Uint32Array([2, 1, 3]), to(rx.socket.port, 3), 3)
  t.equal(n, 3, 'the kernel took all three')
  await rx.until(3)
  t.same(rx.got.map(g => g.data.toString()), ['hello', 'one', 'two'])
  t.same(rx.got.map(g => [formatIpv4(g.address), g.port]), Array(3).fill(['127.0.0.1', tx.port]))
  t.equal(tx.offloads().sendCalls, 1, 'one sendmmsg')
  t.ok(rx.socket.offloads().receiveDatagrams >= 3)
})

/** A 60 KiB message cut into 1472-byte packets, as the transport does with maxPacketSize 1472. */
function sixtyKiB(): Buffer[] {
  const message = Buffer.alloc(60 * 1024)
  for (let i = 0; i < message.length; i++) message[i] = (i * 7) & 255
  const packets: Buffer[] = []
  for (let o = 0; o < message.length; o += 1472) packets.push(message.subarray(o, o + 1472))
  return packets
}

for (const gso of [true, false]) {
  t.test(`60 KiB in 1472-byte packets with GSO ${gso ? 'on' : 'off'}: every datagram arrives intact`, async t => {
    const rx = receiver(t, { gro: true })
    const tx = sender(t, { gso })
    const packets = sixtyKiB()
    t.equal(packets.length, 42)
    const n = tx.sendBatch(packets, new Uint32Array(packets.length).fill(1), to(rx.socket.port, packets.length), packets.length)
    t.equal(n, 42)
    await rx.until(42)
    t.same(rx.got.map(g => g.data.length), packets.map(p => p.length), 'the datagrams as sent, split where GRO coalesced them')
    t.ok(rx.got.every((g, i) => g.data.equals(packets[i]!)), 'bytes intact, in order')
    const o = tx.offloads()
    t.equal(o.sendCalls, 1, 'one sendmmsg')
    t.equal(o.sendDatagrams, 42)
    if (gso) {
      t.equal(o.gsoMessages > 0, o.gso, `GSO messages: ${o.gsoMessages} (GSO ${o.gso ? 'on' : 'refused by this kernel'})`)
      const r = rx.socket.offloads()
      // On loopback a GSO message reaches a GRO socket unsegmented.
      if (o.gso && r.gro) t.ok(r.groMessages > 0 && r.receiveCalls < 42, `coalesced receives: ${r.groMessages} in ${r.receiveCalls} calls`)
    } else {
      t.equal(o.gsoMessages, 0, 'no GSO message when it is off')
      t.equal(o.gso, false)
    }
  })
}

t.test('a datagram larger than the receive slot arrives truncated and flagged', async t => {
  const rx = receiver(t, { slotSize: 100, gro: false })
  const tx = sender(t)
  tx.sendBatch([Buffer.alloc(200, 9), Buffer.alloc(50, 8)], new Uint32Array([1, 1]), to(rx.socket.port, 2), 2)
  await rx.until(2)
  t.same(rx.got.map(g => [g.data.length, g.truncated]), [[100, true], [50, false]])
})

t.test('closing inside the callback stops delivery; a closed socket refuses sends with SocketClosedError', async t => {
  const got: number[] = []
  const rx = UdpSocket.bind({
    address: '127.0.0.1', port: 0,
    onDatagram: data => {
      got.push(data[0]!)
      rx.close()
    },
  })
  const tx = sender(t)
  tx.sendBatch([Buffer.from([1]), Buffer.from([2]), Buffer.from([3])], new Uint32Array([1, 1, 1]), to(rx.port, 3), 3)
  await new Promise(resolve => setTimeout(resolve, 100))
  t.same(got, [1], 'nothing after close')
  rx.close()
  const err = t.throws(() => rx.sendBatch([Buffer.from([1])], new Uint32Array([1]), to(tx.port, 1), 1))
  t.type(err, SocketClosedError)
})

t.test('a packet the kernel refuses fails with the count sent before it', async t => {
  const rx = receiver(t)
  const tx = sender(t)
  const d = to(rx.socket.port, 3)
  d[3] = 0 // port 0: EINVAL
  const err = t.throws(() => tx.sendBatch([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], new Uint32Array([1, 1, 1]), d, 3)) as TipcSystemError & { sent: number }
  t.type(err, TipcSystemError)
  t.equal(err.code, 'EINVAL')
  t.equal(err.sent, 1, 'the first went out')
  await rx.until(1)
  t.equal(rx.got[0]!.data.toString(), 'a')
})

t.test('bad arguments are typed errors, before any send', async t => {
  const s = sender(t)
  const bad: Array<[string, () => unknown]> = [
    ['host name', () => UdpSocket.bind({ address: 'localhost', port: 0, onDatagram: () => {} })],
    ['port out of range', () => UdpSocket.bind({ address: '127.0.0.1', port: 70000, onDatagram: () => {} })],
    ['slot size 0', () => UdpSocket.bind({ address: '127.0.0.1', port: 0, slotSize: 0, onDatagram: () => {} })],
    ['parts beyond the buffers', () => s.sendBatch([Buffer.from('x')], new Uint32Array([2]), to(s.port, 1), 1)],
    ['count beyond parts', () => s.sendBatch([Buffer.from('x')], new Uint32Array([1]), to(s.port, 2), 2)],
    ['destinations too short', () => s.sendBatch([Buffer.from('x')], new Uint32Array([1]), new Uint32Array(1), 1)],
    ['not a buffer', () => s.sendBatch(['x' as never], new Uint32Array([1]), to(s.port, 1), 1)],
    ['a packet over 65507 bytes', () => s.sendBatch([Buffer.alloc(65508)], new Uint32Array([1]), to(s.port, 1), 1)],
    ['destination port over 65535', () => s.sendBatch([Buffer.from('x')], new Uint32Array([1]), new Uint32Array([LOOPBACK, 70000]), 1)],
  ]
  for (const [what, call] of bad) {
    const err = t.throws(call, what) as InvalidArgumentError
    t.type(err, InvalidArgumentError, what)
    t.equal(err.code, 'ERR_TIPC_INVALID_ARGUMENT', what)
  }
  t.equal(s.offloads().sendCalls, 0, 'nothing was sent')
})

function netnsMissing(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, tc)'
  for (const tool of ['ip', 'tc']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' })
    } catch {
      return `needs ${tool} (Debian package iproute2)`
    }
  }
  return false
}

t.test('a full send buffer: sendBatch takes fewer, writability comes back, the rest goes', { skip: netnsMissing() }, async t => {
  const ns = `tiprx-udpq-${process.pid}`
  const sh = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8' })
  sh('ip', 'netns', 'add', ns)
  t.teardown(() => { try { sh('ip', 'netns', 'del', ns) } catch { /* already gone */ } })
  sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up')
  // 20 Mbit/s: 400 packets of 8 KB queue for ~1.3 s, holding the sender's buffer.
  sh('ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'tbf', 'rate', '20mbit', 'burst', '16kb', 'limit', '8mb')
  // The fixture in this file's own form: .ts from source, .js when the tests run precompiled.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  const fixture = fileURLToPath(new URL(`./fixtures/udp-congested-sender${ext}`, import.meta.url))
  const run = spawnSync('ip', ['netns', 'exec', ns, process.execPath, ...process.execArgv, fixture], { encoding: 'utf8', timeout: 30000 })
  t.equal(run.status, 0, run.stderr)
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { sent: number; shortCalls: number; received: number }
  t.equal(result.sent, 400, 'every packet went, in the end')
  t.ok(result.shortCalls > 0, `${result.shortCalls} sendBatch calls took fewer than given (EAGAIN)`)
  t.equal(result.received, 400, 'and arrived')
})
