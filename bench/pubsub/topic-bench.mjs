// The topic layer (Bus / Topic / subscriptions) over the udp transport, one
// process per role, through its public API only:
//
//   node bench/pubsub/topic-bench.mjs sub|pub|lat [--cluster C] [--type T] [--topics N]
//        [--size S] [--ack all|none] [--subs N] [--duration SEC] [--inflight N]
//        [--count N] [--warmup N]
//
// Topics are named bench.<i> for i < N with service type T + i given
// explicitly, so N topics never collide in the 32-bit type space. Values are
// raw bytes (rawCodec): the layer is measured, not a codec.
//
// sub: one bus, one subscription (ack 'auto', buffer 'block') per topic,
// prints READY once every subscription is bound, counts deliveries of S bytes
// and stops at the END value (16 B) on topic 0. Its rate is taken from the
// first to the last data delivery (as in bench/transports).
// pub: waits until every topic knows `subs` subscribers, then publishes for
// SEC seconds with up to `inflight` publishes outstanding (a receipt lets the
// next one go, refilled once per event-loop turn), round robin over the topics; then awaits every receipt,
// publishes END with ack 'all' (so every subscriber has it, after all data
// it will get: acked data is in order, and unacked data travels the same
// in-order link ahead of it), and prints its counts once END's receipt is in.
// lat: one message in flight, ack 'all': `await publish()` timed from the call
// to the receipt, `count` times after `warmup`.
//
// Discovery is the udp transport's default (multicast beacons on 127.0.0.1,
// TTL 0); a cluster id per run keeps it apart from other udp nodes here.
import { Bus, UdpTransport, open } from '../../dist/core/index.js'
import { rawCodec } from '../../dist/codecs/index.js'
import { MAGIC_DATA, MAGIC_END, deadline, latency, le32, markCpu, message, parseArgs, print, rate } from '../transports/common.mjs'

const mode = process.argv[2]
const o = parseArgs({
  transport: 'udp', cluster: 0x7e57, type: 0x7e580000, topics: 1, size: 64, ack: 'all', subs: 1, duration: 2, inflight: 1024,
  count: 5000, warmup: 500,
})
deadline((o.duration + 90) * 1000 + o.count * 20, `topic-bench ${mode}`)

// --transport tipc: kernel TIPC (bench/pubsub/run.sh --kernel runs the driver in a UML guest).
const transport = o.transport === 'tipc' ? await open({ transport: 'tipc' }) : await UdpTransport.open({ cluster: o.cluster })
const bus = new Bus(transport, { ownsTransport: true })
const codec = rawCodec()
const topics = Array.from({ length: o.topics }, (_, i) => bus.topic(`bench.${i}`, { codec, type: o.type + i }))

async function finishAndExit(result, delayMs = 0) {
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
  const s = bus.stats()
  print({ ...result, impl: 'topic', resent: s.resent, returned: s.returned, gaps: s.gaps ?? undefined, stats: s })
  await bus.close()
  process.exit(0)
}

function runSub() {
  let delivered = 0, bytes = 0, tFirst = 0, tLast = 0, other = 0
  for (const t of topics) {
    const sub = t.subscribe({ ack: 'auto', buffer: { size: 1024, policy: 'block' } })
    sub.gaps$.subscribe(() => other++)
    sub.subscribe((d) => {
      const v = d.value
      if (v.byteLength === o.size && le32(v) === MAGIC_DATA) {
        const now = performance.now()
        if (delivered === 0) {
          markCpu()
          tFirst = now
        }
        delivered++
        bytes += v.byteLength
        tLast = now
      } else if (le32(v) === MAGIC_END) {
        // Let the ack of END leave (acks go out once per turn) before the bus closes.
        finishAndExit({ role: 'sub', size: o.size, delivered, bytes, gapsSeen: other, ...rate(delivered, 1, tFirst, tLast, o.size) }, 200)
      } else {
        other++
      }
    })
  }
  process.stdout.write('READY\n')
}

async function subscribed() {
  for (const t of topics) await t.whenSubscribed(o.subs, { timeoutMs: 60000 })
}

async function runPub() {
  await subscribed()
  const value = message(o.size, MAGIC_DATA)
  const opts = { ack: o.ack }
  let sent = 0, receipts = 0, notOk = 0, failed = 0, outstanding = 0, next = 0, stopped = false
  let drained
  const allIn = new Promise((r) => (drained = r))
  markCpu()
  const t0 = performance.now()
  const tEnd = t0 + o.duration * 1000
  const onReceipt = (r) => {
    receipts++
    if (!r.ok) notOk++
    settle()
  }
  const onError = (err) => {
    failed++
    if (failed === 1) console.error(`publish failed: ${err?.stack ?? err}`)
    settle()
  }
  // Refills run once per turn of the event loop (setImmediate), not from the
  // receipt's own continuation: with ack 'none' receipts come at once, and a
  // loop refilled from them would never let the event loop read or write.
  let refill = false
  function settle() {
    outstanding--
    if (stopped) {
      if (outstanding === 0) drained()
      return
    }
    if (!refill) {
      refill = true
      setImmediate(pump)
    }
  }
  function pump() {
    refill = false
    while (outstanding < o.inflight) {
      if (performance.now() >= tEnd) {
        stopped = true
        if (outstanding === 0) drained()
        return
      }
      outstanding++
      sent++
      topics[next].publish(value, opts).then(onReceipt, onError)
      next = next + 1 === topics.length ? 0 : next + 1
    }
  }
  pump()
  await allIn
  const elapsed = (performance.now() - t0) / 1000
  const end = await topics[0].publish(message(16, MAGIC_END, sent), { ack: 'all', timeoutMs: 30000 })
  await finishAndExit({ role: 'pub', size: o.size, ack: o.ack, topics: o.topics, sent, receipts, notOk, failed, elapsed,
    publishedPerSec: sent / elapsed, endOk: end.ok, endOutcomes: end.outcomes.map((x) => `${x.kind}${x.code ? `:${x.code}` : ""}`) })
}

async function runLat() {
  await subscribed()
  const value = message(Math.max(16, o.size), MAGIC_DATA)
  const rtt = new Float64Array(o.count)
  let notOk = 0
  markCpu()
  for (let i = 0; i < o.warmup + o.count; i++) {
    const t = performance.now()
    const r = await topics[0].publish(value, { ack: 'all' })
    const dt = (performance.now() - t) * 1000
    if (!r.ok) notOk++
    if (i >= o.warmup) rtt[i - o.warmup] = dt
  }
  await topics[0].publish(message(16, MAGIC_END), { ack: 'all', timeoutMs: 30000 })
  await finishAndExit({ role: 'lat', notOk, ...latency(rtt) })
}

switch (mode) {
  case 'sub': runSub(); break
  case 'pub': await runPub(); break
  case 'lat': await runLat(); break
  default:
    console.error('usage: node bench/pubsub/topic-bench.mjs sub|pub|lat [--cluster C] [--size S] [--ack all|none] ...')
    process.exit(2)
}
