// Runs inside the TIPC guest (bench/rdm/run.sh boots it once): for each
// message size, a receiver and a sender process, C (sendmmsg/recvmmsg) then
// JS (tipc-rx bindings), repeated and interleaved; then ping-pong RTT. Prints
// a table (or CSV with --csv). Only node built-ins: it must not load the addon
// itself, it only starts processes.
//
//   node bench/rdm/driver.mjs --c-bin bench/rdm/out/rdm_bench [--sizes 64,1024,8192,61440]
//        [--windows 512,512,128,16] [--batch 64] [--duration 2] [--repeat 3]
//        [--rtt-count 20000] [--rtt-warmup 2000] [--csv] [--raw] [--only c|js] [--node-args '...']
import { spawn } from 'node:child_process'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { driverOptions } from '../common/driver-options.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const defaults = {
  'c-bin': join(here, 'out', 'rdm_bench'),
  sizes: '64,1024,8192,61440',
  windows: '',
  batch: '64',
  duration: '2',
  repeat: '3',
  'rtt-count': '20000',
  'rtt-warmup': '2000',
  only: '',
  // extra node options for the JS processes, space-separated (e.g. '--cpu-prof --cpu-prof-dir=bench/rdm/out/prof')
  'node-args': '',
}
const { args, flags } = driverOptions(defaults)

const sizes = args.sizes.split(',').map(Number)
// Default windows: as many messages in flight as fit comfortably in the
// receiver's default queue limit, capped at 512 (see docs/benchmarks.md).
const defaultWindow = (s) => Math.max(4, Math.min(512, 2 ** Math.floor(Math.log2((1 << 20) / (s + 1024)))))
const windows = args.windows ? args.windows.split(',').map(Number) : sizes.map(defaultWindow)
if (windows.length !== sizes.length) throw new Error('--windows needs one window per size')
const batch = Number(args.batch)
const duration = Number(args.duration)
const repeat = Number(args.repeat)
const impls = args.only ? [args.only] : ['c', 'js']
const node = process.execPath
const jsBench = join(here, 'rdm-bench.mjs')
let nextType = 0x7e570

function command(impl, mode, extra) {
  const opts = ['--type', String(nextType), ...extra]
  const nodeArgs = args['node-args'] ? args['node-args'].split(' ') : []
  return impl === 'c' ? [args['c-bin'], [mode, ...opts]] : [node, [...nodeArgs, jsBench, mode, ...opts]]
}

// Start a process; resolves { json, stderr } when it exits; `ready` resolves
// when it prints READY.
function start(impl, mode, extra, timeoutMs) {
  const [cmd, argv] = command(impl, mode, extra)
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  let onReady
  const ready = new Promise((resolve) => (onReady = resolve))
  child.stdout.on('data', (d) => {
    out += d
    if (out.includes('READY\n')) onReady()
  })
  child.stderr.on('data', (d) => (err += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const done = new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      onReady()
      const line = out.split('\n').filter((l) => l.startsWith('{')).pop()
      if (code !== 0 || !line) {
        reject(new Error(`${impl} ${mode} failed (code ${code}, signal ${signal}): ${err.trim() || out.trim()}`))
      } else {
        resolve(JSON.parse(line))
      }
    })
  })
  return { ready, done }
}

async function pair(impl, serverMode, clientMode, serverArgs, clientArgs, timeoutMs) {
  nextType++
  const server = start(impl, serverMode, serverArgs, timeoutMs)
  await server.ready
  const client = start(impl, clientMode, clientArgs, timeoutMs)
  const [s, c] = await Promise.all([server.done, client.done])
  return [s, c]
}

async function throughput(impl, size, window) {
  const common = ['--size', String(size), '--window', String(window), '--batch', String(batch)]
  const [recv, send] = await pair(impl, 'recv', 'send', common, [...common, '--duration', String(duration)],
    duration * 1000 + 60000)
  return { impl, size, window, recv, send }
}

