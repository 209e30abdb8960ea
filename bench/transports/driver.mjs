// Transport benchmarks, all in one run so the ratios compare like with like
// on a shared, noisy machine: runs are interleaved (udp / zeromq alternate
// per repetition, RTT implementations rotate) and medians are reported with
// their ranges. Every process is bounded (deadline) and all traffic stays on
// 127.0.0.1 (the udp transport's discovery: multicast on loopback, TTL 0).
//
//   node bench/transports/driver.mjs [--sizes 64,1024,8192,61440] [--batch 64] [--duration 2]
//        [--repeat 3] [--rtt-count 20000] [--rtt-warmup 2000] [--only udp,zmq,memory,rtt]
//        [--csv] [--raw] [--node-args '--cpu-prof --cpu-prof-dir=bench/transports/out/prof']
//        [--udp-sockets native,dgram]
//
// 1. udp transport throughput: udp-bench.mjs recv + send (two processes)
//    against zeromq.js PUB/SUB over tcp loopback: zmq-bench.mjs recv + send.
// 2. memory transport throughput: memory-bench.mjs (one process).
// 3. request/response RTT, 64 B: udp transport (udp-bench.mjs pong + ping),
//    node:dgram ping-pong (dgram-bench.mjs), C ping-pong (out/udp_pingpong).
// --udp-sockets: which node socket the udp transport runs on (native: the
// addon's, the default; dgram: node:dgram); with both, the udp runs of each
// repetition alternate between them, and each gets its rows.
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
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
  'udp-sockets': 'native',
}
const { args, flags } = driverOptions(defaults)
const sizes = args.sizes.split(',').map(Number)
const batch = Number(args.batch)
const duration = Number(args.duration)
const repeat = Number(args.repeat)
const only = new Set(args.only.split(','))
const nodeArgs = args['node-args'] ? args['node-args'].split(' ') : []
// The udp transport's impl names: udp on the native socket, udpd on node:dgram.
const udpImpls = args['udp-sockets'].split(',').map((s) => (s === 'dgram' ? 'udpd' : 'udp'))
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

const start = startBenchProcess

const js = (file, mode, extra) => [node, [...nodeArgs, join(here, file), ...(mode ? [mode] : []), ...extra]]

async function pair(server, client, timeoutMs) {
  const s = start(...server, timeoutMs)
  const port = await s.ready
  const c = start(...client(port), timeoutMs)
  return Promise.all([s.done, c.done])
}

const throughputTimeout = duration * 1000 + 60000

async function udpThroughput(size, impl) {
  const id = nextId++
  const common = ['--type', String(0x7e5700 + id), '--cluster', String(clusterBase + id), '--size', String(size),
    '--batch', String(batch), '--duration', String(duration), '--socket', socketOf(impl)]
  const [recv, send] = await pair(js('udp-bench.mjs', 'recv', common), () => js('udp-bench.mjs', 'send', common), throughputTimeout)
  return { impl, size, recv, send }
}

async function zmqThroughput(size) {
  const common = ['--size', String(size), '--duration', String(duration)]
  const [recv, send] = await pair(js('zmq-bench.mjs', 'recv', common),
    (port) => js('zmq-bench.mjs', 'send', [...common, '--port', port]), throughputTimeout)
  return { impl: 'zmq', size, recv, send }
}

async function memoryThroughput(size) {
  const recv = await start(...js('memory-bench.mjs', '', ['--size', String(size), '--batch', String(batch),
    '--duration', String(duration)]), throughputTimeout).done
  return { impl: 'memory', size, recv, send: recv }
}

const rttArgs = ['--count', args['rtt-count'], '--warmup', args['rtt-warmup']]
async function rtt(impl) {
  if (impl === 'c') {
    const [, ping] = await pair([args['c-bin'], ['pong']],
      (port) => [args['c-bin'], ['ping', port, '64', args['rtt-count'], args['rtt-warmup']]], 120000)
    return { impl, ping }
  }
  if (impl === 'dgram') {
    const [, ping] = await pair(js('dgram-bench.mjs', 'pong', []),
      (port) => js('dgram-bench.mjs', 'ping', ['--port', port, '--size', '64', ...rttArgs]), 120000)
    return { impl, ping }
  }
  const id = nextId++
  const common = ['--type', String(0x7e5700 + id), '--cluster', String(clusterBase + id), '--size', '64', '--socket', socketOf(impl)]
  const [, ping] = await pair(js('udp-bench.mjs', 'pong', common), () => js('udp-bench.mjs', 'ping', [...common, ...rttArgs]), 120000)
  return { impl, ping }
}

