// The request/reply benchmark (npm run bench:reqrep): tipc-rx's
// Bus.request/Bus.serve beside zeromq.js REQ/REP and a C request/reply
// floor, every case and its baselines in one run, interleaved (the
// implementations of a case run back to back and take turns going first),
// each figure the median of the repetitions with its range, each target a
// ratio computed per repetition. Every process has a deadline.
//
//   node bench/reqrep/driver.mjs [--only one,many] [--impls tipcrx,zmq,c] [--repeat 3]
//        [--duration 3] [--warmup-ms 500] [--requesters 50] [--servers 4] [--procs 5]
//        [--size 64] [--transport udp|tipc] [--c-clients bin] [--c-udp-pong bin] [--c-rdm-pong bin]
//        [--rdm-count 10000] [--csv] [--raw]
//
// Cases:
//   one   one requester loop in one process against one server process:
//         sequential round trips, one request in flight;
//   many  --requesters loops (each one request in flight) spread over --procs
//         processes, against --servers server processes.
// Implementations (one server per process for all of them):
//   tipcrx  tipcrx-reqrep.mjs: Bus.serve echo / Bus.request, raw codec, on the
//           udp transport (127.0.0.1) or kernel TIPC (--transport tipc);
//   zmq     zmq-reqrep.mjs: REP echo / REQ sockets connected to every server (tcp 127.0.0.1);
//   c       reqrep_clients (threads, blocking) against C echo servers:
//           bench/transports/c's udp_pingpong pong (udp) or bench/rdm/c's rdm_bench pong (tipc);
//   rdm     (--transport tipc, case one only) bench/rdm's own C ping-pong, rdm_bench
//           ping/pong unchanged, --rdm-count round trips after a tenth as many:
//           the baseline the tipc target names, beside the c row measured like the others.
// Why 50 requesters in 5 processes and not 50: this is a 2-core machine (and
// the guest has one vCPU and little memory); 50 Node processes would measure
// the scheduler and memory pressure of 50 event loops, not the layer. A
// process of 10 loops sharing one bus (or 10 REQ sockets, or 10 C threads)
// is how an application with concurrent callers uses it.
// CPU per round trip: the requesters' own CPU from GO to their end plus the
// servers' CPU over the same span (from /proc), over every round trip
// answered in it (warm-up included).
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { createSocket } from 'node:dgram'
import { createRequire } from 'node:module'
import { driverOptions } from '../common/driver-options.mjs'
import { startProcess } from './processes.mjs'
import { report } from './report.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const defaults = {
  only: 'one,many',
  impls: 'tipcrx,zmq,c',
  repeat: '3',
  duration: '3',
  'warmup-ms': '500',
  requesters: '50',
  servers: '4',
  procs: '5',
  size: '64',
  transport: 'udp',
  'c-clients': join(here, 'out', 'reqrep_clients'),
  'c-udp-pong': join(here, 'out', 'udp_pingpong'),
  'c-rdm-pong': join(here, '..', 'rdm', 'out', 'rdm_bench'),
  'rdm-count': '10000',
}
const { args, flags } = driverOptions(defaults)
const cfg = {
  only: args.only.split(','),
  impls: args.impls.split(','),
  repeat: Number(args.repeat),
  duration: Number(args.duration),
  warmupMs: Number(args['warmup-ms']),
  requesters: Number(args.requesters),
  servers: Number(args.servers),
  procs: Number(args.procs),
  size: Number(args.size),
  transport: args.transport,
  rdmCount: Number(args['rdm-count']),
}
for (const c of cfg.only) if (!['one', 'many'].includes(c)) usage(`unknown case ${c} in --only (one, many)`)
for (const i of cfg.impls) if (!['tipcrx', 'zmq', 'c'].includes(i)) usage(`unknown implementation ${i} in --impls (tipcrx, zmq, c)`)
if (!['udp', 'tipc'].includes(cfg.transport)) usage(`--transport is udp or tipc, not ${cfg.transport}`)
if (cfg.transport === 'tipc' && cfg.impls.includes('c') && cfg.only.includes('one')) cfg.impls.push('rdm')
function usage(message) {
  console.error(`driver: ${message}`)
  process.exit(2)
}
const cases = {
  one: { servers: 1, requesters: 1, procs: 1 },
  many: { servers: cfg.servers, requesters: cfg.requesters, procs: Math.min(cfg.procs, cfg.requesters) },
}
const node = process.execPath
// A cluster id per run: other udp nodes on this host (tests, other benches) are ignored.
const clusterBase = 0x7e5a0000 + ((Math.random() * 0x8000) | 0) * 2
let nextId = 0
const timeoutMs = () => (cfg.duration + 120) * 1000 + cfg.warmupMs

