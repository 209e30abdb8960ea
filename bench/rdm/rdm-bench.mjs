// JS side of the RDM benchmark: the same protocol as bench/rdm/c/rdm_bench.c,
// through tipc-rx's bindings (DatagramSocket.sendPacked + onMessages batches).
//
//   node bench/rdm/rdm-bench.mjs recv|send|pong|ping [--type T] [--size S]
//        [--window W] [--batch B] [--duration SEC] [--count N] [--warmup N]
//        [--receive copy|borrowed]
//
// --receive copy (default): onMessages batches (each owns its memory), a
// view per message with data(i), replies to `at(i).from`: what an
// application written before the borrowed mode does.
// --receive borrowed: onBorrowedMessages (one reused region, valid only in
// the callback), the header read with u32(i)/byteLength(i) (no view per
// message), replies with replyTo(batch, i, ...) (no address object).
//
// Protocol (see bench/rdm/c/rdm_bench.c and docs/benchmarks.md):
//   data   size S, u32 MAGIC_DATA first             sender -> receiver's name {T, 1}
//   credit 16 B: MAGIC_CREDIT, pad, f64 delivered   receiver -> sender's socket address,
//          whenever delivered - acked >= W/4 after a batch
//   end    16 B: MAGIC_END, pad, f64 sent           sender -> receiver's name
//   done   16 B: MAGIC_DONE, pad, f64 delivered     receiver -> sender
// The sender keeps sent - credited - returned <= W. Returned messages are
// counted by TIPC error code and NOT resent.
// Imports the compiled bindings (npx tsc -p tsconfig.build.json emits dist/);
// TIPCRX_BENCH_BINDINGS=/abs/path/to/bindings/index.js runs against another
// build (for experiments on the addon).
const bindingsPath = process.env.TIPCRX_BENCH_BINDINGS ?? '../../dist/bindings/index.js'
const { DatagramSocket, NoRouteError, encodeDestination } = await import(bindingsPath)

const MAGIC_DATA = 0x41544144
const MAGIC_CREDIT = 0x44455243
const MAGIC_END = 0x21444e45
const MAGIC_DONE = 0x454e4f44
const MAGIC_PING = 0x474e4950
const TIPC_ERR_OVERLOAD = 4

const opts = { type: 0x7e570, size: 64, window: 256, batch: 64, duration: 2, count: 20000, warmup: 2000, receive: 'copy' }
const mode = process.argv[2]
for (let i = 3; i + 1 < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '')
  if (!(key in opts)) {
    console.error(`rdm-bench: unknown option ${process.argv[i]}`)
    process.exit(2)
  }
  opts[key] = key === 'receive' ? process.argv[i + 1] : Number(process.argv[i + 1])
}
const { type, size, window, batch, duration, count, warmup } = opts
if (opts.receive !== 'copy' && opts.receive !== 'borrowed') {
  console.error(`rdm-bench: --receive takes copy or borrowed, not ${opts.receive}`)
  process.exit(2)
}
const borrowed = opts.receive === 'borrowed'
// The two receive modes behind one call; the handlers read each batch
// inside the callback, so both modes are safe for them.
const receive = (sock, handler) => (borrowed ? sock.onBorrowedMessages(handler) : sock.onMessages(handler))
// A message's magic word: through a view (copy mode, as before) or straight
// from the batch (borrowed mode).
const magicAt = borrowed
  ? (b, i) => (b.byteLength(i) >= 4 ? b.u32(i, 0) : 0)
  : (b, i) => magicOf(b.data(i))

