// Two kernels joined by a veth pair: the topic layer over a real TIPC link
// that drops 10% of the packets node 1 sends (netem), as rdm-loss.ts does
// for raw RDM. A publisher on node 1, a subscriber on node 2, ack 'all'.
// TIPC's link repairs every loss, so every receipt must be ok (acked by
// the subscriber) and the subscriber must get each message once, in order;
// the topic layer's own resends should be rare (an ack late past the first
// resend delay): the counters are printed for the record.
//   node 2: pubsub-loss subscribe COUNT
//   node 1: pubsub-loss publish COUNT    (adds the netem loss itself)
// When node 1 has every receipt it publishes one message on a second topic,
// "done", so node 2 knows it may go (never by timing).
// The kernel runner (test/kernel/run.sh) reads these lines:
// @two-guests node1: publish 3000
// @two-guests node2: subscribe 3000
import { execFileSync } from 'node:child_process'
import { ownNode } from '../../../bindings/index.js'
import { openBus } from '../../../core/index.js'

const TOPIC = 'two-guest.pubsub-loss'
const DONE = 'two-guest.pubsub-loss.done'
/** Over one link MTU (1500) with the envelope: every message is fragmented on the link, as in rdm-loss. */
const PAD = 'x'.repeat(2000)
const [role, countArg] = process.argv.slice(2)
const count = Number(countArg ?? 3000)
const log = (s: string) => console.log(`[pubsub-loss ${role} ${ownNode()}] ${s}`)

interface Message { n: number; pad: string }

// The default window (1024 messages, 2 MB in flight). Until the resend wait
// followed the ack round trip, this script needed a window of 128: with the
// fixed 200 ms first resend, a third of the messages were resent, and on a
// busy host the resends overflowed the subscriber's socket queue and 672 of
// 3000 receipts timed out. The resends it makes now are printed for the record.
const bus = await openBus({ transport: 'tipc' })
let ok = false
if (role === 'subscribe') {
  const seen: number[] = []
  let bad = 0
  const messages = bus.topic<Message>(TOPIC).subscribe()
  const gaps: string[] = []
  messages.gaps$.subscribe(g => gaps.push(`${g.from}..${g.to} ${g.reason}`))
  const reading = messages.consume(d => {
    if (d.value.n !== seen.length || d.value.pad !== PAD) bad++
    seen.push(d.value.n)
  })
  const sent = await new Promise<number>(resolve => {
    void bus.topic<{ sent: number }>(DONE).subscribe().consume(d => resolve(d.value.sent))
  })
  await new Promise(r => setTimeout(r, 500)) // let the last acks leave before the sockets go
  const stats = bus.stats(TOPIC)
  log(`publisher says it sent ${sent}; received ${seen.length}, ` +
    `${bad} out of order, altered or repeated; duplicates suppressed ${stats.duplicates}, gaps ${gaps.length}${gaps.length > 0 ? ` (${gaps.slice(0, 5).join(', ')})` : ''}`)
  ok = seen.length === count && bad === 0 && gaps.length === 0
  messages.close()
  await reading
} else if (role === 'publish') {
  const topic = bus.topic<Message>(TOPIC)
  await topic.whenSubscribed(1, { timeoutMs: 60_000 })
  execFileSync('tc', ['qdisc', 'add', 'dev', 'vec0', 'root', 'netem', 'loss', '10%'])
  log('netem: 10% loss on vec0')
  const started = performance.now()
  const receipts = await Promise.all(Array.from({ length: count }, (_, n) => topic.publish({ n, pad: PAD })))
  const seconds = (performance.now() - started) / 1000
  const linkStats = execFileSync('tipc', ['link', 'stat', 'show'], { encoding: 'utf8' })
  // "TX states:.. probes:.. naks:.. acks:.. retrans:N" per link, summed
  const retransmitted = [...linkStats.matchAll(/retrans:(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
  execFileSync('tc', ['qdisc', 'del', 'dev', 'vec0', 'root'])
  const acked = receipts.filter(r => r.ok && r.outcomes.length === 1 && r.outcomes[0]!.kind === 'acked').length
  const kinds = new Map<string, number>()
  for (const r of receipts) for (const o of r.outcomes) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1)
  const maxAttempts = Math.max(...receipts.map(r => r.attempts))
  const stats = bus.stats(TOPIC)
  log(`${count} receipts in ${seconds.toFixed(1)} s, ${acked} ok and acked; outcomes ${JSON.stringify(Object.fromEntries(kinds))}; ` +
    `topic layer: resent ${stats.resent}, returned ${JSON.stringify(stats.returned)}, most attempts ${maxAttempts}; ` +
    `link retransmissions ${retransmitted}`)
  if (retransmitted === 0) log('no retransmissions seen: the loss did not happen, so this proves nothing')
  const last = await bus.topic<{ sent: number }>(DONE).publish({ sent: count }, { timeoutMs: 30_000 })
  ok = acked === count && retransmitted > 0 && last.ok
} else {
  console.error('usage: pubsub-loss publish|subscribe COUNT')
  process.exit(2)
}
await bus.close()
process.exit(ok ? 0 : 1)
