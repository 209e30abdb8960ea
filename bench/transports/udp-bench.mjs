// The udp transport through its public API, one process per role:
//
//   node bench/transports/udp-bench.mjs recv|send|pong|ping [--type T] [--cluster C]
//        [--size S] [--batch B] [--duration SEC] [--count N] [--warmup N] [--socket native|dgram]
//
// Throughput: recv binds {T, 1} and counts what onMessages hands over;
// send waits for the binding's `published` topology event, then loops
// sendBatch({T, 1}, B messages of S bytes) (anycast, the same buffer: the
// transport copies) and, when fewer than B are taken, awaits writable().
// After SEC seconds it sends END (16 B); RDM on a link is in order, so END
// arrives after the data; recv answers DONE to END's sender and both print a
// JSON line. Returned messages (OVERLOAD, ...) are counted, not resent.
// RTT: ping sends 64 B to {T, 1}, pong answers each to msg.from (unicast);
// one in flight; round trips timed with performance.now().
//
// Discovery is the transport's default (multicast beacons on 127.0.0.1, TTL
// 0); a cluster id per run keeps it apart from other udp nodes on the host.
// --socket: the node's UDP socket (the addon's, the default; or node:dgram).
// --receive borrowed: the transport's borrowed receive (UdpTransportOptions.borrowedReceive;
// recv reads only what it counts during onMessages, so its data may be lent).
import { UdpTransport, open } from '../../dist/core/index.js'
import { MAGIC_DATA, MAGIC_DONE, MAGIC_END, MAGIC_PING, deadline, latency, le32, markCpu, message, parseArgs, print, rate, valueOf } from './common.mjs'

const mode = process.argv[2]
const o = parseArgs({ transport: 'udp', type: 0x7e5700, cluster: 0x7e57, size: 64, batch: 64, duration: 2, count: 20000, warmup: 2000, socket: 'native', sockbuf: 4 << 20, receive: 'copy' })
// The udp transport asks the kernel for 4 MiB send and receive buffers (wire.ts); the driver asks every
// implementation for the same, and a different request cannot be honoured here.
if (o.sockbuf !== 4 << 20) {
  console.error(`udp-bench: the udp transport's socket buffers are 4 MiB; --sockbuf ${o.sockbuf} cannot be honoured`)
  process.exit(2)
}
const name = { type: o.type, instance: 1 }
deadline((o.duration + 40) * 1000 + o.count * 5, `udp-bench ${mode}`)

// --transport tipc: the same ping/pong on kernel TIPC (the topic layer's latency baseline in the guest).
const transport = o.transport === 'tipc' ? await open({ transport: 'tipc' }) : await UdpTransport.open({ cluster: o.cluster, socket: o.socket, borrowedReceive: o.receive === 'borrowed' })
const sock = transport.rdm()

function linkStats() {
  const s = transport.stats()
  const links = Object.values(s.links)
  const total = (k) => links.reduce((a, l) => a + l[k], 0)
  return {
    packetsSent: s.node.packetsSent, packetsReceived: s.node.packetsReceived, retransmits: total('retransmits'),
    timeouts: total('timeouts'), statesSent: total('statesSent'), windowStalls: total('windowStalls'), ackRequests: total('ackRequests'),
    duplicates: total('duplicates'), outOfOrder: total('outOfOrder'), returnedHere: s.node.returned,
    ...(s.socket ? { socket: s.socket } : {}),
  }
}

/** Resolves when the name is known here (the receiver's binding has spread). */
function published() {
  return new Promise((resolve) => {
    const sub = transport.subscribe({ type: o.type, lower: 1, upper: 1 }, (ev) => {
      if (ev.kind === 'published') {
        queueMicrotask(() => sub.cancel())
        resolve()
      }
    })
  })
}

async function finishAndExit(result, delayMs = 0) {
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
  print({ ...result, impl: o.socket === 'dgram' ? 'udpd' : 'udp', ...linkStats() })
  sock.close()
  await transport.close()
  process.exit(0)
}

