// Transport benchmarks, all in one run so the ratios compare like with like
// on a shared, noisy machine: runs are interleaved (udp / zeromq alternate
// per repetition, RTT implementations rotate) and medians are reported with
// their ranges. Every process is bounded (deadline) and all traffic stays on
// 127.0.0.1 (the udp transport's discovery: multicast on loopback, TTL 0).
//
//   node bench/transports/driver.mjs [--sizes 64,1024,8192,61440] [--batch 64] [--duration 2]
//        [--repeat 3] [--rtt-count 20000] [--rtt-warmup 2000] [--only udp,zmq,memory,rtt]
//        [--pin both|on|off] [--zmq-hwm 100000] [--sockbuf 4194304]
//        [--csv] [--raw] [--node-args '--cpu-prof --cpu-prof-dir=bench/transports/out/prof']
//        [--udp-sockets native,dgram] [--udp-receive copy,borrowed]
//
// --udp-sockets native,dgram also runs the udp transport on node:dgram
// (socket: 'dgram', impl "udpd") in the same repetitions: before and after
// the native socket in one run. --udp-receive copy,borrowed also runs it
// with borrowed receive (borrowedReceive: true, impl "udpb": the receiver's
// message data valid during its handler only; udp-bench's receiver reads
// nothing after), next to the default receive in the same repetitions.
//
// Pinning (--pin, default both): every configuration runs twice per
// repetition, once with each process pinned to a core by taskset (receiver
// or pong on CPU 1, sender or ping on CPU 0, as bench-ref-style figures
// are taken) and once unpinned; both tables are printed, each ratio from
// runs of the same mode and repetition. Socket buffers: every
// implementation asks for the same SO_SNDBUF/SO_RCVBUF (--sockbuf; the
// udp transport's own default, 4 MiB). zeromq's high-water marks
// (--zmq-hwm, messages) are raised from its default 1000 so that the HWM
// does not set the pace: ZeroMQ's guide recommends raising them for
// throughput, and at 1000 a 64 B stream hits the HWM at 64 KiB queued. The
// queue is capped at 16 MiB a side (as bench/pubsub's; never below 1000),
// so that a run's backlog drains in seconds.
//
// 1. udp transport throughput: udp-bench.mjs recv + send (two processes)
//    against zeromq.js PUB/SUB over tcp loopback: zmq-bench.mjs recv + send.
// 2. memory transport throughput: memory-bench.mjs (one process).
// 3. request/response RTT, 64 B: udp transport (udp-bench.mjs pong + ping),
//    node:dgram ping-pong (dgram-bench.mjs), C ping-pong (out/udp_pingpong).
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { report } from './report.mjs'
import { driverOptions } from '../common/driver-options.mjs'
import { startBenchProcess } from '../common/bench-process.mjs'
import { createRequire } from 'node:module'

const here = dirname(fileURLToPath(import.meta.url))
const defaults = {
  sizes: '64,1024,8192,61440',
  batch: '64',
  duration: '2',
  repeat: '3',
  'rtt-count': '20000',
  'rtt-warmup': '2000',
  only: 'udp,zmq,memory,rtt',
  'c-bin': join(here, 'out', 'udp_pingpong'),
  'node-args': '',
  pin: 'both',
  'zmq-hwm': '100000',
  sockbuf: String(4 << 20),
  'udp-sockets': 'native',
  'udp-receive': 'copy',
}
const { args, flags } = driverOptions(defaults)
const sizes = args.sizes.split(',').map(Number)
const batch = Number(args.batch)
const duration = Number(args.duration)
const repeat = Number(args.repeat)
const only = new Set(args.only.split(','))
const nodeArgs = args['node-args'] ? args['node-args'].split(' ') : []
if (!['both', 'on', 'off'].includes(args.pin)) {
  console.error('driver: --pin must be both, on or off')
  process.exit(2)
}
// Pinning needs two cores (sender and receiver apart) and taskset.
const canPin = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0
const pinModes = args.pin === 'both' ? [false, true] : [args.pin === 'on']
if (pinModes.includes(true) && !canPin) {
  console.error('driver: pinning needs taskset and at least 2 CPUs; running unpinned only')
  pinModes.splice(0, pinModes.length, false)
}
const sockbuf = ['--sockbuf', args.sockbuf]
// The udp transport's impl names: udp on the native socket, udpd on node:dgram.
const udpImpls = args['udp-sockets'].split(',').map((s) => (s === 'dgram' ? 'udpd' : 'udp'))
if (args['udp-receive'].split(',').includes('borrowed')) udpImpls.push('udpb')
const receiveOf = (impl) => (impl === 'udpb' ? 'borrowed' : 'copy')
const socketOf = (impl) => (impl === 'udpd' ? 'dgram' : 'native')
const node = process.execPath
// One cluster id and service type per pair: other udp nodes on this host
// (tests, other benches) are ignored (otherCluster) and never linked with.
const clusterBase = 0x7e570000 + ((Math.random() * 0x8000) | 0) * 2
let nextId = 0

