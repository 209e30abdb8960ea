// Runs inside the TIPC guest (bench/rdm/run.sh boots it once): for each
// message size, a receiver and a sender process, C (sendmmsg/recvmmsg) then
// JS (tipc-rx bindings), repeated and interleaved; then ping-pong RTT. Prints
// a table (or CSV with --csv). Only node built-ins: it must not load the addon
// itself, it only starts processes.
//
//   node bench/rdm/driver.mjs --c-bin bench/rdm/out/rdm_bench [--sizes 64,1024,8192,61440]
//        [--windows 512,512,128,16] [--batch 64] [--duration 2] [--repeat 3]
//        [--rtt-count 20000] [--rtt-warmup 2000] [--csv] [--raw] [--only c,js,jsb] [--node-args '...']
//
// Implementations: c (the C reference), js (the bindings' default copying
// receive: onMessages, a view per message), jsb (the borrowed receive mode:
// onBorrowedMessages, header accessors, replyTo; rdm-bench.mjs --receive
// borrowed). Every ratio is to C of the same run.
import { spawn } from 'node:child_process'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { driverOptions } from '../common/driver-options.mjs'
import { median } from '../common/stats.mjs'

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
const impls = args.only ? args.only.split(',') : ['c', 'js', 'jsb']
for (const impl of impls) if (!['c', 'js', 'jsb'].includes(impl)) throw new Error(`--only: unknown implementation ${impl}`)
const jsImpls = impls.filter((impl) => impl !== 'c')
const node = process.execPath
const jsBench = join(here, 'rdm-bench.mjs')
let nextType = 0x7e570

