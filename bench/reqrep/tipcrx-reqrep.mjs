// tipc-rx request/reply through its public API (Bus.serve, Bus.request),
// one process per role:
//
//   node bench/reqrep/tipcrx-reqrep.mjs serve|request [--transport udp|tipc] [--cluster C]
//        [--topic T] [--servers N] [--loops L] [--size S] [--warmup-ms W] [--duration SEC]
//        [--timeout-ms MS]
//
// serve: one Bus, one server of topic T (default concurrency) whose handler
// echoes the request; READY once it is bound; on STOP (stdin) prints its
// Server.stats() and exits.
// request: one Bus shared by L requester loops (requesters.mjs), each
// `await bus.request(T, S bytes)`; READY once the transport has seen N
// servers bound to T's service type (serviceType), so no request meets
// NoRespondersError while discovery is still under way.
// Values are raw bytes (rawCodec both ways): the layer is measured, not a codec.
//
// The package is imported from dist/ of the package root, or from the
// package root named by TIPC_RX_DIST (a folder holding dist/, package.json,
// binding.gyp and build/), to measure a branch that is not merged yet.
// A dist without request/reply prints {"skipped": ...} and exits 0.
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { deadline, parseArgs } from '../transports/common.mjs'
import { runRequesters, waitForLine } from './requesters.mjs'

const mode = process.argv[2]
const o = parseArgs({ transport: 'udp', cluster: 0x7e59, topic: 'bench.reqrep', servers: 1, loops: 1, size: 64,
  'warmup-ms': 500, duration: 3, 'timeout-ms': 5000 })
deadline((o.duration + 120) * 1000 + o['warmup-ms'], `tipcrx-reqrep ${mode}`)

const root = process.env.TIPC_RX_DIST ? resolve(process.env.TIPC_RX_DIST) : join(fileURLToPath(import.meta.url), '..', '..', '..')
const core = await import(pathToFileURL(join(root, 'dist', 'core', 'index.js')).href)
const { rawCodec } = await import(pathToFileURL(join(root, 'dist', 'codecs', 'index.js')).href)
const { Bus, UdpTransport, open, serviceType } = core

if (typeof Bus.prototype.request !== 'function' || typeof Bus.prototype.serve !== 'function' || typeof serviceType !== 'function') {
  process.stdout.write('READY\n')
  process.stdout.write(JSON.stringify({ role: mode, impl: 'tipcrx', skipped: `${root}/dist has no request/reply ` +
    '(Bus.request, Bus.serve, serviceType): build a dist that has it and set TIPC_RX_DIST' }) + '\n')
  process.exit(0)
}

const transport = o.transport === 'tipc' ? await open({ transport: 'tipc' }) : await UdpTransport.open({ cluster: o.cluster })
const bus = new Bus(transport, { ownsTransport: true })
const codec = rawCodec()

async function serve() {
  const server = bus.serve(o.topic, (request) => request, { codec, replyCodec: codec })
  process.stdout.write('READY\n')
  await waitForLine('STOP')
  process.stdout.write(JSON.stringify({ role: 'serve', impl: 'tipcrx', handled: server.stats().handled, stats: server.stats() }) + '\n')
  await bus.close()
  process.exit(0)
}

/** Resolves once `n` distinct sockets are bound to the topic's service type, as this node sees it. */
function serversKnown(n) {
  const bound = new Set()
  return new Promise((done) => {
    const sub = transport.subscribe({ type: serviceType(o.topic), lower: 0, upper: 0 }, (ev) => {
      const id = `${ev.socket?.node}:${ev.socket?.ref}`
      if (ev.kind === 'published') bound.add(id)
      else if (ev.kind === 'withdrawn') bound.delete(id)
      if (bound.size >= n) {
        queueMicrotask(() => sub.cancel())
        done()
      }
    })
  })
}

async function request() {
  await serversKnown(o.servers)
  const payload = new Uint8Array(o.size).fill(0x2a)
  const requestOptions = { codec, replyCodec: codec, timeoutMs: o['timeout-ms'] }
  let wrongReplies = 0
  await runRequesters({
    impl: 'tipcrx', loops: o.loops, warmupMs: o['warmup-ms'], duration: o.duration,
    once: async () => {
      const reply = await bus.request(o.topic, payload, requestOptions)
      if (reply.byteLength !== o.size) wrongReplies++
    },
    extra: () => ({ wrongReplies, stats: bus.requestStats().requester, packetsSent: transport.stats?.().node?.packetsSent /* udp only */ }),
  })
  await bus.close()
  process.exit(0)
}

switch (mode) {
  case 'serve': await serve(); break
  case 'request': await request(); break
  default:
    console.error('usage: node bench/reqrep/tipcrx-reqrep.mjs serve|request [--transport udp|tipc] [--topic T] [--servers N] [--loops L] ...')
    process.exit(2)
}