// --- runs, interleaved -------------------------------------------------------

const runs = []
const rtts = []
let zmqSkipped
const t0 = performance.now()
for (let r = 0; r < repeat; r++) {
  for (const size of sizes) {
    const udps = r % 2 ? [...udpImpls].reverse() : udpImpls
    const order = r % 2 ? ['zmq', ...udps] : [...udps, 'zmq']
    for (const impl of order) {
      if (!only.has(impl === 'udpd' ? 'udp' : impl)) continue
      if (impl === 'zmq' && zmqSkipped) continue
      const x = impl === 'zmq' ? await zmqThroughput(size) : await udpThroughput(size, impl)
      if (x.recv.skipped) {
        zmqSkipped = x.recv.skipped
        continue
      }
      x.rep = r
      runs.push(x)
    }
  }
  if (only.has('memory')) for (const size of sizes) runs.push({ ...(await memoryThroughput(size)), rep: r })
  if (only.has('rtt')) {
    const impls = ['c', 'dgram', ...udpImpls]
    for (let i = 0; i < impls.length; i++) rtts.push({ ...(await rtt(impls[(i + r) % impls.length])), rep: r })
  }
}
const wall = (performance.now() - t0) / 1000

// --- report ------------------------------------------------------------------

const median = (xs) => {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0)

function summary(impl, size) {
  const rs = runs.filter((x) => x.impl === impl && x.size === size)
  if (!rs.length) return undefined
  const delivered = sum(rs.map((x) => x.recv.delivered))
  const sent = sum(rs.map((x) => x.send.sent))
  const cpuPer = (role) => (sum(rs.map((x) => x[role].cpuUser + x[role].cpuSys)) / delivered) * 1e6
  const v = rs.map((x) => x.recv.msgsPerSec)
  return {
    msgs: median(v), mb: median(rs.map((x) => x.recv.mbPerSec)), min: Math.min(...v), max: Math.max(...v),
    delivered, sent, returned: sum(rs.map((x) => x.send.returned ?? 0)),
    retransmits: sum(rs.map((x) => x.send.retransmits ?? 0)), timeouts: sum(rs.map((x) => x.send.timeouts ?? 0)),
    sendCpu: cpuPer('send'), recvCpu: impl === 'memory' ? NaN : cpuPer('recv'),
  }
}
// Ratio a/b per repetition (the two runs of one repetition are adjacent), then median and range.
function ratios(a, b, size) {
  const out = []
  for (let r = 0; r < repeat; r++) {
    const x = runs.find((y) => y.impl === a && y.size === size && y.rep === r)
    const y = runs.find((z) => z.impl === b && z.size === size && z.rep === r)
    if (x && y && y.recv.msgsPerSec > 0) out.push(x.recv.msgsPerSec / y.recv.msgsPerSec)
  }
  return out.length ? { med: median(out), min: Math.min(...out), max: Math.max(...out) } : undefined
}
function rttSummary(impl) {
  const rs = rtts.filter((x) => x.impl === impl)
  if (!rs.length) return undefined
  const p50 = rs.map((x) => x.ping.p50)
  return { p50: median(p50), p99: median(rs.map((x) => x.ping.p99)), mean: median(rs.map((x) => x.ping.mean)),
    min50: Math.min(...p50), max50: Math.max(...p50), max99: Math.max(...rs.map((x) => x.ping.p99)),
    min99: Math.min(...rs.map((x) => x.ping.p99)) }
}
function rttRatios(a, b, key) {
  const out = []
  for (let r = 0; r < repeat; r++) {
    const x = rtts.find((y) => y.impl === a && y.rep === r)
    const y = rtts.find((z) => z.impl === b && z.rep === r)
    if (x && y) out.push(x.ping[key] / y.ping[key])
  }
  return out.length ? { med: median(out), min: Math.min(...out), max: Math.max(...out) } : undefined
}

if (flags.has('raw')) for (const x of [...runs, ...rtts]) console.log(JSON.stringify(x))