const le32 = (d) => (d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0
const magicOf = (d) => (d.byteLength >= 4 ? le32(d) : 0)
const valueOf = (d) => (d.byteLength >= 16 ? new DataView(d.buffer, d.byteOffset + 8, 8).getFloat64(0, true) : 0)

function control(magic, value) {
  const m = new Uint8Array(16)
  const v = new DataView(m.buffer)
  v.setUint32(0, magic, true)
  v.setFloat64(8, value, true)
  return m
}
const CONTROL_LENGTH = new Uint32Array([16])

function sendControl(sock, dest, magic, value) {
  if (sock.sendPacked(dest, control(magic, value), CONTROL_LENGTH, 1) !== 1) throw new Error('control message congested')
}

// CPU time of the measured phase only (node's start-up excluded), like the C side.
let cpuStart
let faultsStart = 0
function markCpu() {
  cpuStart = process.cpuUsage()
  faultsStart = process.resourceUsage().minorPageFault
}
function cpu() {
  const c = process.cpuUsage(cpuStart)
  return { cpuUser: c.user / 1e6, cpuSys: c.system / 1e6, minflt: process.resourceUsage().minorPageFault - faultsStart }
}

function print(result) {
  process.stdout.write(JSON.stringify({ ...result, impl: borrowed ? 'jsb' : 'js', ...cpu() }) + '\n')
}

function bindName(sock) {
  sock.bind({ type, instance: 1 }, 'cluster')
  process.stdout.write('READY\n')
}

const service = encodeDestination({ type, instance: 1 })

function runRecv() {
  const sock = DatagramSocket.open()
  bindName(sock)
  const ackEvery = Math.max(1, Math.floor(window / 4))
  let delivered = 0, acked = 0, bytes = 0, firstBatch = 0, tFirst = 0, tLast = 0, batches = 0, other = 0
  let sentReported = -1
  let sender
  receive(sock, (b) => {
    const t = performance.now()
    batches++
    let data = 0
    let end = false
    for (let i = 0; i < b.length; i++) {
      const m = magicAt(b, i)
      const length = b.byteLength(i)
      if (length === size && m === MAGIC_DATA) {
        data++
        bytes += length
        if (sender === undefined) sender = encodeDestination({ node: b.sourceNode(i), ref: b.sourceRef(i) })
      } else if (m === MAGIC_END) {
        sentReported = valueOf(b.data(i))
        end = true
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
      if (delivered - acked >= ackEvery) {
        sendControl(sock, sender, MAGIC_CREDIT, delivered)
        acked = delivered
      }
    }
    if (end) {
      if (sender) sendControl(sock, sender, MAGIC_DONE, delivered)
      sock.close()
      const elapsed = (tLast - tFirst) / 1000
      const rate = elapsed > 0 ? (delivered - firstBatch) / elapsed : 0
      print({
        role: 'recv', size, delivered, bytes, sentReported, elapsed, msgsPerSec: rate, mbPerSec: (rate * size) / 1e6,
        batches, other,
      })
    }
  })
}

function runSend() {
  const sock = DatagramSocket.open()
  const packed = new Uint8Array(batch * size)
  const pv = new DataView(packed.buffer)
  for (let i = 0; i < batch; i++) pv.setUint32(i * size, MAGIC_DATA, true)
  const lengths = new Uint32Array(batch).fill(size)
  let sent = 0, credited = 0, returned = 0, retOverload = 0, retOther = 0, credits = 0, sendCalls = 0, eagain = 0
  let ended = false
  let waiting = false
  // Stall guard, as in C: returns can themselves be lost (dropped when the
  // sender's own queue is full), and then the window never reopens. With no
  // credit or return for 200-400 ms, what is outstanding is written off (and
  // counted), and END is sent again if it was lost. One interval timer, not
  // one per wait.
  let writtenOff = 0, stalls = 0, progress = 0, seen = -1
  const guard = setInterval(() => {
    if (progress !== seen) {
      seen = progress
      return
    }
    stalls++
    if (ended) {
      try {
        sendControl(sock, service, MAGIC_END, sent)
      } catch (err) {
        // The receiver got END and left, but its DONE was lost: finished.
        if (!(err instanceof NoRouteError)) throw err
        finish()
      }
    } else {
      writtenOff = sent - credited - returned
      pump()
    }
  }, 200)
  markCpu()
  const t0 = performance.now()
  const tEnd = t0 + duration * 1000

  function pump() {
    if (ended || waiting) return
    while (sent - credited - returned - writtenOff < window) {
      const n = Math.min(batch, window - (sent - credited - returned - writtenOff))
      const rc = sock.sendPacked(service, packed, lengths, n)
      sendCalls++
      sent += rc
      if (rc < n) {
        // congested: wait for writability, like the C side's poll(POLLOUT)
        eagain++
        waiting = true
        sock.writable().then(() => {
          waiting = false
          pump()
        })
        return
      }
    }
    if (performance.now() >= tEnd) {
      sendControl(sock, service, MAGIC_END, sent)
      ended = true
    }
  }

  receive(sock, (b) => {
    progress++
    let done = false
    for (let i = 0; i < b.length; i++) {
      if (b.isReturned(i)) {
        returned++
        if (b.errorCode(i) === TIPC_ERR_OVERLOAD) retOverload++
        else retOther++
        continue
      }
      const m = magicAt(b, i)
      if (m === MAGIC_CREDIT) {
        const v = valueOf(b.data(i))
        if (v > credited) credited = v
        credits++
      } else if (m === MAGIC_DONE) {
        done = true
      }
    }
    if (done) finish()
    else pump()
  })

  function finish() {
    clearInterval(guard)
    sock.close()
    print({
      role: 'send', size, sent, credited, returned, returnedOverload: retOverload, returnedOther: retOther, credits,
      sendCalls, eagain, stalls, writtenOff, elapsed: (performance.now() - t0) / 1000,
    })
  }
  pump()
}

function runPong() {
  const sock = DatagramSocket.open()
  bindName(sock)
  markCpu()
  let echoed = 0
  receive(sock, (b) => {
    for (let i = 0; i < b.length; i++) {
      if (b.isReturned(i)) continue
      if (magicAt(b, i) === MAGIC_END) {
        sock.close()
        print({ role: 'pong', echoed })
        return
      }
      if (borrowed) {
        sock.replyTo(b, i, b.data(i))
      } else {
        const msg = b.at(i)
        sock.sendto(msg.from, msg.data)
      }
      echoed++
    }
  })
}

function runPing() {
  const sock = DatagramSocket.open()
  const msg = new Uint8Array(Math.min(size, 64))
  new DataView(msg.buffer).setUint32(0, MAGIC_PING, true)
  const lengths = new Uint32Array([msg.byteLength])
  const rtt = new Float64Array(count)
  const total = warmup + count
  let k = 0
  let t = 0
  receive(sock, (b) => {
    let got = false
    for (let i = 0; i < b.length; i++) {
      if (!b.isReturned(i) && magicAt(b, i) === MAGIC_PING) got = true
    }
    if (!got) return
    const now = performance.now()
    if (k >= warmup) rtt[k - warmup] = (now - t) * 1000
    k++
    if (k < total) {
      t = performance.now()
      sock.sendPacked(service, msg, lengths, 1)
      return
    }
    sendControl(sock, service, MAGIC_END, 0)
    sock.close()
    let sum = 0
    for (const v of rtt) sum += v
    rtt.sort()
    print({
      role: 'ping', count, p50: rtt[count >> 1], p99: rtt[Math.floor(count * 0.99)], min: rtt[0], max: rtt[count - 1],
      mean: sum / count,
    })
  })
  markCpu()
  t = performance.now()
  sock.sendPacked(service, msg, lengths, 1)
}

switch (mode) {
  case 'recv': runRecv(); break
  case 'send': runSend(); break
  case 'pong': runPong(); break
  case 'ping': runPing(); break
  default:
    console.error('usage: node bench/rdm/rdm-bench.mjs recv|send|pong|ping [--type T] [--size S] [--window W] ' +
      '[--batch B] [--duration SEC] [--count N] [--warmup N] [--receive copy|borrowed]')
    process.exit(2)
}
