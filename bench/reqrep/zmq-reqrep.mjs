// Baseline: zeromq.js (v6) REQ/REP over tcp://127.0.0.1, one process per role:
//
//   node bench/reqrep/zmq-reqrep.mjs serve|request [--ports P[,P...]] [--loops L] [--size S]
//        [--warmup-ms W] [--duration SEC]
//
// serve: a Reply socket binds 127.0.0.1:0, prints READY <port> and echoes
// every request (`for await` receive, `await send`: REP's lockstep); on STOP
// (stdin) prints how many it answered and exits.
// request: L requester loops (requesters.mjs), each with its own Request
// socket connected to every port: REQ allows one request in flight per
// socket and round-robins its requests over the connected REP peers, which
// is zeromq's own broker-less way to spread requests over several servers
// (the guide's "Hello World" client with more than one endpoint), the same
// spreading tipc-rx's anycast does. No broker (ROUTER/DEALER) hop: tipc-rx
// has none either. Socket options are zeromq's defaults (linger 0 only, so
// that a process exits at once).
//
// When zeromq is not installed (a devDependency of the benchmarks only) this
// prints {"skipped": "..."} and exits 0.
import { deadline, parseArgs } from '../transports/common.mjs'
import { runRequesters, waitForLine } from './requesters.mjs'

const mode = process.argv[2]
const o = parseArgs({ ports: '', loops: 1, size: 64, 'warmup-ms': 500, duration: 3 })
deadline((o.duration + 120) * 1000 + o['warmup-ms'], `zmq-reqrep ${mode}`)

let zmq
try {
  zmq = await import('zeromq')
} catch (err) {
  process.stdout.write('READY 0\n')
  process.stdout.write(JSON.stringify({ role: mode, impl: 'zmq', skipped: `zeromq is not installed (npm install --no-save zeromq): ${err.code ?? err.message}` }) + '\n')
  process.exit(0)
}

async function serve() {
  const rep = new zmq.Reply({ linger: 0 })
  await rep.bind('tcp://127.0.0.1:0')
  process.stdout.write(`READY ${new URL(rep.lastEndpoint).port}\n`)
  let handled = 0
  waitForLine('STOP').then(() => {
    process.stdout.write(JSON.stringify({ role: 'serve', impl: 'zmq', handled }) + '\n')
    process.exit(0)
  })
  for await (const [msg] of rep) {
    await rep.send(msg)
    handled++
  }
}

async function request() {
  const ports = o.ports.split(',').filter(Boolean)
  if (!ports.length) {
    console.error('zmq-reqrep request: --ports is required')
    process.exit(2)
  }
  const sockets = Array.from({ length: o.loops }, () => {
    const req = new zmq.Request({ linger: 0 })
    for (const p of ports) req.connect(`tcp://127.0.0.1:${p}`)
    return req
  })
  const payload = Buffer.alloc(o.size, 0x2a)
  let wrongReplies = 0
  await runRequesters({
    impl: 'zmq', loops: o.loops, warmupMs: o['warmup-ms'], duration: o.duration,
    once: async (i) => {
      await sockets[i].send(payload)
      const [reply] = await sockets[i].receive()
      if (reply.byteLength !== o.size) wrongReplies++
    },
    extra: () => ({ wrongReplies }),
  })
  for (const s of sockets) s.close()
  process.exit(0)
}

switch (mode) {
  case 'serve': await serve(); break
  case 'request': await request(); break
  default:
    console.error('usage: node bench/reqrep/zmq-reqrep.mjs serve|request [--ports P,...] [--loops L] [--size S] ...')
    process.exit(2)
}
