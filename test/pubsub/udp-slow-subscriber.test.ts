// A subscriber process that takes 1 ms per message (an async handler, in
// callback and in iterator mode, with the default 'block' receive buffer)
// and a publisher (this process) that publishes as fast as it can with ack
// 'all', on udp. Nothing is lost (every receipt ok; the subscriber processed
// each message once, in order); the publisher was slowed down (its window
// stalled); the subscriber's receive buffer stayed bounded and paused the
// socket, and its memory stayed bounded.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { clusterOptions, SubscriberProcess } from './topic-processes.js'
import type { Numbered } from './fixtures/topic-subscriber.js'

const MESSAGES = 3000
/** The publisher's in-flight window (the default). */
const WINDOW = 1024
/** The subscriber's receive buffer ('block', the default policy): a quarter of the window, so the window alone cannot keep it from filling. */
const BUFFER = 256
/**
 * How far past its size a 'block' buffer may fill (so what bounds it): the
 * rest of the read it paused in (the udp transport's batch, 64), and the
 * messages the stream receiver held behind a hole (an OVERLOADed copy, whose
 * resend comes after the copies behind it) released at once when the resend
 * fills it (fewer than the window). Both were already in memory.
 */
const BLOCK_SLACK = 64 + 1024
/** A generous bound on the subscriber's rss: a node process with the topic layer is ~100 MB; unbounded buffering of thousands of messages with their copies would not be caught by less. */
const RSS_BOUND = 400 * 1024 * 1024
const PAD = 'x'.repeat(1000)

for (const mode of ['callback', 'iterator'] as const) {
  t.test(`a 1 ms-per-message subscriber (${mode}) slows a tight publish loop down, loses nothing, stays bounded`, async t => {
    const options = clusterOptions()
    const transport = await UdpTransport.open(options)
    // The ack deadline allows for a window of messages queued at a subscriber that
    // works 1 ms (on a busy machine, several) on each: it is not what this is about.
    const bus = new Bus(transport, { window: { messages: WINDOW }, timeoutMs: 60_000 })
    t.teardown(async () => {
      await bus.close()
      await transport.close()
    })
    const name = `procs.slow.${mode}.${process.pid}.${options.cluster!}`
    const sub = new SubscriberProcess(options)
    t.teardown(() => sub.kill())
    await sub.subscribe(name, { handlerDelayMs: 1, mode, bufferSize: BUFFER })
    const pub = bus.topic<Numbered>(name)
    await pub.whenSubscribed(1, { timeoutMs: 20_000 })

    const pending = Array.from({ length: MESSAGES }, (_, n) => pub.publish({ n, pad: PAD }, { ack: 'all' }))
    const receipts = await Promise.all(pending)

    t.equal(receipts.filter(r => !r.ok).length, 0, `every one of ${MESSAGES} receipts ok`)
    t.ok(receipts.every(r => r.outcomes.length === 1 && r.outcomes[0]!.kind === 'acked'), 'each acked by the subscriber')
    const report = await sub.report()
    t.same(report.received, Array.from({ length: MESSAGES }, (_, n) => n), 'the subscriber processed each message once, in order')
    t.same(report.gaps, [], 'and reported no gap')

    const flow = pub.flow()
    const stats = pub.stats()
    // Every publish past the window waited for a receipt, which needs the subscriber's
    // ack: the publisher went at the subscriber's pace. Each waits once (no more stalls than publishes).
    t.ok(flow.stalls >= MESSAGES - WINDOW && flow.stalls <= MESSAGES, `the publisher waited for room in its window (${flow.stalls} stalls)`)
    t.equal(stats.returned.OVERLOAD ?? 0, flow.overloads, 'each OVERLOAD return shrank the credit')
    const buffer = report.buffer!
    t.ok(buffer.pauses > 0, `the subscriber's full buffer paused its socket (${buffer.pauses} times)`)
    t.ok(buffer.highWater <= buffer.size + BLOCK_SLACK, `its buffer held at most ${buffer.highWater} (size ${buffer.size}, + ${BLOCK_SLACK} under 'block')`)
    t.equal(buffer.dropped, 0, 'and dropped nothing')
    t.comment(`publisher: ${flow.overloads} OVERLOAD returns, ${stats.resent} copies resent; subscriber: max rss ${(report.maxRss / 2 ** 20).toFixed(0)} MiB, buffer high water ${buffer.highWater}, ${report.stats.duplicates} duplicate copies suppressed, ${report.redelivered} redelivered`)
    t.ok(report.maxRss < RSS_BOUND, `its memory stayed bounded (max rss ${(report.maxRss / 2 ** 20).toFixed(0)} MiB < ${RSS_BOUND / 2 ** 20} MiB)`)
    await sub.call('close')
  })
}
