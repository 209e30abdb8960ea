// The transport benchmark's report (driver.mjs runs, this prints): medians
// over repetitions with their ranges, ratios taken per repetition between
// runs of the same pinning mode, CPU per delivered message, what was sent
// and what arrived. One table set per pinning mode (pinned, unpinned).
import { cpus } from 'node:os'
import { readFileSync } from 'node:fs'
import { median, spread } from '../common/stats.mjs'

const sum = (xs) => xs.reduce((a, b) => a + b, 0)
const f0 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0))
const f1 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1))
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(2))
const rng = (r, f = f2) => (r ? `${f(r.min)}-${f(r.max)}` : '-')
const pad = (s, n) => String(s ?? '-').padStart(n)
const row = (cells, widths) => cells.map((c, i) => pad(c, widths[i])).join(' ')

/** Targets of issue 12, as same-run ratios. */
const THROUGHPUT_TARGET = (size) => (size === 64 ? 3 : 1.5)
const RTT_TARGET = { p50: 1.5, p99: 3 }

function analyse({ runs, rtts, sizes, repeat, args }, pinned) {
  const mine = runs.filter((x) => x.pinned === pinned)
  const myRtts = rtts.filter((x) => x.pinned === pinned)
  function summary(impl, size) {
    const rs = mine.filter((x) => x.impl === impl && x.size === size)
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
      const x = mine.find((y) => y.impl === a && y.size === size && y.rep === r)
      const y = mine.find((z) => z.impl === b && z.size === size && z.rep === r)
      if (x && y && y.recv.msgsPerSec > 0) out.push(x.recv.msgsPerSec / y.recv.msgsPerSec)
    }
    return spread(out)
  }
  function rttSummary(impl) {
    const rs = myRtts.filter((x) => x.impl === impl)
    if (!rs.length) return undefined
    // CPU is taken over the warm-up too: per round trip of all of them.
    const cpu = rs.map((x) => ((x.ping.cpuUser + x.ping.cpuSys) / (x.ping.count + Number(args['rtt-warmup']))) * 1e6)
    return { p50: spread(rs.map((x) => x.ping.p50)), p99: spread(rs.map((x) => x.ping.p99)), mean: median(rs.map((x) => x.ping.mean)), cpu: median(cpu) }
  }
  function rttRatios(a, b, key) {
    const out = []
    for (let r = 0; r < repeat; r++) {
      const x = myRtts.find((y) => y.impl === a && y.rep === r)
      const y = myRtts.find((z) => z.impl === b && z.rep === r)
      if (x && y) out.push(x.ping[key] / y.ping[key])
    }
    return spread(out)
  }
  return {
    sizeRows: sizes.map((size) => ({
      size, udp: summary('udp', size), zmq: summary('zmq', size), mem: summary('memory', size),
      uz: ratios('udp', 'zmq', size), um: ratios('udp', 'memory', size),
      udpd: summary('udpd', size), udz: ratios('udpd', 'zmq', size), uud: ratios('udp', 'udpd', size),
      udpb: summary('udpb', size), ubz: ratios('udpb', 'zmq', size), ubu: ratios('udpb', 'udp', size),
    })),
    rtt: { c: rttSummary('c'), dgram: rttSummary('dgram'), udp: rttSummary('udp'), udpd: rttSummary('udpd') },
    rttR: {
      udpC50: rttRatios('udp', 'c', 'p50'), udpC99: rttRatios('udp', 'c', 'p99'),
      udpdC50: rttRatios('udpd', 'c', 'p50'), udpdC99: rttRatios('udpd', 'c', 'p99'),
      udpD50: rttRatios('udp', 'dgram', 'p50'), dC50: rttRatios('dgram', 'c', 'p50'),
    },
  }
}

function csv(all, pinModes) {
  console.log('bench,pinned,size,impl,msgs_s_median,mb_s_median,msgs_s_min,msgs_s_max,delivered,sent,returned,retransmits,' +
    'us_cpu_per_msg_send,us_cpu_per_msg_recv,ratio_udp_zmq,ratio_udp_zmq_min,ratio_udp_zmq_max')
  for (const pin of pinModes) {
    for (const r of all[pin].sizeRows) {
      for (const [impl, s, uz] of [['udp', r.udp, r.uz], ['udpd', r.udpd, r.udz], ['udpb', r.udpb, r.ubz], ['zmq', r.zmq], ['memory', r.mem]]) {
        if (!s) continue
        console.log(['throughput', pin, r.size, impl, f0(s.msgs), f2(s.mb), f0(s.min), f0(s.max), s.delivered, s.sent, s.returned,
          s.retransmits, f2(s.sendCpu), f2(s.recvCpu),
          ...(uz ? [f2(uz.med), f2(uz.min), f2(uz.max)] : ['', '', ''])].join(','))
      }
    }
  }
  console.log('bench,pinned,size,impl,p50_us,p99_us,mean_us,p50_min,p50_max,p99_min,p99_max,us_cpu_per_rtt_ping')
  for (const pin of pinModes) {
    for (const impl of ['c', 'dgram', 'udp', 'udpd']) {
      const s = all[pin].rtt[impl]
      if (!s) continue
      console.log(['rtt', pin, 64, impl, f1(s.p50.med), f1(s.p99.med), f1(s.mean), f1(s.p50.min), f1(s.p50.max), f1(s.p99.min),
        f1(s.p99.max), f1(s.cpu)].join(','))
    }
  }
}

