// CPU per message of the topic layer, publisher and subscriber in one
// process (two buses over udp on 127.0.0.1): user+sys µs per message of the
// whole process. One process, one thread: the figure counts work done, not
// how the scheduler shared two cores among processes, so it moves much less
// than msgs/s on a loaded machine. For comparing builds (run them taking
// turns); the two-process figures are driver.mjs's.
//
//   node bench/pubsub/cpu-per-message.mjs [DIR] [--ack all|none] [--count N] [--topics T] [--inflight W]
//
// DIR: a checkout whose dist/ is built (default: this one). --inflight
// defaults to 256, so that acks come back inside the first resend delay
// (200 ms) even on a busy machine: resends are counted and printed, and a
// run with many is measuring the resend storm, not the hot path.
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { ack: { type: 'string', default: 'all' }, count: { type: 'string', default: '50000' }, topics: { type: 'string', default: '1' }, inflight: { type: 'string', default: '256' } },
})
const root = resolve(positionals[0] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'))
const { Bus, UdpTransport } = await import(pathToFileURL(join(root, 'dist/core/index.js')).href)
const { rawCodec } = await import(pathToFileURL(join(root, 'dist/codecs/index.js')).href)
const count = Number(values.count), topicCount = Number(values.topics), inflight = Number(values.inflight)
const cluster = 0x7e600000 + ((Math.random() * 0x8000) | 0) * 2
const type0 = 0x7e800000 + ((Math.random() * 0x100) | 0) * 0x10000
const pubBus = new Bus(await UdpTransport.open({ cluster }), { ownsTransport: true })
const subBus = new Bus(await UdpTransport.open({ cluster }), { ownsTransport: true })
const codec = rawCodec()
let delivered = 0
let allDelivered
const everything = new Promise((r) => (allDelivered = r))
for (let i = 0; i < topicCount; i++) {
  subBus.topic(`cpu.${i}`, { codec, type: type0 + i }).subscribe({ ack: 'auto', buffer: { size: 1024, policy: 'block' } })
    .subscribe(() => { if (++delivered === count) allDelivered() })
}
const topics = Array.from({ length: topicCount }, (_, i) => pubBus.topic(`cpu.${i}`, { codec, type: type0 + i }))
for (const t of topics) await t.whenSubscribed(1, { timeoutMs: 60000 })
const value = new Uint8Array(64)
const options = { ack: values.ack }
let sent = 0, outstanding = 0, receipts = 0, refill = false, next = 0
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const failed = (err) => { console.error(`publish failed: ${err?.stack ?? err}`); process.exit(1) }
const onReceipt = () => {
  outstanding--
  receipts++
  if (!refill) { refill = true; setImmediate(pump) }
}
// Refilled once per turn of the event loop, as topic-bench.mjs does.
function pump() {
  refill = false
  while (outstanding < inflight && sent < count) {
    outstanding++
    sent++
    topics[next].publish(value, options).then(onReceipt, failed)
    next = next + 1 === topicCount ? 0 : next + 1
  }
}
pump()
await everything
while (receipts < count) await new Promise((r) => setTimeout(r, 1))
const cpu = process.cpuUsage(cpu0)
const ms = performance.now() - t0
console.log(`${root}: ack ${values.ack}, ${topicCount} topic(s), ${count} messages of 64 B: ${((cpu.user + cpu.system) / count).toFixed(2)} µs CPU per message (publisher + subscriber), ${Math.round((count / ms) * 1000)} msgs/s, ${pubBus.stats().resent} resent`)
await pubBus.close()
await subBus.close()
process.exit(0)
