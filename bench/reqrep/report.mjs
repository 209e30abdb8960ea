// The report of bench/reqrep/driver.mjs: per case and implementation the
// median over the repetitions of p50, p99 and round trips per second, with
// [min-max]; CPU per round trip; requests sent, answered and failed (all
// runs). Ratios are computed per repetition (the runs of a case are
// adjacent in time) and then summarised; the issue's targets are judged on
// the median ratio as measured (never rounded up). A table, or --csv.

const median = (xs) => {
  const v = xs.filter((x) => !Number.isNaN(x))
  if (!v.length) return NaN
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const stat = (xs) => (xs.length ? { med: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : undefined)
const sum = (xs) => xs.reduce((a, b) => a + b, 0)
const f0 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0))
const f1 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1))
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(2))
const range = (s, f) => (s ? `${f(s.min)}-${f(s.max)}` : '-')
const pad = (s, n) => String(s ?? '-').padStart(n)
const row = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[0]) : pad(c, widths[i]))).join(' ')

export function report({ runs, failures, skipped, cfg, cases, flags, hardware, wall, zmqVersion }) {
  const tipc = cfg.transport === 'tipc'
  const names = {
    tipcrx: `tipc-rx request/serve (${tipc ? 'kernel TIPC' : 'udp transport'})`,
    zmq: 'zeromq.js REQ/REP (tcp)',
    c: tipc ? 'C RDM (rdm_bench pong)' : 'C UDP (udp_pingpong pong)',
    rdm: 'C RDM ping-pong (bench/rdm, as is)',
  }
  const summary = (kase, impl) => {
    const rs = runs.filter((x) => x.kase === kase && x.impl === impl)
    if (!rs.length) return undefined
    const failed = {}
    for (const r of rs) for (const [k, v] of Object.entries(r.failed)) failed[k] = (failed[k] ?? 0) + v
    return {
      p50: stat(rs.map((x) => x.p50)), p99: stat(rs.map((x) => x.p99)), perSec: stat(rs.map((x) => x.perSec)),
      cpu: median(rs.map((x) => x.cpuPerRt)), cpuReq: median(rs.map((x) => x.cpuRequester)), cpuSrv: median(rs.map((x) => x.cpuServer)),
      sent: sum(rs.map((x) => x.sent)), answered: sum(rs.map((x) => x.answered)), failed,
      wrong: sum(rs.map((x) => x.wrongReplies)),
      handled: rs.every((x) => x.serverHandled !== undefined) ? sum(rs.map((x) => x.serverHandled)) : undefined,
      resent: sum(rs.flatMap((x) => x.requesterStats.map((s) => s.resent ?? 0))),
      packetsPerRt: median(rs.map((x) => x.packetsPerRt ?? NaN)),
    }
  }
  const ratio = (kase, a, b, key) => {
    const out = []
    for (let rep = 0; rep < cfg.repeat; rep++) {
      const x = runs.find((y) => y.kase === kase && y.impl === a && y.rep === rep)
      const y = runs.find((z) => z.kase === kase && z.impl === b && z.rep === rep)
      if (x && y && y[key] > 0) out.push(x[key] / y[key])
    }
    return stat(out)
  }
  const rows = cfg.only.flatMap((kase) => cfg.impls.map((impl) => ({ kase, impl, s: summary(kase, impl) }))).filter((r) => r.impl !== 'rdm' || r.kase === 'one')
  const pairs = [['tipcrx', 'zmq'], ['tipcrx', 'c'], ['zmq', 'c'], ['tipcrx', 'rdm'], ['c', 'rdm']]
  const ratios = cfg.only.flatMap((kase) => pairs.map(([a, b]) => ({
    kase, a, b, p50: ratio(kase, a, b, 'p50'), p99: ratio(kase, a, b, 'p99'), perSec: ratio(kase, a, b, 'perSec'),
  })))
  const find = (kase, a, b) => ratios.find((r) => r.kase === kase && r.a === a && r.b === b)
  const target = tipc
    ? { name: 'one in flight, p50 on tipc <= 2x the C RDM ping-pong of bench/rdm', r: find('one', 'tipcrx', 'rdm')?.p50, goal: 2 }
    : { name: 'one in flight, p50 on udp <= 1.5x zeromq.js REQ/REP', r: find('one', 'tipcrx', 'zmq')?.p50, goal: 1.5 }
  const verdict = !cfg.only.includes('one') ? undefined : !target.r ? 'not measured' : target.r.med <= target.goal ? 'MET' : 'MISSED'
  const failedText = (f) => Object.entries(f).map(([k, v]) => `${k} ${v}`).join(', ') || '0'

  if (flags.has('raw')) for (const x of runs) console.log(JSON.stringify(x))
  if (flags.has('csv')) {
    console.log('case,impl,transport,requesters,servers,p50_us_median,p50_us_min,p50_us_max,p99_us_median,p99_us_min,p99_us_max,' +
      'rt_s_median,rt_s_min,rt_s_max,us_cpu_per_rt,us_cpu_per_rt_requester,us_cpu_per_rt_server,sent,answered,failed,server_handled')
    for (const { kase, impl, s } of rows) {
      if (!s) continue
      console.log([kase, impl, cfg.transport, cases[kase].requesters, cases[kase].servers, f1(s.p50.med), f1(s.p50.min), f1(s.p50.max),
        f1(s.p99.med), f1(s.p99.min), f1(s.p99.max), f0(s.perSec.med), f0(s.perSec.min), f0(s.perSec.max), f2(s.cpu), f2(s.cpuReq),
        f2(s.cpuSrv), s.sent, s.answered, `"${failedText(s.failed)}"`, s.handled ?? ''].join(','))
    }
    console.log('case,numerator,denominator,ratio_p50_median,ratio_p50_min,ratio_p50_max,ratio_p99_median,ratio_p99_min,ratio_p99_max')
    for (const r of ratios) {
      if (!r.p50) continue
      console.log([r.kase, r.a, r.b, f2(r.p50.med), f2(r.p50.min), f2(r.p50.max), f2(r.p99?.med), f2(r.p99?.min), f2(r.p99?.max)].join(','))
    }
    console.log('target,goal,measured_median,measured_min,measured_max,verdict')
    if (verdict) console.log([`"${target.name}"`, target.goal, f2(target.r?.med), f2(target.r?.min), f2(target.r?.max), verdict].join(','))
    for (const f of failures) console.log(`failed,"${f.replace(/"/g, "'")}"`)
    for (const [impl, why] of Object.entries(skipped)) console.log(`skipped,${impl},"${why.replace(/"/g, "'")}"`)
    return
  }

  console.log(`Request/reply benchmark (bench:reqrep) on ${hardware}`)
  console.log(`config: ${cfg.size} B requests echoed as replies; ${cfg.duration} s measured after ${cfg.warmupMs} ms warm-up per run; ` +
    `${cfg.repeat} repetitions interleaved (the implementations of a case back to back, taking turns first); medians shown with ` +
    `[min-max] over repetitions; ${tipc ? 'kernel TIPC, one node (every process in one guest)' : 'everything on 127.0.0.1'}; total ${wall.toFixed(0)} s`)
  console.log(`baselines: ${skipped.zmq ? `zeromq SKIPPED: ${skipped.zmq}` : `zeromq.js ${zmqVersion} REQ/REP, one REQ socket per requester connected to every REP server`}; ` +
    `${names.c} with reqrep_clients (a thread per requester, blocking send/receive)`)
  if (skipped.tipcrx) console.log(`tipc-rx SKIPPED: ${skipped.tipcrx}`)
  for (const f of failures) console.log(`FAILED run (left out of the figures): ${f}`)
  const w = [40, 8, 13, 8, 15, 9, 17, 8, 14]
  for (const kase of cfg.only) {
    const k = cases[kase]
    console.log('')
    console.log(kase === 'one'
      ? '1. one request in flight: one requester, one server process, sequential round trips'
      : `2. ${k.requesters} concurrent requesters (one request in flight each) in ${k.procs} processes, against ${k.servers} server processes`)
    console.log(row(['', 'p50 µs', 'p50 range', 'p99 µs', 'p99 range', 'rt/s', 'rt/s range', 'CPU µs', '(req + srv)'], w))
    for (const { impl, s } of rows.filter((r) => r.kase === kase)) {
      console.log(row([names[impl], f1(s?.p50.med), range(s?.p50, f1), f1(s?.p99.med), range(s?.p99, f1), f0(s?.perSec.med),
        range(s?.perSec, f0), f1(s?.cpu), s ? `${f1(s.cpuReq)} + ${f1(s.cpuSrv)}` : '-'], w))
    }
    for (const r of ratios.filter((x) => x.kase === kase && x.p50)) {
      console.log(`   ${r.a}/${r.b}: p50 ${f2(r.p50.med)}x [${range(r.p50, f2)}], p99 ${f2(r.p99?.med)}x [${range(r.p99, f2)}], ` +
        `rt/s ${f2(r.perSec?.med)}x [${range(r.perSec, f2)}]`)
    }
    console.log('   sent / answered / failed requests (all runs), replies counted by the servers:')
    for (const { impl, s } of rows.filter((r) => r.kase === kase)) {
      if (!s) continue
      console.log(`   ${names[impl]}: ${s.sent} / ${s.answered} / ${failedText(s.failed)}; servers answered ${s.handled ?? 'n/a (killed, prints nothing)'}` +
        (impl === 'tipcrx' ? `; resent ${s.resent}` : '') + (Number.isNaN(s.packetsPerRt) ? '' : `; datagrams sent per round trip by the requesters ${f2(s.packetsPerRt)}`) + (s.wrong ? `; WRONG replies ${s.wrong}` : ''))
    }
  }
  if (verdict) {
    console.log('')
    console.log(`target (issue 11), on the median ratio: ${verdict} ${target.name}: measured ${f2(target.r?.med)}x [${range(target.r, f2)}]`)
  }
}
