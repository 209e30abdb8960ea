// The topic layer's benchmark (npm run bench:pubsub): every case and its
// baseline in one run, interleaved (the two sides of a comparison run back
// to back and take turns going first), each figure the median of the
// repetitions with its range, each target a ratio computed per repetition.
// All traffic stays on 127.0.0.1; every process has a deadline.
//
//   node bench/pubsub/driver.mjs [--only throughput,fanout,topics,latency] [--sizes 64,1024,8192]
//        [--duration 2] [--repeat 3] [--subs 4] [--topics 10000] [--inflight 1024]
//        [--lat-count 5000] [--lat-warmup 500] [--zmq-hwm 10000] [--quick] [--csv] [--raw]
//        [--node-args '--cpu-prof --cpu-prof-dir=bench/pubsub/out/prof']
//
// Cases (topic-bench.mjs: one subscriber process per subscriber, one publisher):
//   throughput  per size: the topic layer with ack 'all', with ack 'none', and
//               zeromq.js PUB/SUB over tcp loopback (bench/transports/zmq-bench.mjs)
//               with high-water marks of --zmq-hwm messages on both sides (at most 16 MiB);
//   fanout      ack 'all', 64 B: 4 subscriber processes against 1 (msgs/s per subscriber);
//   topics      ack 'all', 64 B: one publisher round robin over 10,000 topics, one
//               subscriber process subscribed to all of them, against 1 topic;
//   latency     publish() to receipt, ack 'all', 64 B, one in flight, against the udp
//               transport's own request/response round trip (bench/transports/udp-bench.mjs).
// --quick: sizes 64, 1 s runs, 3 repetitions, 1000 topics, 2000 latency samples.
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { driverOptions } from '../common/driver-options.mjs'
import { startBenchProcess } from '../common/bench-process.mjs'
import { report } from './report.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const quickArg = process.argv.indexOf('--quick')
const quick = quickArg >= 0
if (quick) process.argv.splice(quickArg, 1)
const defaults = {
  only: 'throughput,fanout,topics,latency',
  sizes: quick ? '64' : '64,1024,8192',
  duration: quick ? '1' : '2',
  repeat: '3',
  subs: '4',
  topics: quick ? '1000' : '10000',
  inflight: '1024',
  'lat-count': quick ? '2000' : '5000',
  'lat-warmup': '500',
  'zmq-hwm': '10000',
  'node-args': '',
  transport: 'udp',
}
const { args, flags } = driverOptions(defaults)
const cfg = {
  only: new Set(args.only.split(',')),
  sizes: args.sizes.split(',').map(Number),
  duration: Number(args.duration),
  repeat: Number(args.repeat),
  subs: Number(args.subs),
  topics: Number(args.topics),
  inflight: Number(args.inflight),
  latCount: Number(args['lat-count']),
  latWarmup: Number(args['lat-warmup']),
  zmqHwm: Number(args['zmq-hwm']),
  quick,
  transport: args.transport,
}
for (const c of cfg.only) {
  if (!['throughput', 'fanout', 'topics', 'latency'].includes(c)) {
    console.error(`driver: unknown case ${c} in --only (throughput, fanout, topics, latency)`)
    process.exit(2)
  }
}
const nodeArgs = args['node-args'] ? args['node-args'].split(' ') : []
const node = process.execPath
// A cluster id per run: other udp nodes on this host (tests, other benches) are ignored.
const clusterBase = 0x7e580000 + ((Math.random() * 0x8000) | 0) * 2
let nextId = 0

let zmqVersion
try {
  zmqVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('zeromq/package.json'), 'utf8')).version
} catch {}

/** A node process running `file` (with --node-args). */
const start = (file, argv, timeoutMs) => startBenchProcess(node, [...nodeArgs, file, ...argv], timeoutMs)

const topicBench = join(here, 'topic-bench.mjs')
const timeoutMs = () => cfg.duration * 1000 + 120000

/** One publisher and `subs` subscriber processes of the topic layer. */
async function topicRun({ size = 64, ack = 'all', subs = 1, topics = 1, mode = 'pub' }) {
  const id = nextId++
  const common = ['--transport', cfg.transport, '--cluster', String(clusterBase + id * 2), '--type', String(0x7e580000 + id * 0x10000), '--topics', String(topics),
    '--size', String(size), '--duration', String(cfg.duration)]
  const subsStarted = Array.from({ length: subs }, () => start(topicBench, ['sub', ...common], timeoutMs()))
  await Promise.all(subsStarted.map((s) => s.ready))
  const pubArgs = mode === 'lat'
    ? ['lat', ...common, '--count', String(cfg.latCount), '--warmup', String(cfg.latWarmup)]
    : ['pub', ...common, '--ack', ack, '--subs', String(subs), '--inflight', String(cfg.inflight)]
  const pub = start(topicBench, pubArgs, timeoutMs() + cfg.latCount * 20)
  const [p, ...s] = await Promise.all([pub.done, ...subsStarted.map((x) => x.done)])
  return { pub: p, subs: s }
}

/** The high-water mark for a size: --zmq-hwm messages, at most 16 MiB queued per side: END is sent 5 times 50 ms apart and dropped like data while the queue is full, so a queue that takes seconds to drain loses it. */
const zmqHwm = (size) => Math.max(1000, Math.min(cfg.zmqHwm, Math.floor((16 * 1024 * 1024) / size)))

