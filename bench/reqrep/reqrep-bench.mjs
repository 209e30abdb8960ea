// One process of the request/reply benchmark.
//
//   node bench/reqrep/reqrep-bench.mjs serve   --impl tipc-rx|zmq [--transport udp --cluster C] [--servers 4]
//        serves a 64-byte echo with `servers` servers in this process; prints READY <endpoint list> (zmq: ports), runs until stdin closes
//   node bench/reqrep/reqrep-bench.mjs request --impl tipc-rx|zmq --requesters N --count K --warmup W [--ports a,b,...]
//        N requesters, each with one request in flight, K measured round trips in all (after W warm-up ones);
//        prints one JSON line: p50, p99, mean, min, max (µs) and requests/s
//
// tipc-rx: Bus.serve / Bus.request over the chosen transport (raw codec, 64-byte payloads).
// zmq: zeromq.js 6 Reply sockets on tcp://127.0.0.1, one Request socket per requester connected to every Reply
// socket (REQ round-robins over its connections, as anycast does over bindings).
const mode = process.argv[2]
const o = { impl: 'tipc-rx', transport: 'udp', cluster: 0, servers: 1, requesters: 1, count: 20000, warmup: 2000, ports: '', size: 64 }
const argv = process.argv.slice(3)
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '')
  if (!(key in o)) { console.error(`unknown option ${argv[i]}`); process.exit(2) }
  o[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1]
}
setTimeout(() => { console.error(`reqrep-bench ${mode}: gave up after 180 s`); process.exit(3) }, 180_000).unref()
const payload = new Uint8Array(o.size).fill(7)

function summary(samples, seconds) {
  samples.sort((a, b) => a - b)
  const at = q => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  return { p50: at(0.5), p99: at(0.99), mean, min: samples[0], max: samples.at(-1), perSecond: samples.length / seconds }
}

/** `requesters` loops, each sending its next request when the last was answered; records each round trip in µs. */
async function measure(send) {
  const samples = []
  let started = 0
  let t0 = 0
  const loop = async () => {
    for (;;) {
      const n = started++
      if (n >= o.warmup + o.count) return
      if (n === o.warmup) t0 = performance.now()
      const t = performance.now()
      await send()
      if (n >= o.warmup) samples.push((performance.now() - t) * 1000)
    }
  }
  await Promise.all(Array.from({ length: o.requesters }, loop))
  return summary(samples, (performance.now() - t0) / 1000)
}

const stdinClosed = new Promise(resolve => { process.stdin.on('end', resolve).on('close', resolve); process.stdin.resume() })

if (o.impl === 'tipc-rx') {
  const { openBus, rawCodec, serviceType } = await import('../../dist/core/index.js').then(async m => ({ ...m, ...(await import('../../dist/codecs/index.js')) }))
  const bus = await openBus({ transport: o.transport, ...(o.transport === 'udp' ? { udp: { cluster: o.cluster } } : {}) })
  const raw = rawCodec()
  if (mode === 'serve') {
    for (let i = 0; i < o.servers; i++) bus.serve('bench.echo', v => v, { codec: raw, replyCodec: raw, concurrency: 1024 })
    process.stdout.write('READY -\n')
    await stdinClosed
  } else {
    // Wait until every server is known here (udp: discovery, then the name table).
    await new Promise(resolve => {
      const seen = new Set()
      const sub = bus.transport.subscribe({ type: serviceType('bench.echo'), lower: 0, upper: 0 }, e => {
        if (e.kind === 'published') seen.add(`${e.socket.node}:${e.socket.ref}`)
        if (seen.size >= o.servers) { queueMicrotask(() => sub.cancel()); resolve() }
      })
    })
    const options = { codec: raw, replyCodec: raw, timeoutMs: 30_000 }
    const result = await measure(() => bus.request('bench.echo', payload, options))
    console.log(JSON.stringify({ impl: 'tipc-rx', transport: bus.transport.kind, requesters: o.requesters, servers: o.servers, ...result, stats: bus.requestStats().requester }))
  }
  await bus.close()
} else {
  const zmq = await import('zeromq')
  if (mode === 'serve') {
    const ports = []
    for (let i = 0; i < o.servers; i++) {
      const rep = new zmq.Reply({ linger: 0 })
      await rep.bind('tcp://127.0.0.1:0')
      ports.push(new URL(rep.lastEndpoint).port)
      void (async () => { for await (const [m] of rep) await rep.send(m) })()
    }
    process.stdout.write(`READY ${ports.join(',')}\n`)
    await stdinClosed
  } else {
    const sockets = Array.from({ length: o.requesters }, () => {
      const req = new zmq.Request({ linger: 0 })
      for (const port of o.ports.split(',')) req.connect(`tcp://127.0.0.1:${port}`)
      return req
    })
    let next = 0
    const free = [...sockets]
    const result = await measure(async () => {
      const req = free.pop() ?? sockets[next++ % sockets.length]
      await req.send(payload)
      await req.receive()
      free.push(req)
    })
    console.log(JSON.stringify({ impl: 'zmq', transport: 'tcp', requesters: o.requesters, servers: o.servers, ...result }))
    for (const s of sockets) s.close()
  }
}
process.exit(0)