async function rtt(impl) {
  const extra = ['--size', '64', '--batch', String(batch)]
  const [pong, ping] = await pair(impl, 'pong', 'ping', extra,
    [...extra, '--count', args['rtt-count'], '--warmup', args['rtt-warmup']], 120000)
  return { impl, pong, ping }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0)

const runs = []
const rtts = []
for (let r = 0; r < repeat; r++) {
  for (let i = 0; i < sizes.length; i++) {
    for (const impl of impls) runs.push(await throughput(impl, sizes[i], windows[i]))
  }
  for (const impl of impls) rtts.push(await rtt(impl))
}

// --- report -----------------------------------------------------------------

function summary(impl, size) {
  const rs = runs.filter((x) => x.impl === impl && x.size === size)
  if (!rs.length) return undefined
  const delivered = sum(rs.map((x) => x.recv.delivered))
  const cpuPerMsg = (role) => (sum(rs.map((x) => x[role].cpuUser + x[role].cpuSys)) / delivered) * 1e6
  return {
    msgs: median(rs.map((x) => x.recv.msgsPerSec)),
    mb: median(rs.map((x) => x.recv.mbPerSec)),
    min: Math.min(...rs.map((x) => x.recv.msgsPerSec)),
    max: Math.max(...rs.map((x) => x.recv.msgsPerSec)),
    sent: sum(rs.map((x) => x.send.sent)),
    delivered,
    returned: sum(rs.map((x) => x.send.returned)),
    overload: sum(rs.map((x) => x.send.returnedOverload)),
    eagain: sum(rs.map((x) => x.send.eagain)),
    stalls: sum(rs.map((x) => x.send.stalls ?? 0)),
    writtenOff: sum(rs.map((x) => x.send.writtenOff ?? 0)),
    batchAvg: delivered / sum(rs.map((x) => x.recv.batches)),
    sendCpu: cpuPerMsg('send'),
    recvCpu: cpuPerMsg('recv'),
    // minor page faults per 1000 delivered messages (sender + receiver)
    faults: (sum(rs.map((x) => (x.send.minflt ?? 0) + (x.recv.minflt ?? 0))) / delivered) * 1000,
  }
}

function rttSummary(impl) {
  const rs = rtts.filter((x) => x.impl === impl)
  if (!rs.length) return undefined
  return { p50: median(rs.map((x) => x.ping.p50)), p99: median(rs.map((x) => x.ping.p99)), mean: median(rs.map((x) => x.ping.mean)) }
}

const rows = sizes.map((size, i) => ({ size, window: windows[i], c: summary('c', size), js: summary('js', size) }))
const rc = rttSummary('c')
const rj = rttSummary('js')
const ratio = (a, b) => (a && b ? a / b : NaN)

if (flags.has('raw')) {
  for (const x of runs) console.log(JSON.stringify(x))
  for (const x of rtts) console.log(JSON.stringify(x))
}

let kernel = ''
try {
  kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
} catch {}

