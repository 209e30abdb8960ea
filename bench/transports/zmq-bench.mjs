// Baseline: zeromq.js (v6) PUB/SUB over tcp://127.0.0.1, one process per role.
//
//   node bench/transports/zmq-bench.mjs recv|send [--port P] [--size S] [--duration SEC] [--hwm N] [--sockbuf BYTES]
//
// recv: a Subscriber binds 127.0.0.1:0 (subscribes to everything), prints
// READY <port>, counts messages of S bytes; END ends it. send: a Publisher
// connects, sleeps 300 ms (the usual slow-joiner guard: PUB drops what is
// sent before the subscription reaches it; counting starts at the
// receiver's first message anyway),
// then `await pub.send(msg)` in a loop for SEC seconds, then END.
// PUB/SUB semantics: at the high-water mark (--hwm, each side; zeromq's
// default is 1000, the driver raises it, see driver.mjs) the publisher drops, it never waits (zeromq.js 6 with noDrop throws
// EAGAIN instead of waiting, so there is no lossless PUB mode to use): the
// receiver's count is the figure, the sender's is reported for the loss.
// zeromq.js has no batch send: one awaited send per message is its API.
// END is sent 5 times, 50 ms apart, as one could be dropped.
//
// When zeromq is not installed (it is a devDependency of the benchmark
// only) this prints {"skipped": "..."} and exits 0.
import { MAGIC_DATA, MAGIC_END, deadline, le32, markCpu, message, parseArgs, print, rate, valueOf } from './common.mjs'

const mode = process.argv[2]
const o = parseArgs({ port: 0, size: 64, duration: 2, hwm: 1000, sockbuf: 0 })
// SO_SNDBUF/SO_RCVBUF of the tcp connection, as every implementation in the run asks (0: the system's).
// zeromq.js exposes ZMQ_RCVBUF on receiving sockets and ZMQ_SNDBUF on sending ones.
const recvBuffer = o.sockbuf > 0 ? { receiveBufferSize: o.sockbuf } : {}
const sendBuffer = o.sockbuf > 0 ? { sendBufferSize: o.sockbuf } : {}
deadline((o.duration + 30) * 1000, `zmq-bench ${mode}`)

let zmq
try {
  zmq = await import('zeromq')
} catch (err) {
  process.stdout.write('READY 0\n')
  print({ role: mode, impl: 'zmq', skipped: `zeromq is not installed (npm install --no-save zeromq): ${err.code ?? err.message}` })
  process.exit(0)
}

async function runRecv() {
  const sub = new zmq.Subscriber({ receiveHighWaterMark: o.hwm, linger: 0, ...recvBuffer })
  sub.subscribe()
  await sub.bind('tcp://127.0.0.1:0')
  const port = Number(new URL(sub.lastEndpoint).port)
  process.stdout.write(`READY ${port}\n`)
  let delivered = 0, bytes = 0, tFirst = 0, tLast = 0, other = 0, sentReported = 0
  const finish = (endSeen) => {
    print({ role: 'recv', impl: 'zmq', size: o.size, delivered, bytes, sentReported, other, endSeen, ...rate(delivered, 1, tFirst, tLast, o.size) })
    sub.close()
    process.exit(0)
  }
  // PUB drops END like data while its queue is full (a raised HWM holds
  // seconds of backlog): after the data, 1.5 s of silence also ends the run.
  setInterval(() => {
    if (delivered > 0 && performance.now() - tLast > 1500) finish(false)
  }, 250).unref()
  for await (const [d] of sub) {
    const t = performance.now()
    const magic = le32(d)
    if (d.byteLength === o.size && magic === MAGIC_DATA) {
      if (delivered === 0) {
        markCpu()
        tFirst = t
      }
      delivered++
      bytes += d.byteLength
      tLast = t
    } else if (magic === MAGIC_END) {
      sentReported = valueOf(d)
      break
    } else {
      other++
    }
  }
  finish(true)
}

async function runSend() {
  const pub = new zmq.Publisher({ sendHighWaterMark: o.hwm, linger: 0, ...sendBuffer })
  pub.connect(`tcp://127.0.0.1:${o.port}`)
  await new Promise((r) => setTimeout(r, 300))
  const msg = Buffer.from(message(o.size, MAGIC_DATA))
  let sent = 0
  markCpu()
  const t0 = performance.now()
  const tEnd = t0 + o.duration * 1000
  for (;;) {
    for (let i = 0; i < 256; i++) await pub.send(msg)
    sent += 256
    if (performance.now() >= tEnd) break
  }
  const elapsed = (performance.now() - t0) / 1000
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 50))
    await pub.send(Buffer.from(message(16, MAGIC_END, sent)))
  }
  print({ role: 'send', impl: 'zmq', size: o.size, sent, elapsed })
  pub.close()
  process.exit(0)
}

switch (mode) {
  case 'recv': await runRecv(); break
  case 'send': await runSend(); break
  default:
    console.error('usage: node bench/transports/zmq-bench.mjs recv|send [--port P] [--size S] [--duration SEC]')
    process.exit(2)
}