async function zmqRun(size) {
  const file = join(here, '..', 'transports', 'zmq-bench.mjs')
  const common = ['--size', String(size), '--duration', String(cfg.duration), '--hwm', String(zmqHwm(size))]
  const recv = start(file, ['recv', ...common], timeoutMs())
  const port = await recv.ready
  const send = start(file, ['send', ...common, '--port', port], timeoutMs())
  const [r, s] = await Promise.all([recv.done, send.done])
  return { recv: r, send: s }
}

async function udpRtt() {
  const file = join(here, '..', 'transports', 'udp-bench.mjs')
  const id = nextId++
  const common = ['--transport', cfg.transport, '--type', String(0x7e5f0000 + id), '--cluster', String(clusterBase + id * 2), '--size', '64']
  const pong = start(file, ['pong', ...common], 120000)
  await pong.ready
  const ping = start(file, ['ping', ...common, '--count', String(cfg.latCount), '--warmup', String(cfg.latWarmup)], 120000)
  const [, p] = await Promise.all([pong.done, ping.done])
  return p
}

// --- runs, interleaved -------------------------------------------------------

const runs = []
const failures = []
let zmqSkipped
/** One run; a failure (a process past its deadline, a crash) is recorded and reported, and the others go on. */
async function attempt(what, fn) {
  try {
    return await fn()
  } catch (err) {
    failures.push(`${what}: ${err.message.split('\n')[0]}`)
    return undefined
  }
}
const t0 = performance.now()
const rotate = (xs, r) => xs.map((_, i) => xs[(i + r) % xs.length])
for (let rep = 0; rep < cfg.repeat; rep++) {
  if (cfg.only.has('throughput')) {
    for (const size of cfg.sizes) {
      for (const impl of rotate(['all', 'none', 'zmq'], rep)) {
        if (impl === 'zmq') {
          if (zmqSkipped) continue
          const z = await attempt(`zmq ${size} B rep ${rep}`, () => zmqRun(size))
          if (!z) continue
          if (z.recv.skipped) zmqSkipped = z.recv.skipped
          else runs.push({ kind: 'throughput', impl, size, rep, msgs: z.recv.msgsPerSec, mb: z.recv.mbPerSec, delivered: z.recv.delivered, sent: z.send.sent, raw: z })
        } else {
          const x = await attempt(`ack ${impl} ${size} B rep ${rep}`, () => topicRun({ size, ack: impl }))
          if (!x) continue
          const s = x.subs[0]
          runs.push({ kind: 'throughput', impl, size, rep, msgs: s.msgsPerSec, mb: s.mbPerSec, delivered: s.delivered, sent: x.pub.sent,
            resent: x.pub.resent, notOk: x.pub.notOk, cpuPub: (x.pub.cpuUser + x.pub.cpuSys) / x.pub.sent, cpuSub: (s.cpuUser + s.cpuSys) / s.delivered, raw: x })
        }
      }
    }
  }
  if (cfg.only.has('fanout')) {
    for (const subs of rep % 2 ? [cfg.subs, 1] : [1, cfg.subs]) {
      const x = await attempt(`fan-out ${subs} rep ${rep}`, () => topicRun({ subs }))
      if (!x) continue
      const per = x.subs.map((s) => s.msgsPerSec)
      runs.push({ kind: 'fanout', impl: String(subs), size: 64, rep, msgs: per.reduce((a, b) => a + b, 0) / per.length, perSub: per,
        delivered: Math.min(...x.subs.map((s) => s.delivered)), sent: x.pub.sent, resent: x.pub.resent, notOk: x.pub.notOk, raw: x })
    }
  }
  if (cfg.only.has('topics')) {
    for (const topics of rep % 2 ? [cfg.topics, 1] : [1, cfg.topics]) {
      const x = await attempt(`${topics} topics rep ${rep}`, () => topicRun({ topics }))
      if (!x) continue
      const s = x.subs[0]
      runs.push({ kind: 'topics', impl: String(topics), size: 64, rep, msgs: s.msgsPerSec, mb: s.mbPerSec, delivered: s.delivered, sent: x.pub.sent,
        resent: x.pub.resent, notOk: x.pub.notOk, raw: x })
    }
  }
  if (cfg.only.has('latency')) {
    for (const impl of rep % 2 ? ['udp', 'topic'] : ['topic', 'udp']) {
      const l = await attempt(`latency ${impl} rep ${rep}`, async () => (impl === 'udp' ? udpRtt() : (await topicRun({ mode: 'lat' })).pub))
      if (!l) continue
      runs.push({ kind: 'latency', impl, size: 64, rep, p50: l.p50, p99: l.p99, mean: l.mean, notOk: l.notOk ?? 0, raw: l })
    }
  }
}
const wall = (performance.now() - t0) / 1000

let kernel = ''
try {
  kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
} catch {}
let load = ''
try {
  load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
} catch {}
const hardware = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, kernel ${kernel}, node ${process.version}, load average ${load} at the end`
report({ runs, failures, cfg, flags, hardware, wall, zmqVersion, zmqSkipped, zmqHwm })