function tables(a, only, args, pinned, udpImpls) {
  const mode = pinned ? 'PINNED (taskset: receiver/pong CPU 1, sender/ping CPU 0)' : 'UNPINNED (the scheduler places every process)'
  console.log('')
  console.log(`=== ${mode}`)
  if (only.has('udp') || only.has('zmq')) {
    console.log('')
    console.log('1. udp transport throughput, one sender and one receiver process, msgs/s delivered at the receiver')
    const w = [6, 10, 8, 17, 10, 8, 17, 7, 11, 8]
    console.log(row(['size', 'udp msg/s', 'udp MB/s', 'udp range', 'zmq msg/s', 'zmq MB/s', 'zmq range', 'udp/zmq', 'ratio range', 'target'], w))
    for (const r of a.sizeRows) {
      const met = r.uz ? (r.uz.med >= THROUGHPUT_TARGET(r.size) ? 'met' : 'missed') : '-'
      console.log(row([r.size, f0(r.udp?.msgs), f1(r.udp?.mb), r.udp ? `${f0(r.udp.min)}-${f0(r.udp.max)}` : '-', f0(r.zmq?.msgs),
        f1(r.zmq?.mb), r.zmq ? `${f0(r.zmq.min)}-${f0(r.zmq.max)}` : '-', f2(r.uz?.med), rng(r.uz),
        `>=${THROUGHPUT_TARGET(r.size)}x ${met}`], w))
    }
    console.log('   sent / delivered (all runs), CPU per delivered message user+sys µs (sender / receiver); udp: returned, retransmits, RTO expiries:')
    for (const r of a.sizeRows) {
      console.log(`   ${pad(r.size, 6)}  udp ${r.udp?.sent ?? '-'} / ${r.udp?.delivered ?? '-'}  cpu ${f2(r.udp?.sendCpu)} / ${f2(r.udp?.recvCpu)}` +
        `  ret ${r.udp?.returned ?? '-'} rexmit ${r.udp?.retransmits ?? '-'} rto ${r.udp?.timeouts ?? '-'}` +
        `   zmq ${r.zmq?.sent ?? '-'} / ${r.zmq?.delivered ?? '-'}  cpu ${f2(r.zmq?.sendCpu)} / ${f2(r.zmq?.recvCpu)}`)
    }
    if (udpImpls.includes('udpd')) {
      console.log('   the udp transport on node:dgram (socket: \'dgram\'), same repetitions: msgs/s [range], ratios per repetition, CPU µs/msg (sender / receiver)')
      for (const r of a.sizeRows) {
        console.log(`   ${pad(r.size, 6)}  dgram ${f0(r.udpd?.msgs)} [${r.udpd ? `${f0(r.udpd.min)}-${f0(r.udpd.max)}` : '-'}]` +
          `  dgram/zmq ${f2(r.udz?.med)} [${rng(r.udz)}]  native/dgram ${f2(r.uud?.med)} [${rng(r.uud)}]` +
          `  cpu ${f2(r.udpd?.sendCpu)} / ${f2(r.udpd?.recvCpu)}`)
      }
    }
    if (udpImpls.includes('udpb')) {
      console.log('   the udp transport with borrowed receive (borrowedReceive: data valid during the handler only), same repetitions:')
      console.log('   msgs/s [range], ratios per repetition, sent / delivered, CPU µs/msg (sender / receiver)')
      for (const r of a.sizeRows) {
        const met = r.ubz ? (r.ubz.med >= THROUGHPUT_TARGET(r.size) ? 'met' : 'missed') : '-'
        console.log(`   ${pad(r.size, 6)}  borrowed ${f0(r.udpb?.msgs)} [${r.udpb ? `${f0(r.udpb.min)}-${f0(r.udpb.max)}` : '-'}]` +
          `  borrowed/zmq ${f2(r.ubz?.med)} [${rng(r.ubz)}] (>=${THROUGHPUT_TARGET(r.size)}x ${met})  borrowed/copy ${f2(r.ubu?.med)} [${rng(r.ubu)}]` +
          `  ${r.udpb?.sent ?? '-'} / ${r.udpb?.delivered ?? '-'}  cpu ${f2(r.udpb?.sendCpu)} / ${f2(r.udpb?.recvCpu)}`)
      }
    }
  }
  if (only.has('memory')) {
    console.log('')
    console.log('2. memory transport throughput, sender and receiver in one process (the core alone, no sockets)')
    const w = [6, 10, 9, 17, 11, 11]
    console.log(row(['size', 'msg/s', 'MB/s', 'range', 'udp/memory', 'ratio range'], w))
    for (const r of a.sizeRows) {
      console.log(row([r.size, f0(r.mem?.msgs), f1(r.mem?.mb), r.mem ? `${f0(r.mem.min)}-${f0(r.mem.max)}` : '-', f2(r.um?.med), rng(r.um)], w))
    }
    console.log(`   CPU per message (both sides, one thread), µs: ${a.sizeRows.map((r) => `${r.size} B ${f2(r.mem?.sendCpu)}`).join(', ')}`)
  }
  if (only.has('rtt')) {
    console.log('')
    console.log(`3. request/response round trip, 64 B, one in flight, ${args['rtt-count']} round trips after ${args['rtt-warmup']} ` +
      'warm-up, medians over the repetitions [range]')
    const w = [28, 8, 8, 8, 15, 15, 12]
    console.log(row(['implementation', 'p50 µs', 'p99 µs', 'mean µs', 'p50 range', 'p99 range', 'ping cpu µs'], w))
    const names = { c: 'C (blocking sendto/recv)', dgram: 'node:dgram ping-pong', udp: 'udp transport (RDM)', udpd: 'udp transport, dgram socket' }
    for (const impl of ['c', 'dgram', 'udp', 'udpd']) {
      const s = a.rtt[impl]
      if (!s && impl === 'udpd') continue
      console.log(row([names[impl], f1(s?.p50.med), f1(s?.p99.med), f1(s?.mean), rng(s?.p50, f1), rng(s?.p99, f1), f1(s?.cpu)], w))
    }
    const r = a.rttR
    console.log(`   udp/C p50 ${f2(r.udpC50?.med)}x [${rng(r.udpC50)}] (target <= ${RTT_TARGET.p50}x: ` +
      `${r.udpC50 ? (r.udpC50.med <= RTT_TARGET.p50 ? 'met' : 'missed') : '-'}), ` +
      `p99 ${f2(r.udpC99?.med)}x [${rng(r.udpC99)}] (target <= ${RTT_TARGET.p99}x: ` +
      `${r.udpC99 ? (r.udpC99.med <= RTT_TARGET.p99 ? 'met' : 'missed') : '-'}); ` +
      `udp/dgram p50 ${f2(r.udpD50?.med)}x [${rng(r.udpD50)}]; dgram/C p50 ${f2(r.dC50?.med)}x [${rng(r.dC50)}]`)
    if (a.rtt.udpd) console.log(`   udp (dgram socket)/C p50 ${f2(r.udpdC50?.med)}x [${rng(r.udpdC50)}], p99 ${f2(r.udpdC99?.med)}x [${rng(r.udpdC99)}]`)
  }
}