let kernel = ''
try {
  kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
} catch {}
const f0 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0))
const f1 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1))
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(2))
const rng = (r, f = f2) => (r ? `${f(r.min)}-${f(r.max)}` : '-')
const pad = (s, n) => String(s ?? '-').padStart(n)
const row = (cells, widths) => cells.map((c, i) => pad(c, widths[i])).join(' ')
const sizeRows = sizes.map((size) => ({
  size, udp: summary('udp', size), zmq: summary('zmq', size), mem: summary('memory', size),
  uz: ratios('udp', 'zmq', size), um: ratios('udp', 'memory', size),
  udpd: summary('udpd', size), udz: ratios('udpd', 'zmq', size), uud: ratios('udp', 'udpd', size),
}))
const rttS = { c: rttSummary('c'), dgram: rttSummary('dgram'), udp: rttSummary('udp'), udpd: rttSummary('udpd') }
const rttR = {
  udpC50: rttRatios('udp', 'c', 'p50'), udpC99: rttRatios('udp', 'c', 'p99'),
  udpD50: rttRatios('udp', 'dgram', 'p50'), dC50: rttRatios('dgram', 'c', 'p50'),
  udpdC50: rttRatios('udpd', 'c', 'p50'), udpdC99: rttRatios('udpd', 'c', 'p99'),
}

if (flags.has('csv')) {
  console.log('bench,size,impl,msgs_s_median,mb_s_median,msgs_s_min,msgs_s_max,delivered,sent,returned,retransmits,' +
    'us_cpu_per_msg_send,us_cpu_per_msg_recv,ratio_udp_zmq,ratio_udp_zmq_min,ratio_udp_zmq_max')
  for (const r of sizeRows) {
    for (const [impl, s, uz] of [['udp', r.udp, r.uz], ['udpd', r.udpd, r.udz], ['zmq', r.zmq], ['memory', r.mem]]) {
      if (!s) continue
      console.log(['throughput', r.size, impl, f0(s.msgs), f2(s.mb), f0(s.min), f0(s.max), s.delivered, s.sent, s.returned,
        s.retransmits, f2(s.sendCpu), f2(s.recvCpu),
        ...(uz ? [f2(uz.med), f2(uz.min), f2(uz.max)] : ['', '', ''])].join(','))
    }
  }
  console.log('bench,size,impl,p50_us,p99_us,mean_us,p50_min,p50_max,ratio_p50_to_c,ratio_p99_to_c')
  for (const impl of ['c', 'dgram', 'udp', 'udpd']) {
    const s = rttS[impl]
    if (!s) continue
    const r50 = rttRatios(impl, 'c', 'p50')
    const r99 = rttRatios(impl, 'c', 'p99')
    console.log(['rtt', 64, impl, f1(s.p50), f1(s.p99), f1(s.mean), f1(s.min50), f1(s.max50), f2(r50?.med), f2(r99?.med)].join(','))
  }
  process.exit(0)
}

console.log(`Transport benchmarks (node ${process.version}, kernel ${kernel}, ${cpus().length} CPU ${cpus()[0]?.model ?? ''})`)
console.log(`config: sizes ${sizes.join(',')} B, ${duration} s per throughput run, ${repeat} repetitions interleaved ` +
  `(udp/zeromq alternate first; RTT implementations rotate), medians shown, [min-max] over repetitions; ` +
  `sender batch ${batch} (sendBatch); everything on 127.0.0.1; total ${wall.toFixed(0)} s`)
