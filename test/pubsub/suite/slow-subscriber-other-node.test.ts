// A subscriber on another node that cannot keep up, beside a fast one on the
// publisher's node. Its small 'block' buffer pauses its socket, so the
// transport's receive queue fills and rejects copies (OVERLOAD). Where the
// rejection happens on another node, kernel TIPC (and udp and memory, which
// copy it) does not return the copy to the publisher's socket: it goes back
// by name to the sockets bound to the topic on the publisher's node, here
// the fast subscriber, which must count it as foreign and deliver nothing
// extra; the publisher learns nothing and must resend when the ack does not
// come. Ack 'all': every receipt ok, both subscribers got every message
// once, in order.
import { topicSuite } from './harness.js'
import { collect } from './collect.js'

const COUNT = 1500
// Each message carries 4 KB so the fault does not hang on timing. Kernel TIPC
// counts a socket's queue in buffer bytes (2 MB by default): 1500 small
// messages fit in it whole, and on a quiet CI run the slow socket never
// overflowed. At 4 KB each (about 8 KB of kernel buffer) it holds a few
// hundred, far fewer than the publisher's window lets through at once.
const PAD = 'x'.repeat(4096)

topicSuite('a slow subscriber on another node: rejected copies go to the bystander, resends fill the holes, nothing lost or doubled', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  // Resends start late and back off far: copies waiting in the slow socket's queue are not yet late.
  const publisherBus = env.bus(0, { resend: { initialResendMs: 1000, maxResendMs: 5000 } })
  const fast = collect(publisherBus.topic<{ n: number, pad: string }>(name).subscribe())
  const slowSeen: number[] = []
  const slowSub = env.bus(1).topic<{ n: number, pad: string }>(name).subscribe({ buffer: { size: 8, policy: 'block' } })
  const consuming = slowSub.consume(async d => {
    slowSeen.push(d.value.n)
    // Slow for real: 0.3 ms of CPU per message. Yielding alone was not slow enough once the subscriber's
    // hot path got faster: on kernel TIPC it kept up and its queue never overflowed (CI, 2026-12-01).
    const busyUntil = performance.now() + 0.3
    while (performance.now() < busyUntil) { /* a handler at work */ }
    // Then yield to the event loop (not to a timer: on memory time is virtual) so the queue builds up behind this consumer.
    await new Promise<void>(resolve => setImmediate(resolve))
  })
  const pub = env.bus(0).topic<{ n: number, pad: string }>(name)
  await pub.whenSubscribed(2, { timeoutMs: 10_000 })
  const pending = []
  for (let n = 0; n < COUNT; n++) {
    pending.push(pub.publish({ n, pad: PAD }, { timeoutMs: 30_000 }))
    // Let the event loop turn now and then: a window of sends in one turn would hold the udp nodes (in this process) past their link tolerance on a busy host.
    if (n % 64 === 63) await new Promise<void>(resolve => setImmediate(resolve))
  }
  const receipts = await Promise.all(pending)

  const notOk = receipts.filter(r => !r.ok)
  t.equal(notOk.length, 0, 'every receipt ok')
  if (notOk.length > 0) t.comment(`first receipt not ok: ${JSON.stringify(notOk[0], (_k, v: unknown) => typeof v === 'bigint' ? String(v) : v)}`)
  t.equal(receipts.filter(r => r.outcomes.filter(o => o.kind === 'acked').length === 2).length, COUNT, 'every message acked by both subscribers')
  const expected = Array.from({ length: COUNT }, (_, n) => n)
  t.same(fast.values.map(v => v.n), expected, 'the fast subscriber got each message once, in order')
  t.same(slowSeen, expected, 'the slow subscriber got each message once, in order')

  const stats = env.bus(0).stats(name)
  const overloads = (stats.returned.OVERLOAD ?? 0) + env.bus(0).stats().foreignReturns
  t.comment(`${env.kind}: returned ${JSON.stringify(stats.returned)}, foreign returns at the publisher's node ${env.bus(0).stats().foreignReturns}, resent ${stats.resent}, duplicates at the subscribers ${env.bus(1).stats(name).duplicates + stats.duplicates}`)
  // The fault really happened: copies were rejected (back to the publisher, or by name to the bystander) and resent.
  t.ok(overloads > 0, 'the slow subscriber\'s queue overflowed: rejected copies came back')
  t.ok(stats.resent > 0, 'the publisher resent what the slow subscriber did not ack')
  fast.stop()
  slowSub.close()
  await consuming
})