export function report(run) {
  const { runs, rtts, pinModes, only, flags, wall, zmqSkipped, zmqVersion, batch, duration, args, sizes, repeat } = run
  if (flags.has('raw')) for (const x of [...runs, ...rtts]) console.log(JSON.stringify(x))
  const all = Object.fromEntries(pinModes.map((pin) => [pin, analyse(run, pin)]))
  if (flags.has('csv')) return csv(all, pinModes)
  let kernel = ''
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
  } catch {}
  console.log(`Transport benchmarks (node ${process.version}, kernel ${kernel}, ${cpus().length} CPU ${cpus()[0]?.model ?? ''})`)
  console.log(`config: sizes ${sizes.join(',')} B, ${duration} s per throughput run, ${repeat} repetitions interleaved ` +
    `(udp/zeromq alternate first; RTT implementations rotate; pinned/unpinned alternate), medians shown, [min-max] over ` +
    `repetitions; sender batch ${batch} (sendBatch); SO_SNDBUF/SO_RCVBUF ${args.sockbuf} asked by every implementation; ` +
    `everything on 127.0.0.1; total ${wall.toFixed(0)} s`)
  console.log(`baseline: ${zmqSkipped ? `zeromq SKIPPED: ${zmqSkipped}` : `zeromq.js ${zmqVersion} PUB/SUB over tcp://127.0.0.1 ` +
    `(send/receive HWM ${args['zmq-hwm']} messages or 16 MiB, whichever fewer, at least 1000; drops at HWM; counted at the receiver)`}`)
  for (const pin of pinModes) tables(all[pin], only, args, pin, run.udpImpls ?? ['udp'])
}