let zmqVersion
try {
  zmqVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('zeromq/package.json'), 'utf8')).version
} catch {}

const loopsOf = (requesters, procs) => Array.from({ length: procs }, (_, i) => Math.floor(requesters / procs) + (i < requesters % procs ? 1 : 0))
const timing = ['--warmup-ms', String(cfg.warmupMs), '--duration', String(cfg.duration), '--size', String(cfg.size)]

/** The commands of one run of `impl`: its servers and its requester processes. */
function commands(impl, kase) {
  const id = nextId++
  if (impl === 'tipcrx') {
    const common = ['--transport', cfg.transport, '--cluster', String(clusterBase + id * 2), '--topic', `bench.reqrep.${id}`]
    return {
      server: () => [node, [join(here, 'tipcrx-reqrep.mjs'), 'serve', ...common]],
      requester: (loops) => [node, [join(here, 'tipcrx-reqrep.mjs'), 'request', ...common, '--servers', String(kase.servers),
        '--loops', String(loops), ...timing]],
      stop: (s) => s.send('STOP'),
    }
  }
  if (impl === 'zmq') {
    return {
      server: () => [node, [join(here, 'zmq-reqrep.mjs'), 'serve']],
      requester: (loops, ports) => [node, [join(here, 'zmq-reqrep.mjs'), 'request', '--ports', ports.join(','), '--loops', String(loops), ...timing]],
      stop: (s) => s.send('STOP'),
    }
  }
  if (impl === 'rdm') {
    // rdm_bench ping needs no GO (it starts at once and prints no READY): its `ready` is its end.
    const type = String(0x7e5a0 + id)
    return {
      server: () => [args['c-rdm-pong'], ['pong', '--type', type]],
      requester: () => [args['c-rdm-pong'], ['ping', '--type', type, '--count', String(cfg.rdmCount),
        '--warmup', String(Math.ceil(cfg.rdmCount / 10))]],
      stop: (s) => s.stop(),
    }
  }
  const c = [String(cfg.warmupMs), String(cfg.duration)]
  if (cfg.transport === 'tipc') {
    const type = String(0x7e5a0 + id)
    return {
      server: () => [args['c-rdm-pong'], ['pong', '--type', type]],
      requester: (loops) => [args['c-clients'], ['tipc', type, String(loops), String(cfg.size), ...c]],
      // rdm_bench pong ends at an END message sent to its name, which anycast gives to one server of four: a signal instead.
      stop: (s) => s.stop(),
    }
  }
  return {
    server: () => [args['c-udp-pong'], ['pong']],
    requester: (loops, ports) => [args['c-clients'], ['udp', ports.join(','), String(loops), String(cfg.size), ...c]],
    stop: (s, port) => stopUdpPong(port),
  }
}

/** udp_pingpong pong ends at a 1-byte datagram. */
function stopUdpPong(port) {
  const sock = createSocket('udp4')
  sock.send(Buffer.alloc(1), Number(port), '127.0.0.1', () => sock.close())
}

/** One run: servers up, requesters READY, GO to all of them, their results, the servers' CPU and answers. */
async function run(impl, kaseName) {
  const kase = cases[kaseName]
  const cmd = commands(impl, kase)
  const servers = Array.from({ length: kase.servers }, () => startProcess(...cmd.server(), timeoutMs()))
  const requesters = []
  try {
    const ports = await Promise.all(servers.map((s) => s.ready))
    for (const loops of loopsOf(kase.requesters, kase.procs)) requesters.push(startProcess(...cmd.requester(loops, ports), timeoutMs()))
    await Promise.all(requesters.map((r) => r.ready))
    const cpu0 = servers.map((s) => s.cpuSeconds())
    for (const r of requesters) r.send('GO')
    const results = await Promise.all(requesters.map((r) => r.done))
    const serverCpu = servers.reduce((a, s, i) => a + s.cpuSeconds() - cpu0[i], 0)
    servers.forEach((s, i) => cmd.stop(s, ports[i]))
    const answers = await Promise.all(servers.map((s) => s.done))
    const skipped = [...results, ...answers].find((x) => x?.skipped)?.skipped
    if (skipped) return { skipped }
    return summarise(impl, kaseName, results, answers, serverCpu)
  } finally {
    // A failed run leaves nothing behind (deadline kills are the last resort).
    for (const p of [...servers, ...requesters]) p.stop()
  }
}

