// Reference: plain node:dgram ping-pong on 127.0.0.1 (what Node's UDP costs
// before any protocol), one process per role.
//
//   node bench/transports/dgram-bench.mjs pong [--sockbuf BYTES]
//   node bench/transports/dgram-bench.mjs ping --port P [--size S] [--count N] [--warmup N] [--sockbuf BYTES]
//
// pong binds 127.0.0.1:0, prints READY <port> and echoes every datagram to
// its sender until a 1-byte one arrives; ping keeps one datagram in flight
// and times round trips with performance.now().
import dgram from 'node:dgram'
import { deadline, latency, markCpu, parseArgs, print } from './common.mjs'

const mode = process.argv[2]
const o = parseArgs({ port: 0, size: 64, count: 20000, warmup: 2000, sockbuf: 0 })
deadline(60000 + o.count * 5, `dgram-bench ${mode}`)
const sock = dgram.createSocket('udp4')
/** SO_SNDBUF/SO_RCVBUF as every implementation in the run asks (0: the system's). */
function setBuffers() {
  if (o.sockbuf <= 0) return
  sock.setRecvBufferSize(o.sockbuf)
  sock.setSendBufferSize(o.sockbuf)
}

if (mode === 'pong') {
  let echoed = 0
  sock.on('message', (msg, rinfo) => {
    if (msg.length === 1) {
      print({ role: 'pong', impl: 'dgram', echoed })
      sock.close()
      return
    }
    sock.send(msg, rinfo.port, rinfo.address)
    echoed++
  })
  sock.bind(0, '127.0.0.1', () => {
    setBuffers()
    process.stdout.write(`READY ${sock.address().port}\n`)
  })
} else if (mode === 'ping') {
  const msg = Buffer.alloc(o.size)
  const rtt = new Float64Array(o.count)
  const total = o.warmup + o.count
  let k = 0
  let t = 0
  sock.on('message', () => {
    const now = performance.now()
    if (k >= o.warmup) rtt[k - o.warmup] = (now - t) * 1000
    k++
    if (k < total) {
      t = performance.now()
      sock.send(msg)
      return
    }
    sock.send(Buffer.alloc(1), () => {
      print({ role: 'ping', impl: 'dgram', ...latency(rtt) })
      sock.close()
    })
  })
  sock.bind(0, '127.0.0.1', () => {
    setBuffers()
    sock.connect(o.port, '127.0.0.1', () => {
      markCpu()
      t = performance.now()
      sock.send(msg)
    })
  })
} else {
  console.error('usage: node bench/transports/dgram-bench.mjs pong | ping --port P [--size S] [--count N] [--warmup N]')
  process.exit(2)
}