console.log(`baseline: ${zmqSkipped ? `zeromq SKIPPED: ${zmqSkipped}` : `zeromq.js ${zmqVersion} PUB/SUB over tcp://127.0.0.1 (HWM 1000, drops at HWM; counted at the receiver)`}`)
if (only.has('udp') || only.has('zmq')) {
  console.log('')
  console.log('1. udp transport throughput, one sender and one receiver process, msgs/s delivered at the receiver')
  const w = [6, 10, 8, 17, 10, 8, 17, 7, 11, 11]
  console.log(row(['size', 'udp msg/s', 'udp MB/s', 'udp range', 'zmq msg/s', 'zmq MB/s', 'zmq range', 'udp/zmq', 'ratio range',
    'zmq deliv%'], w))
  for (const r of sizeRows) {
    console.log(row([r.size, f0(r.udp?.msgs), f1(r.udp?.mb), r.udp ? `${f0(r.udp.min)}-${f0(r.udp.max)}` : '-', f0(r.zmq?.msgs),
      f1(r.zmq?.mb), r.zmq ? `${f0(r.zmq.min)}-${f0(r.zmq.max)}` : '-', f2(r.uz?.med), rng(r.uz),
      r.zmq ? f1((100 * r.zmq.delivered) / r.zmq.sent) : '-'], w))
  }
  console.log('   CPU per delivered message, user+sys µs (sender / receiver); udp: returned, retransmits, RTO expiries (all runs):')
  for (const r of sizeRows) {
    console.log(`   ${pad(r.size, 6)}  udp ${f2(r.udp?.sendCpu)} / ${f2(r.udp?.recvCpu)}  ret ${r.udp?.returned ?? '-'} ` +
      `rexmit ${r.udp?.retransmits ?? '-'} rto ${r.udp?.timeouts ?? '-'}   zmq ${f2(r.zmq?.sendCpu)} / ${f2(r.zmq?.recvCpu)}`)
  }
  console.log(`   target: udp >= 2x zeromq at 64 B: measured ${f2(sizeRows.find((r) => r.size === 64)?.uz?.med)}x`)
  if (udpImpls.includes('udpd')) {
    console.log('   the udp transport on node:dgram (socket: \'dgram\'), same repetitions: msgs/s [range], ratios per repetition, CPU µs/msg (sender / receiver)')
    for (const r of sizeRows) {
      console.log(`   ${pad(r.size, 6)}  dgram ${f0(r.udpd?.msgs)} [${r.udpd ? `${f0(r.udpd.min)}-${f0(r.udpd.max)}` : '-'}]` +
        `  dgram/zmq ${f2(r.udz?.med)} [${rng(r.udz)}]  native/dgram ${f2(r.uud?.med)} [${rng(r.uud)}]` +
        `  cpu ${f2(r.udpd?.sendCpu)} / ${f2(r.udpd?.recvCpu)}`)
    }
  }
}
if (only.has('memory')) {
  console.log('')
  console.log('2. memory transport throughput, sender and receiver in one process (the core alone, no sockets)')
  const w = [6, 10, 9, 17, 11, 11]
  console.log(row(['size', 'msg/s', 'MB/s', 'range', 'udp/memory', 'ratio range'], w))
  for (const r of sizeRows) {
    console.log(row([r.size, f0(r.mem?.msgs), f1(r.mem?.mb), r.mem ? `${f0(r.mem.min)}-${f0(r.mem.max)}` : '-', f2(r.um?.med), rng(r.um)], w))
  }
  console.log(`   CPU per message (both sides, one thread), µs: ${sizeRows.map((r) => `${r.size} B ${f2(r.mem?.sendCpu)}`).join(', ')}`)
}
if (only.has('rtt')) {
  console.log('')
  console.log(`3. request/response round trip, 64 B, one in flight, ${args['rtt-count']} round trips after ${args['rtt-warmup']} ` +
    `warm-up, median over ${repeat} runs [range of p50]`)
  const w = [28, 8, 8, 8, 15, 15]
  console.log(row(['implementation', 'p50 µs', 'p99 µs', 'mean µs', 'p50 range', 'p99 range'], w))
  const names = { c: 'C (blocking sendto/recv)', dgram: 'node:dgram ping-pong', udp: 'udp transport (RDM)', udpd: 'udp transport, dgram socket' }
  for (const impl of ['c', 'dgram', 'udp', 'udpd']) {
    const s = rttS[impl]
    if (!s && impl === 'udpd') continue
    console.log(row([names[impl], f1(s?.p50), f1(s?.p99), f1(s?.mean), s ? `${f1(s.min50)}-${f1(s.max50)}` : '-',
      s ? `${f1(s.min99)}-${f1(s.max99)}` : '-'], w))
  }
  console.log(`   udp/C p50 ${f2(rttR.udpC50?.med)}x [${rng(rttR.udpC50)}], p99 ${f2(rttR.udpC99?.med)}x [${rng(rttR.udpC99)}]; ` +
    `udp/dgram p50 ${f2(rttR.udpD50?.med)}x [${rng(rttR.udpD50)}]; dgram/C p50 ${f2(rttR.dC50?.med)}x [${rng(rttR.dC50)}]`)
  if (rttS.udpd) console.log(`   udp (dgram socket)/C p50 ${f2(rttR.udpdC50?.med)}x [${rng(rttR.udpdC50)}], p99 ${f2(rttR.udpdC99?.med)}x [${rng(rttR.udpdC99)}]`)
  console.log(`   target: udp p50 <= 1.5x C: measured ${f2(rttR.udpC50?.med)}x`)
}