if (flags.has('csv')) {
  console.log('kind,size,window,batch,duration_s,repeat,c_msgs_s,c_mb_s,js_msgs_s,js_mb_s,c_returned,js_returned,' +
    'ratio_js_c,c_us_per_msg_send,c_us_per_msg_recv,js_us_per_msg_send,js_us_per_msg_recv,c_faults_per_1k,js_faults_per_1k')
  for (const r of rows) {
    console.log(['throughput', r.size, r.window, batch, duration, repeat, r.c?.msgs.toFixed(0), r.c?.mb.toFixed(2),
      r.js?.msgs.toFixed(0), r.js?.mb.toFixed(2), r.c?.returned, r.js?.returned, ratio(r.js?.msgs, r.c?.msgs).toFixed(3),
      r.c?.sendCpu.toFixed(2), r.c?.recvCpu.toFixed(2), r.js?.sendCpu.toFixed(2), r.js?.recvCpu.toFixed(2),
      r.c?.faults.toFixed(1), r.js?.faults.toFixed(1)].join(','))
  }
  console.log('kind,size,c_p50_us,c_p99_us,js_p50_us,js_p99_us,ratio_p50_js_c,ratio_p99_js_c')
  console.log(['rtt', 64, rc?.p50.toFixed(1), rc?.p99.toFixed(1), rj?.p50.toFixed(1), rj?.p99.toFixed(1),
    ratio(rj?.p50, rc?.p50).toFixed(2), ratio(rj?.p99, rc?.p99).toFixed(2)].join(','))
} else {
  const pad = (s, n) => String(s ?? '-').padStart(n)
  const f0 = (x) => (x === undefined ? '-' : x.toFixed(0))
  const f1 = (x) => (x === undefined ? '-' : x.toFixed(1))
  const f2 = (x) => (x === undefined ? '-' : x.toFixed(2))
  console.log(`RDM throughput, one sender and one receiver process in the same guest (kernel ${kernel}, ` +
    `${cpus().length} vCPU: sender, receiver and the kernel share it)`)
  console.log(`config: batch ${batch} (sendmmsg/recvmmsg, sendPacked/onMessages), ${duration} s per run, ` +
    `${repeat} runs per cell interleaved C/JS (median shown), credit every W/4, returns counted, not resent`)
  console.log('')
  console.log(['size', 'W', 'C msgs/s', 'C MB/s', 'JS msgs/s', 'JS MB/s', 'C ret', 'JS ret', 'JS/C',
    'C range', 'JS range'].map((h, i) => pad(h, [6, 4, 10, 8, 10, 8, 6, 6, 6, 17, 17][i])).join(' '))
  for (const r of rows) {
    console.log([pad(r.size, 6), pad(r.window, 4), pad(f0(r.c?.msgs), 10), pad(f1(r.c?.mb), 8), pad(f0(r.js?.msgs), 10),
      pad(f1(r.js?.mb), 8), pad(r.c?.returned, 6), pad(r.js?.returned, 6), pad(f2(ratio(r.js?.msgs, r.c?.msgs)), 6),
      pad(r.c ? `${f0(r.c.min)}-${f0(r.c.max)}` : '-', 17), pad(r.js ? `${f0(r.js.min)}-${f0(r.js.max)}` : '-', 17)].join(' '))
  }
  console.log('')
  console.log('CPU per delivered message, user+sys, µs (sender / receiver); average receive batch; ' +
    'minor page faults per 1000 messages:')
  for (const r of rows) {
    console.log(`${pad(r.size, 6)}  C ${f2(r.c?.sendCpu)} / ${f2(r.c?.recvCpu)}  batch ${f1(r.c?.batchAvg)}  pf ${f1(r.c?.faults)}   ` +
      `JS ${f2(r.js?.sendCpu)} / ${f2(r.js?.recvCpu)}  batch ${f1(r.js?.batchAvg)}  pf ${f1(r.js?.faults)}   ` +
      `delivered C ${r.c?.delivered ?? '-'} of ${r.c?.sent ?? '-'} sent, JS ${r.js?.delivered ?? '-'} of ${r.js?.sent ?? '-'}` +
      (r.c?.stalls || r.js?.stalls ? `; stalls (no credit for 200 ms, outstanding written off) C ${r.c?.stalls ?? '-'} ` +
        `(${r.c?.writtenOff ?? '-'} msgs), JS ${r.js?.stalls ?? '-'} (${r.js?.writtenOff ?? '-'} msgs)` : ''))
  }
  console.log('')
  console.log(`ping-pong RTT, 64 B, ${args['rtt-count']} round trips after ${args['rtt-warmup']} warm-up (median of ${repeat} runs):`)
  console.log(`   C   p50 ${f1(rc?.p50)} µs  p99 ${f1(rc?.p99)} µs  mean ${f1(rc?.mean)} µs`)
  console.log(`   JS  p50 ${f1(rj?.p50)} µs  p99 ${f1(rj?.p99)} µs  mean ${f1(rj?.mean)} µs`)
  console.log(`   JS/C p50 ${f2(ratio(rj?.p50, rc?.p50))}x  p99 ${f2(ratio(rj?.p99, rc?.p99))}x`)
}