function runRecv() {
  sock.bind(name)
  let delivered = 0, bytes = 0, firstBatch = 0, tFirst = 0, tLast = 0, batches = 0, other = 0
  sock.onMessages((b) => {
    const t = performance.now()
    batches++
    let data = 0
    for (let i = 0; i < b.length; i++) {
      const m = b.at(i)
      const d = m.data
      const magic = le32(d)
      if (d.byteLength === o.size && magic === MAGIC_DATA) {
        data++
        bytes += d.byteLength
      } else if (magic === MAGIC_END) {
        const sentReported = valueOf(d)
        sock.send(m.from, message(16, MAGIC_DONE, delivered + data))
        delivered += data
        if (data) tLast = t
        // Give the DONE record time to leave before the node says goodbye.
        finishAndExit({ role: 'recv', size: o.size, delivered, bytes, sentReported, batches, other,
          ...rate(delivered, firstBatch, tFirst, tLast, o.size) }, 100)
        return
      } else {
        other++
      }
    }
    if (data) {
      if (delivered === 0) {
        markCpu()
        tFirst = t
        firstBatch = data
      }
      delivered += data
      tLast = t
    }
  })
  process.stdout.write('READY\n')
}

async function runSend() {
  await published()
  const msg = message(o.size, MAGIC_DATA)
  const msgs = new Array(o.batch).fill(msg)
  let sent = 0, returned = 0, waits = 0, calls = 0, ended = false
  const returnedBy = {}
  sock.onMessages((b) => {
    for (let i = 0; i < b.length; i++) {
      const m = b.at(i)
      if (m.returned) {
        returned++
        returnedBy[m.returned.code] = (returnedBy[m.returned.code] ?? 0) + 1
      } else if (le32(m.data) === MAGIC_DONE) {
        finishAndExit({ role: 'send', size: o.size, sent, returned, returnedBy, waits, calls, delivered: valueOf(m.data),
          elapsed: (performance.now() - t0) / 1000 })
      }
    }
  })
  markCpu()
  const t0 = performance.now()
  const tEnd = t0 + o.duration * 1000
  const pump = () => {
    while (!ended) {
      if (performance.now() >= tEnd) {
        // END must not be refused: wait for room like the data does.
        if (!sock.send(name, message(16, MAGIC_END, sent))) {
          waits++
          sock.writable().then(pump)
          return
        }
        ended = true
        return
      }
      const n = sock.sendBatch(name, msgs)
      calls++
      sent += n
      if (n < o.batch) {
        waits++
        sock.writable().then(pump)
        return
      }
    }
  }
  pump()
}

function runPong() {
  sock.bind(name)
  let echoed = 0
  sock.onMessages((b) => {
    for (let i = 0; i < b.length; i++) {
      const m = b.at(i)
      if (m.returned) continue
      if (le32(m.data) === MAGIC_END) {
        finishAndExit({ role: 'pong', echoed }, 100)
        return
      }
      sock.send(m.from, m.data)
      echoed++
    }
  })
  process.stdout.write('READY\n')
}

async function runPing() {
  await published()
  const msg = message(Math.max(16, o.size), MAGIC_PING)
  const rtt = new Float64Array(o.count)
  const total = o.warmup + o.count
  let k = 0
  let t = 0
  sock.onMessages((b) => {
    let got = false
    for (let i = 0; i < b.length; i++) {
      const m = b.at(i)
      if (!m.returned && le32(m.data) === MAGIC_PING) got = true
    }
    if (!got) return
    const now = performance.now()
    if (k >= o.warmup) rtt[k - o.warmup] = (now - t) * 1000
    k++
    if (k < total) {
      t = performance.now()
      sock.send(name, msg)
      return
    }
    sock.send(name, message(16, MAGIC_END))
    finishAndExit({ role: 'ping', ...latency(rtt) }, 50)
  })
  markCpu()
  t = performance.now()
  sock.send(name, msg)
}

switch (mode) {
  case 'recv': runRecv(); break
  case 'send': await runSend(); break
  case 'pong': runPong(); break
  case 'ping': await runPing(); break
  default:
    console.error('usage: node bench/transports/udp-bench.mjs recv|send|pong|ping [--type T] [--cluster C] [--size S] ...')
    process.exit(2)
}
