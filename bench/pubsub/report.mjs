// The report of bench/pubsub/driver.mjs: medians and ranges over the
// repetitions, ratios computed per repetition (the two runs of a comparison
// are adjacent in time) and then summarised, the issue's targets as hit or
// missed on the measured median (never rounded up). A table, or --csv.
import { median } from '../common/stats.mjs'

const sum = (xs) => xs.reduce((a, b) => a + b, 0)
const stat = (xs) => (xs.length ? { med: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : undefined)
const f0 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0))
const f1 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1))
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(2))
const range = (s, f) => (s ? `${f(s.min)}-${f(s.max)}` : '-')
const pad = (s, n) => String(s ?? '-').padStart(n)
const row = (cells, widths) => cells.map((c, i) => pad(c, widths[i])).join(' ')

export function report({ runs, failures, cfg, flags, hardware, wall, zmqVersion, zmqSkipped, zmqHwm }) {
  const pick = (kind, impl, size) => runs.filter((x) => x.kind === kind && x.impl === impl && (size === undefined || x.size === size))
  const summary = (kind, impl, size, key = 'msgs') => {
    const rs = pick(kind, impl, size)
    if (!rs.length) return undefined
    return {
      ...stat(rs.map((x) => x[key])), mb: median(rs.map((x) => x.mb ?? NaN)), delivered: sum(rs.map((x) => x.delivered ?? 0)),
      sent: sum(rs.map((x) => x.sent ?? 0)), resent: sum(rs.map((x) => x.resent ?? 0)), notOk: sum(rs.map((x) => x.notOk ?? 0)),
      cpuPub: median(rs.map((x) => x.cpuPub ?? NaN)), cpuSub: median(rs.map((x) => x.cpuSub ?? NaN)),
      p99: median(rs.map((x) => x.p99 ?? NaN)), p99s: stat(rs.map((x) => x.p99 ?? NaN)), mean: median(rs.map((x) => x.mean ?? NaN)),
    }
  }
  const ratio = (kind, a, b, size, key = 'msgs') => {
    const out = []
    for (let rep = 0; rep < cfg.repeat; rep++) {
      const x = runs.find((y) => y.kind === kind && y.impl === a && y.size === size && y.rep === rep)
      const y = runs.find((z) => z.kind === kind && z.impl === b && z.size === size && z.rep === rep)
      if (x && y && y[key] > 0) out.push(x[key] / y[key])
    }
    return stat(out)
  }
  const target = (name, r, goal, cmp = '>=') => {
    if (!r) return { name, measured: undefined, goal, hit: undefined }
    return { name, measured: r.med, min: r.min, max: r.max, goal, hit: cmp === '>=' ? r.med >= goal : r.med <= goal }
  }
  const tput = cfg.sizes.map((size) => ({
    size, all: summary('throughput', 'all', size), none: summary('throughput', 'none', size), zmq: summary('throughput', 'zmq', size),
    allZ: ratio('throughput', 'all', 'zmq', size), noneZ: ratio('throughput', 'none', 'zmq', size),
  }))
  const fan = { one: summary('fanout', '1'), many: summary('fanout', String(cfg.subs)), r: ratio('fanout', String(cfg.subs), '1', 64) }
  const top = { one: summary('topics', '1'), many: summary('topics', String(cfg.topics)), r: ratio('topics', String(cfg.topics), '1', 64) }
  const lat = {
    topic: summary('latency', 'topic', 64, 'p50'), udp: summary('latency', 'udp', 64, 'p50'),
    r50: ratio('latency', 'topic', 'udp', 64, 'p50'), r99: ratio('latency', 'topic', 'udp', 64, 'p99'),
  }
  const t64 = tput.find((t) => t.size === 64)
  const targets = [
    ...(cfg.only.has('throughput') ? [
      target("ack 'all', 1 subscriber, 64 B: >= 1x zeromq msgs/s", t64?.allZ, 1),
      target("ack 'none', 64 B: >= 2x zeromq msgs/s", t64?.noneZ, 2),
    ] : []),
    ...(cfg.only.has('fanout') ? [target(`fan-out to ${cfg.subs}: per subscriber >= 0.75x of 1 subscriber (loses <= 25%)`, fan.r, 0.75)] : []),
    ...(cfg.only.has('topics') ? [target(`${cfg.topics} topics: >= 0.9x of one topic`, top.r, 0.9)] : []),
  ]

  if (flags.has('raw')) for (const x of runs) console.log(JSON.stringify(x))

  if (flags.has('csv')) {
    console.log('case,impl,size,subscribers,topics,msgs_s_median,msgs_s_min,msgs_s_max,mb_s_median,delivered,sent,resent,not_ok,' +
      'us_cpu_per_msg_pub,us_cpu_per_msg_sub,baseline,ratio_median,ratio_min,ratio_max')
    const line = (kase, impl, size, subs, topics, s, baseline, r) => console.log([kase, impl, size, subs, topics, f0(s?.med), f0(s?.min), f0(s?.max),
      f2(s?.mb), s?.delivered ?? '', s?.sent ?? '', s?.resent ?? '', s?.notOk ?? '', f1((s?.cpuPub ?? NaN) * 1e6), f1((s?.cpuSub ?? NaN) * 1e6),
      baseline, f2(r?.med), f2(r?.min), f2(r?.max)].join(','))
    for (const t of tput) {
      if (t.all) line('throughput', 'topic-ack-all', t.size, 1, 1, t.all, 'zmq', t.allZ)
      if (t.none) line('throughput', 'topic-ack-none', t.size, 1, 1, t.none, 'zmq', t.noneZ)
      if (t.zmq) line('throughput', 'zmq-pubsub', t.size, 1, 1, t.zmq, '', undefined)
    }
    if (fan.one) line('fanout', 'topic-ack-all', 64, 1, 1, fan.one, '', undefined)
    if (fan.many) line('fanout', 'topic-ack-all', 64, cfg.subs, 1, fan.many, 'fanout-1', fan.r)
    if (top.one) line('topics', 'topic-ack-all', 64, 1, 1, top.one, '', undefined)
    if (top.many) line('topics', 'topic-ack-all', 64, 1, cfg.topics, top.many, 'topics-1', top.r)
    console.log('case,impl,size,p50_us_median,p50_us_min,p50_us_max,p99_us_median,p99_us_min,p99_us_max,mean_us,baseline,ratio_p50,ratio_p99')
    for (const [impl, s] of [['topic-publish-receipt', lat.topic], ['udp-transport-rtt', lat.udp]]) {
      if (!s) continue
      const isTopic = impl.startsWith('topic')
      console.log(['latency', impl, 64, f1(s.med), f1(s.min), f1(s.max), f1(s.p99), f1(s.p99s?.min), f1(s.p99s?.max), f1(s.mean),
        isTopic ? 'udp-transport-rtt' : '', isTopic ? f2(lat.r50?.med) : '', isTopic ? f2(lat.r99?.med) : ''].join(','))
    }
    console.log('target,goal,measured_median,measured_min,measured_max,hit')
    for (const f of failures) console.log(`failed,"${f.replace(/"/g, "'")}"`)
    for (const t of targets) console.log([`"${t.name}"`, t.goal, f2(t.measured), f2(t.min), f2(t.max), t.hit === undefined ? 'not measured' : t.hit ? 'hit' : 'missed'].join(','))
    return
  }

  /** The rows of a case that compares `many` (subscribers, topics) with one. */
  const oneAgainstMany = (what, many, c) => {
    const w = [12, 10, 17, 9, 11, 8]
    console.log(row([what, 'msg/s', 'range', 'resent', 'ratio to 1', 'range'], w))
    console.log(row([1, f0(c.one?.med), range(c.one, f0), c.one?.resent ?? '-', '', ''], w))
    console.log(row([many, f0(c.many?.med), range(c.many, f0), c.many?.resent ?? '-', f2(c.r?.med), range(c.r, f2)], w))
  }
  console.log(`Topic layer benchmarks (bench:pubsub) on ${hardware}`)
  console.log(`config: ${cfg.duration} s per throughput run, ${cfg.repeat} repetitions interleaved (the runs of a comparison back to back, ` +
    `taking turns first), medians shown with [min-max] over repetitions; ${cfg.transport === 'tipc' ? 'kernel TIPC (one node: every process on it)' : 'udp transport on 127.0.0.1'}, raw codec, ` +
    `publisher keeps ${cfg.inflight} publishes outstanding; total ${wall.toFixed(0)} s${cfg.quick ? ' (--quick)' : ''}`)
  console.log(`baseline: ${zmqSkipped ? `zeromq SKIPPED: ${zmqSkipped}` : `zeromq.js ${zmqVersion} PUB/SUB over tcp://127.0.0.1, ` +
    `send/receive high-water marks ${cfg.sizes.map((s) => `${zmqHwm(s)} at ${s} B`).join(', ')} messages (drops past them: only delivered messages count)`}`)
  for (const f of failures) console.log(`FAILED run (left out of the figures): ${f}`)
  if (cfg.only.has('throughput')) {
    console.log('')
    console.log('1. throughput, one publisher and one subscriber process, msgs/s delivered at the subscriber')
    const w = [6, 10, 8, 15, 10, 8, 15, 10, 8, 15, 6, 11, 6, 11, 8]
    console.log(row(['size', 'all msg/s', 'MB/s', 'range', 'none msg/s', 'MB/s', 'range', 'zmq msg/s', 'MB/s', 'range',
      'all/z', 'range', 'none/z', 'range', 'deliv%'], w))
    for (const t of tput) {
      console.log(row([t.size, f0(t.all?.med), f1(t.all?.mb), range(t.all, f0), f0(t.none?.med), f1(t.none?.mb), range(t.none, f0),
        f0(t.zmq?.med), f1(t.zmq?.mb), range(t.zmq, f0), f2(t.allZ?.med), range(t.allZ, f2), f2(t.noneZ?.med), range(t.noneZ, f2),
        `${t.none ? f1((100 * t.none.delivered) / t.none.sent) : '-'}/${t.zmq ? f1((100 * t.zmq.delivered) / t.zmq.sent) : '-'}`], w))
    }
    console.log('   deliv%: delivered/sent over all runs, ack \'none\' / zeromq (ack \'all\' delivers everything it sends).')
    console.log('   ack \'all\': CPU per message, user+sys µs (publisher / subscriber), resent copies, receipts not ok (all runs):')
    for (const t of tput) {
      console.log(`   ${pad(t.size, 6)}  all ${f1(t.all?.cpuPub * 1e6)} / ${f1(t.all?.cpuSub * 1e6)}  resent ${t.all?.resent ?? '-'}  not ok ${t.all?.notOk ?? '-'}` +
        `   none ${f1(t.none?.cpuPub * 1e6)} / ${f1(t.none?.cpuSub * 1e6)}`)
    }
  }
  if (cfg.only.has('fanout')) {
    console.log('')
    console.log(`2. fan-out, ack 'all', 64 B: msgs/s per subscriber (mean over the subscribers of a run)`)
    oneAgainstMany('subscribers', cfg.subs, fan)
  }
  if (cfg.only.has('topics')) {
    console.log('')
    console.log(`3. topics, ack 'all', 64 B, one subscriber process subscribed to every topic, publisher round robin: msgs/s in total`)
    oneAgainstMany('topics', cfg.topics, top)
  }
  if (cfg.only.has('latency')) {
    console.log('')
    console.log(`4. latency, 64 B, one in flight, ${cfg.latCount} after ${cfg.latWarmup} warm-up: publish() to receipt (ack 'all'), ` +
      `against the ${cfg.transport} transport's request/response round trip`)
    const w = [30, 8, 15, 8, 17, 8]
    console.log(row(['', 'p50 µs', 'p50 range', 'p99 µs', 'p99 range', 'mean µs'], w))
    console.log(row(['topic publish -> receipt', f1(lat.topic?.med), range(lat.topic, f1), f1(lat.topic?.p99), range(lat.topic?.p99s, f1), f1(lat.topic?.mean)], w))
    console.log(row([`${cfg.transport} transport round trip`, f1(lat.udp?.med), range(lat.udp, f1), f1(lat.udp?.p99), range(lat.udp?.p99s, f1), f1(lat.udp?.mean)], w))
    console.log(`   topic/${cfg.transport} p50 ${f2(lat.r50?.med)}x [${range(lat.r50, f2)}], p99 ${f2(lat.r99?.med)}x [${range(lat.r99, f2)}]`)
  }
  if (targets.length) {
    console.log('')
    console.log('targets (issue 9), on the median ratio:')
    for (const t of targets) {
      const verdict = t.hit === undefined ? 'not measured' : t.hit ? 'HIT' : 'MISSED'
      console.log(`   ${verdict.padEnd(12)} ${t.name}: measured ${f2(t.measured)}x [${f2(t.min)}-${f2(t.max)}]`)
    }
  }
}
