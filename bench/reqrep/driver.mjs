// The request/reply benchmark (npm run bench:reqrep): round trip p50/p99 of
// 64-byte requests with one request in flight (1 requester, 1 server) and
// with 50 concurrent requesters against 4 servers, for tipc-rx over the udp
// transport (requester and servers in separate processes), zeromq.js
// REQ/REP over tcp loopback, and (one in flight only) a C UDP ping-pong on
// loopback (bench/transports/c/udp_pingpong.c), all in the same run,
// interleaved over --repeat rounds; medians of the rounds are printed.
//
//   node bench/reqrep/driver.mjs [--repeat 3] [--count 20000] [--warmup 2000] [--transport udp] [--csv]
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const args = { repeat: 3, count: 20000, warmup: 2000, transport: 'udp', csv: false }
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '')
  if (key === 'csv') args.csv = true
  else if (key in args) args[key] = typeof args[key] === 'number' ? Number(process.argv[++i]) : process.argv[++i]
  else { console.error(`unknown option ${process.argv[i]}`); process.exit(2) }
}
const cBin = join(here, 'out', 'udp_pingpong')
const bench = join(here, 'reqrep-bench.mjs')

function start(cmd, argv) {
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  const ready = new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', s => {
      out += s
      const m = /READY (\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.on('exit', code => reject(new Error(`${argv.join(' ')} exited ${code} before READY`)))
  })
  ready.catch(() => {}) // a client prints no READY: only a server's ready is awaited
  const done = new Promise((resolve, reject) => child.on('exit', code => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')}: exit ${code}`)))))
  return { child, ready, done, output: () => out }
}

const lastJson = text => JSON.parse(text.trim().split('\n').filter(l => l.startsWith('{')).at(-1))

async function runImpl(impl, requesters, servers, round) {
  if (impl === 'c') {
    const pong = start(cBin, ['pong'])
    const port = await pong.ready
    const ping = start(cBin, ['ping', port, '64', String(args.count), String(args.warmup)])
    const r = lastJson(await ping.done)
    pong.child.kill()
    return { p50: r.p50, p99: r.p99, mean: r.mean, perSecond: undefined }
  }
  const cluster = 30000 + Math.floor(Math.random() * 1e6) + round
  const common = ['--impl', impl, '--transport', args.transport, '--cluster', String(cluster)]
  const server = start(process.execPath, [bench, 'serve', ...common, '--servers', String(servers)])
  const ports = await server.ready
  const client = start(process.execPath, [bench, 'request', ...common, '--servers', String(servers), '--requesters', String(requesters),
    '--count', String(args.count), '--warmup', String(args.warmup), ...(impl === 'zmq' ? ['--ports', ports] : [])])
  const r = lastJson(await client.done)
  server.child.stdin.end()
  await server.done.catch(() => {})
  return r
}

const cases = [
  { name: 'one in flight', requesters: 1, servers: 1, impls: ['tipc-rx', 'zmq', 'c'] },
  { name: '50 requesters, 4 servers', requesters: 50, servers: 4, impls: ['tipc-rx', 'zmq'] },
]
const results = []
for (let round = 0; round < args.repeat; round++) {
  for (const c of cases) {
    for (let i = 0; i < c.impls.length; i++) {
      const impl = c.impls[(i + round) % c.impls.length]
      const r = await runImpl(impl, c.requesters, c.servers, round)
      results.push({ case: c.name, impl, round, ...r })
      console.error(`round ${round + 1}/${args.repeat} ${c.name} ${impl}: p50 ${r.p50.toFixed(1)} µs, p99 ${r.p99.toFixed(1)} µs`)
    }
  }
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const f = x => (x === undefined ? '' : x.toFixed(1))
console.log(`request/reply round trip, 64 B, ${args.count} requests after ${args.warmup} warm-up, median of ${args.repeat} rounds; tipc-rx on ${args.transport}, zmq REQ/REP on tcp loopback, c = UDP ping-pong on loopback`)
console.log(args.csv ? 'case,impl,p50_us,p99_us,mean_us,per_second,p50_vs_zmq' : '')
for (const c of cases) {
  const zmq50 = median(results.filter(r => r.case === c.name && r.impl === 'zmq').map(r => r.p50))
  for (const impl of c.impls) {
    const rs = results.filter(r => r.case === c.name && r.impl === impl)
    const row = { p50: median(rs.map(r => r.p50)), p99: median(rs.map(r => r.p99)), mean: median(rs.map(r => r.mean)), ps: rs[0].perSecond === undefined ? undefined : median(rs.map(r => r.perSecond)) }
    const ratio = (row.p50 / zmq50).toFixed(2)
    if (args.csv) console.log([c.name, impl, f(row.p50), f(row.p99), f(row.mean), f(row.ps), ratio].join(','))
    else console.log(`${c.name.padEnd(26)} ${impl.padEnd(8)} p50 ${f(row.p50).padStart(8)} µs  p99 ${f(row.p99).padStart(8)} µs  mean ${f(row.mean).padStart(8)} µs  ${row.ps === undefined ? '' : `${f(row.ps)} req/s`}  p50 ${ratio}x zmq`)
  }
}