let zmqVersion
try {
  const require = createRequire(import.meta.url)
  zmqVersion = JSON.parse(readFileSync(require.resolve('zeromq/package.json'), 'utf8')).version
} catch {}

/** Start a process, on CPU `cpu` when pinned (receiver/pong 1, sender/ping 0). */
let pinned = false
const start = (cmd, argv, timeoutMs, cpu) =>
  pinned ? startBenchProcess('taskset', ['-c', String(cpu), cmd, ...argv], timeoutMs) : startBenchProcess(cmd, argv, timeoutMs)

const js = (file, mode, extra) => [node, [...nodeArgs, join(here, file), ...(mode ? [mode] : []), ...extra]]

async function pair(server, client, timeoutMs) {
  const s = start(...server, timeoutMs, 1)
  const port = await s.ready
  const c = start(...client(port), timeoutMs, 0)
  return Promise.all([s.done, c.done])
}

const throughputTimeout = duration * 1000 + 60000

async function udpThroughput(size, impl) {
  const id = nextId++
  const common = ['--type', String(0x7e5700 + id), '--cluster', String(clusterBase + id), '--size', String(size),
    '--batch', String(batch), '--duration', String(duration), ...sockbuf, '--socket', socketOf(impl), '--receive', receiveOf(impl)]
  const [recv, send] = await pair(js('udp-bench.mjs', 'recv', common), () => js('udp-bench.mjs', 'send', common), throughputTimeout)
  return { impl, size, recv, send }
}

async function zmqThroughput(size) {
  const hwm = Math.max(1000, Math.min(Number(args['zmq-hwm']), Math.floor((16 << 20) / size)))
  const common = ['--size', String(size), '--duration', String(duration), '--hwm', String(hwm), ...sockbuf]
  const [recv, send] = await pair(js('zmq-bench.mjs', 'recv', common),
    (port) => js('zmq-bench.mjs', 'send', [...common, '--port', port]), throughputTimeout)
  return { impl: 'zmq', size, recv, send }
}

async function memoryThroughput(size) {
  const recv = await start(...js('memory-bench.mjs', '', ['--size', String(size), '--batch', String(batch),
    '--duration', String(duration)]), throughputTimeout, 0).done
  return { impl: 'memory', size, recv, send: recv }
}

const rttArgs = ['--count', args['rtt-count'], '--warmup', args['rtt-warmup']]
async function rtt(impl) {
  if (impl === 'c') {
    const [, ping] = await pair([args['c-bin'], ['pong', args.sockbuf]],
      (port) => [args['c-bin'], ['ping', port, '64', args['rtt-count'], args['rtt-warmup'], args.sockbuf]], 120000)
    return { impl, ping }
  }
  if (impl === 'dgram') {
    const [, ping] = await pair(js('dgram-bench.mjs', 'pong', sockbuf),
      (port) => js('dgram-bench.mjs', 'ping', ['--port', port, '--size', '64', ...sockbuf, ...rttArgs]), 120000)
    return { impl, ping }
  }
  const id = nextId++
  const common = ['--type', String(0x7e5700 + id), '--cluster', String(clusterBase + id), '--size', '64', ...sockbuf,
    '--socket', socketOf(impl)]
  const [, ping] = await pair(js('udp-bench.mjs', 'pong', common), () => js('udp-bench.mjs', 'ping', [...common, ...rttArgs]), 120000)
  return { impl, ping }
}

// --- runs, interleaved -------------------------------------------------------

const runs = []
const rtts = []
let zmqSkipped
const t0 = performance.now()
for (let r = 0; r < repeat; r++) {
  // Pinned and unpinned alternate which goes first, like the implementations.
  for (const pin of r % 2 ? [...pinModes].reverse() : pinModes) {
    pinned = pin
    for (const size of sizes) {
      const udps = r % 2 ? [...udpImpls].reverse() : udpImpls
      const order = r % 2 ? ['zmq', ...udps] : [...udps, 'zmq']
      for (const impl of order) {
        if (!only.has(impl === 'udpd' || impl === 'udpb' ? 'udp' : impl)) continue
        if (impl === 'zmq' && zmqSkipped) continue
        const x = impl === 'zmq' ? await zmqThroughput(size) : await udpThroughput(size, impl)
        if (x.recv.skipped) {
          zmqSkipped = x.recv.skipped
          continue
        }
        runs.push({ ...x, rep: r, pinned: pin })
      }
    }
    if (only.has('memory')) for (const size of sizes) runs.push({ ...(await memoryThroughput(size)), rep: r, pinned: pin })
    if (only.has('rtt')) {
      const impls = ['c', 'dgram', ...udpImpls.filter((i) => i !== 'udpb')]
      for (let i = 0; i < impls.length; i++) rtts.push({ ...(await rtt(impls[(i + r) % impls.length])), rep: r, pinned: pin })
    }
  }
}
const wall = (performance.now() - t0) / 1000

report({ runs, rtts, sizes, repeat, pinModes, only, flags, wall, zmqSkipped, zmqVersion, batch, duration, args, udpImpls })