function summarise(impl, kase, results, answers, serverCpu) {
  if (impl === 'rdm') return summariseRdmPing(results[0], answers[0])
  const samples = results.flatMap((r) => r.samples)
  samples.sort((a, b) => a - b)
  const n = samples.length
  const failed = {}
  for (const r of results) for (const [k, v] of Object.entries(r.failed)) if (v) failed[k] = (failed[k] ?? 0) + v
  const answered = results.reduce((a, r) => a + r.answered, 0)
  const requesterCpu = results.reduce((a, r) => a + r.cpu, 0)
  return {
    impl, kase, measured: n,
    p50: n ? samples[n >> 1] / 10 : NaN, p99: n ? samples[Math.floor(n * 0.99)] / 10 : NaN,
    perSec: n / cfg.duration,
    sent: results.reduce((a, r) => a + r.sent, 0), answered, failed,
    wrongReplies: results.reduce((a, r) => a + (r.wrongReplies ?? 0), 0),
    serverHandled: answers.some((a) => a?.handled ?? a?.echoed) ? answers.reduce((a, s) => a + (s?.handled ?? s?.echoed ?? 0), 0) : undefined,
    cpuRequester: (requesterCpu / answered) * 1e6, cpuServer: (serverCpu / answered) * 1e6,
    cpuPerRt: ((requesterCpu + serverCpu) / answered) * 1e6,
    requesterStats: results.map((r) => r.stats).filter(Boolean),
    // The transport's datagrams from the requesters' processes (start-up and warm-up included) per round trip answered.
    packetsPerRt: results.every((r) => r.packetsSent !== undefined) ? results.reduce((a, r) => a + r.packetsSent, 0) / answered : undefined,
    serverStats: answers.map((a) => a?.stats).filter(Boolean),
  }
}

/** rdm_bench ping reports its own p50/p99 and CPU; its pong ends at the ping's END and reports its CPU too. */
function summariseRdmPing(ping, pong) {
  const answered = ping.count + Math.ceil(cfg.rdmCount / 10)
  const cpuReq = ping.cpuUser + ping.cpuSys
  const cpuSrv = pong ? pong.cpuUser + pong.cpuSys : NaN
  return {
    impl: 'rdm', kase: 'one', measured: ping.count, p50: ping.p50, p99: ping.p99, perSec: 1e6 / ping.mean,
    sent: answered, answered, failed: {}, wrongReplies: 0, serverHandled: pong?.echoed,
    cpuRequester: (cpuReq / answered) * 1e6, cpuServer: (cpuSrv / answered) * 1e6, cpuPerRt: ((cpuReq + cpuSrv) / answered) * 1e6,
    requesterStats: [], serverStats: [],
  }
}

// --- runs, interleaved -------------------------------------------------------

const runs = []
const failures = []
const skipped = {}
const load = () => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  } catch {
    return '?'
  }
}
const loadBefore = load()
const t0 = performance.now()
const rotate = (xs, r) => xs.map((_, i) => xs[(i + r) % xs.length])
for (let rep = 0; rep < cfg.repeat; rep++) {
  for (const kase of cfg.only) {
    for (const impl of rotate(cfg.impls, rep)) {
      if (skipped[impl] || (impl === 'rdm' && kase !== 'one')) continue
      try {
        const x = await run(impl, kase)
        if (x.skipped) skipped[impl] = x.skipped
        else runs.push({ ...x, rep })
      } catch (err) {
        failures.push(`${impl} ${kase} rep ${rep}: ${err.message.split('\n')[0]}`)
      }
    }
  }
}
const wall = (performance.now() - t0) / 1000

let kernel = ''
try {
  kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
} catch {}
const hardware = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, kernel ${kernel}, node ${process.version}, ` +
  `load average ${loadBefore} before and ${load()} after`
report({ runs, failures, skipped, cfg, cases, flags, hardware, wall, zmqVersion })
