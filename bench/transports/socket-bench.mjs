// The native UDP socket alone (bindings/udp-socket.ts, no transport): how
// fast a receiver takes datagrams in the copying mode (each batch copied
// into a pooled block, views valid while held) and in the borrowed mode
// (each batch in the socket's one region, views valid during the callback),
// and how much garbage collection each costs. One sender process sends
// batches of 64 datagrams of SIZE bytes as fast as the socket takes them;
// the receiver counts what arrives (plain UDP: what its buffer cannot hold
// is dropped, so only delivered datagrams count).
//
//   node bench/transports/socket-bench.mjs [--sizes 8192,61440] [--repeat 3] [--duration 3]
//
// Modes alternate within each repetition. Per run: datagrams/s delivered,
// receiver CPU µs per datagram, and the receiver's collections (node's
// perf_hooks 'gc' entries: mark-compacts and scavenges, with their ms).
// Needs dist/ (npm run build) and the addon.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { UdpSocket } from '../../dist/bindings/udp-socket.js'
import { median } from '../common/stats.mjs'

const range = (xs) => `[${Math.min(...xs)}-${Math.max(...xs)}]`

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const role = args[0]
const duration = Number(opt('duration', 3))

if (role === 'recv') {
  const borrowed = opt('mode') === 'borrowed'
  const gc = { major: 0, majorMs: 0, minor: 0, minorMs: 0 }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) { gc.major++; gc.majorMs += e.duration }
      else if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) { gc.minor++; gc.minorMs += e.duration }
    }
  }).observe({ entryTypes: ['gc'] })
  let datagrams = 0
  let bytes = 0
  let touched = 0
  let started = 0
  let last = 0
  let cpu
  const socket = UdpSocket.bind({
    address: '127.0.0.1', port: 0, receiveBufferSize: 4 << 20, gro: false, borrowed,
    onDatagram: (data) => {
      last = performance.now()
      if (started === 0) { started = last; cpu = process.cpuUsage() }
      datagrams++
      bytes += data.byteLength
      touched ^= data[0] ^ data[data.byteLength - 1]  // read the datagram, as a consumer would
    },
  })
  process.stdout.write(`${socket.port}\n`)
  process.stdin.once('data', () => {
    const elapsed = (last - started) / 1000
    const c = process.cpuUsage(cpu)
    socket.close()
    setImmediate(() => {
      console.log(JSON.stringify({ mode: borrowed ? 'borrowed' : 'copying', datagrams, bytes, perSec: datagrams / elapsed, touched,
        cpuUsPerDatagram: (c.user + c.system) / datagrams, ...gc }))
      process.exit(0)
    })
  })
} else if (role === 'send') {
  const size = Number(opt('size'))
  const port = Number(opt('port'))
  const socket = UdpSocket.bind({ address: '127.0.0.1', port: 0, sendBufferSize: 4 << 20, gso: false, onDatagram: () => {}, onWritable: () => loop() })
  const packet = Buffer.alloc(size, 7)
  const buffers = Array(64).fill(packet)
  const parts = new Uint32Array(64).fill(1)
  const dests = new Uint32Array(128)
  for (let i = 0; i < 64; i++) { dests[2 * i] = 0x7f000001; dests[2 * i + 1] = port }
  const end = performance.now() + duration * 1000
  function loop() {
    while (performance.now() < end) {
      if (socket.sendBatch(buffers, parts, dests, 64) < 64) return socket.waitWritable()
    }
    socket.close()
  }
  loop()
} else {
  const sizes = opt('sizes', '8192,61440').split(',').map(Number)
  const repeat = Number(opt('repeat', 3))
  const self = fileURLToPath(import.meta.url)
  const runOnce = (size, mode) => new Promise((resolve) => {
    const recv = spawn(process.execPath, [self, 'recv', '--mode', mode], { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    let started = false
    recv.stdout.on('data', (d) => {
      out += d
      if (!out.includes('\n') || started) return
      started = true
      const port = out.split('\n')[0]
      const send = spawn(process.execPath, [self, 'send', '--size', String(size), '--port', port, '--duration', String(duration)], { stdio: 'inherit' })
      send.on('exit', () => setTimeout(() => recv.stdin.write('end\n'), 200))
    })
    recv.on('exit', () => resolve(JSON.parse(out.trim().split('\n').pop())))
  })
  console.log(`native UDP socket, copying vs borrowed receive: node ${process.version}, sizes ${sizes}, ${repeat} repetitions of ${duration} s, modes alternating`)
  for (const size of sizes) {
    const runs = { copying: [], borrowed: [] }
    for (let r = 0; r < repeat; r++) {
      for (const mode of r % 2 === 0 ? ['copying', 'borrowed'] : ['borrowed', 'copying']) runs[mode].push(await runOnce(size, mode))
    }
    const ratios = runs.borrowed.map((b, i) => b.perSec / runs.copying[i].perSec)
    for (const mode of ['copying', 'borrowed']) {
      const rs = runs[mode]
      const f = (k, d = 1) => median(rs.map((x) => x[k])).toFixed(d)
      console.log(`${size} B ${mode.padEnd(8)} ${Math.round(median(rs.map((x) => x.perSec)))} datagrams/s ${range(rs.map((x) => Math.round(x.perSec)))}` +
        `  rcv CPU ${f('cpuUsPerDatagram', 2)} µs/datagram  mark-compacts ${f('major', 0)} (${f('majorMs')} ms)  scavenges ${f('minor', 0)} (${f('minorMs')} ms)`)
    }
    console.log(`${size} B borrowed/copying ${median(ratios).toFixed(2)}x ${range(ratios.map((x) => +x.toFixed(2)))}`)
  }
}