function command(impl, mode, extra) {
  const opts = ['--type', String(nextType), ...extra]
  const nodeArgs = args['node-args'] ? args['node-args'].split(' ') : []
  if (impl === 'c') return [args['c-bin'], [mode, ...opts]]
  return [node, [...nodeArgs, jsBench, mode, ...opts, '--receive', impl === 'jsb' ? 'borrowed' : 'copy']]
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

const rows = sizes.map((size, i) => ({
  size, window: windows[i], c: summary('c', size), ...Object.fromEntries(jsImpls.map((impl) => [impl, summary(impl, size)])),
}))
const rc = rttSummary('c')
const rttOf = Object.fromEntries(jsImpls.map((impl) => [impl, rttSummary(impl)]))
const ratio = (a, b) => (a && b ? a / b : NaN)
const NAME = { c: 'C', js: 'JS', jsb: 'JSB' }

if (flags.has('raw')) {
  for (const x of runs) console.log(JSON.stringify(x))
  for (const x of rtts) console.log(JSON.stringify(x))
}

let kernel = ''
try {
  kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
} catch {}

if (flags.has('csv')) {
  console.log('kind,impl,size,window,batch,duration_s,repeat,msgs_s,mb_s,min_msgs_s,max_msgs_s,returned,ratio_to_c,' +
    'us_per_msg_send,us_per_msg_recv,faults_per_1k')
  for (const r of rows) {
    for (const impl of impls) {
      const x = r[impl]
      console.log(['throughput', impl, r.size, r.window, batch, duration, repeat, x?.msgs.toFixed(0), x?.mb.toFixed(2),
        x?.min.toFixed(0), x?.max.toFixed(0), x?.returned, ratio(x?.msgs, r.c?.msgs).toFixed(3), x?.sendCpu.toFixed(2),
        x?.recvCpu.toFixed(2), x?.faults.toFixed(1)].join(','))
    }
  }
  console.log('kind,impl,size,p50_us,p99_us,ratio_p50_to_c,ratio_p99_to_c')
  for (const impl of impls) {
    const x = impl === 'c' ? rc : rttOf[impl]
    console.log(['rtt', impl, 64, x?.p50.toFixed(1), x?.p99.toFixed(1), ratio(x?.p50, rc?.p50).toFixed(2),
      ratio(x?.p99, rc?.p99).toFixed(2)].join(','))
  }
} else {
  const pad = (s, n) => String(s ?? '-').padStart(n)
  const f0 = (x) => (x === undefined ? '-' : x.toFixed(0))
  const f1 = (x) => (x === undefined ? '-' : x.toFixed(1))
  const f2 = (x) => (x === undefined ? '-' : x.toFixed(2))
  console.log(`RDM throughput, one sender and one receiver process in the same guest (kernel ${kernel}, ` +
    `${cpus().length} vCPU: sender, receiver and the kernel share it)`)
  console.log(`config: batch ${batch} (sendmmsg/recvmmsg, sendPacked/onMessages), ${duration} s per run, ` +
    `${repeat} runs per cell interleaved ${impls.map((i) => NAME[i]).join('/')} (median shown), credit every W/4, ` +
    'returns counted, not resent')
  console.log('JS: copying receive (onMessages, data(i) per message); JSB: borrowed receive (onBorrowedMessages, u32(i), replyTo)')
  console.log('')
  const head = ['size', 'W']
  const widths = [6, 4]
  for (const impl of impls) {
    head.push(`${NAME[impl]} msgs/s`, `${NAME[impl]} MB/s`, `${NAME[impl]} ret`)
    widths.push(11, 8, 6)
    if (impl !== 'c') {
      head.push(`${NAME[impl]}/C`)
      widths.push(6)
    }
  }
  for (const impl of impls) {
    head.push(`${NAME[impl]} range`)
    widths.push(17)
  }
  console.log(head.map((h, i) => pad(h, widths[i])).join(' '))
  for (const r of rows) {
    const cells = [r.size, r.window]
    for (const impl of impls) {
      const x = r[impl]
      cells.push(f0(x?.msgs), f1(x?.mb), x?.returned)
      if (impl !== 'c') cells.push(f2(ratio(x?.msgs, r.c?.msgs)))
    }
    for (const impl of impls) cells.push(r[impl] ? `${f0(r[impl].min)}-${f0(r[impl].max)}` : '-')
    console.log(cells.map((c, i) => pad(c, widths[i])).join(' '))
  }
  console.log('')
  console.log('CPU per delivered message, user+sys, µs (sender / receiver); average receive batch; ' +
    'minor page faults per 1000 messages:')
  for (const r of rows) {
    const parts = impls.map((impl) => {
      const x = r[impl]
      return `${NAME[impl]} ${f2(x?.sendCpu)} / ${f2(x?.recvCpu)}  batch ${f1(x?.batchAvg)}  pf ${f1(x?.faults)}`
    })
    const delivered = impls.map((impl) => `${NAME[impl]} ${r[impl]?.delivered ?? '-'} of ${r[impl]?.sent ?? '-'}`)
    const stalls = impls.filter((impl) => r[impl]?.stalls)
      .map((impl) => `${NAME[impl]} ${r[impl].stalls} (${r[impl].writtenOff} msgs)`)
    console.log(`${pad(r.size, 6)}  ${parts.join('   ')}   delivered ${delivered.join(', ')} sent` +
      (stalls.length ? `; stalls (no credit for 200 ms, outstanding written off) ${stalls.join(', ')}` : ''))
  }
  console.log('')
  console.log(`ping-pong RTT, 64 B, ${args['rtt-count']} round trips after ${args['rtt-warmup']} warm-up (median of ${repeat} runs):`)
  for (const impl of impls) {
    const x = impl === 'c' ? rc : rttOf[impl]
    console.log(`   ${NAME[impl].padEnd(3)} p50 ${f1(x?.p50)} µs  p99 ${f1(x?.p99)} µs  mean ${f1(x?.mean)} µs` +
      (impl === 'c' ? '' : `   ${NAME[impl]}/C p50 ${f2(ratio(x?.p50, rc?.p50))}x  p99 ${f2(ratio(x?.p99, rc?.p99))}x`))
  }
}
