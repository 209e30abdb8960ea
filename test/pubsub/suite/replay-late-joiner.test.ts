// Replay for late joiners (docs/replay.md), the test: a subscriber
// joins in the middle of a 10,000-message stream with from: 'earliest' while
// the publisher keeps publishing as fast as its window lets it, across the
// seam. It gets every message once, in order (the retained ones replayed,
// then live), and no gap.
import tap from 'tap'
import type { Gap } from '../../../core/pubsub/decode-stage.js'
import { collect } from './collect.js'
import { eventually } from './eventually.js'
import { topicSuite } from './harness.js'

const MESSAGES = 10_000
tap.setTimeout(120_000)

topicSuite('a subscriber joining mid-stream with from earliest gets every message once, in order, across the seam', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const pub = env.bus(0).topic<number>(name, { retain: { messages: MESSAGES } })
  let joinedAt = -1
  let sub: ReturnType<typeof collect<number>> | undefined
  const gaps: Gap[] = []
  // The publisher pulls the next value only when its window has room: full rate, whatever the transport.
  async function* values(): AsyncGenerator<number> {
    for (let i = 0; i < MESSAGES; i++) {
      if (i === MESSAGES / 2) {
        const subscription = env.bus(1).topic<number>(name).subscribe({ from: 'earliest' })
        subscription.gaps$.subscribe(g => gaps.push(g))
        sub = collect(subscription)
        joinedAt = i
        // Once the publisher knows it, the late joiner's live copies are named and acked: the seam is
        // crossed while the replay of the first half runs.
        await pub.whenSubscribed(1, { timeoutMs: 10_000 })
      }
      yield i
    }
  }
  const receipts = await pub.publishAll(values(), { ack: 'all', timeoutMs: 30_000 })
  t.equal(receipts.filter(r => r.ok).length, MESSAGES, 'every receipt ok')
  t.equal(joinedAt, MESSAGES / 2, 'the subscriber joined in the middle, while the publisher went on publishing')
  await eventually(() => (sub?.values.length ?? 0) >= MESSAGES, () => `${MESSAGES} messages at the late joiner, got ${sub?.values.length}`, 60_000)
  const got = sub!.values
  t.equal(got.length, MESSAGES, 'every message, none twice')
  t.ok(got.every((v, i) => v === i), 'in order, from the first: the retained ones, then live')
  t.same(gaps, [], 'no gap')
  // Acks came from the live copies only: the receipts of the messages it joined for name it.
  const acked = receipts.slice(MESSAGES - 100).every(r => r.outcomes.length === 1 && r.outcomes[0]!.kind === 'acked')
  t.ok(acked, 'the last messages were acked by the late joiner (live)')
  t.equal(sub!.deliveries[0]!.sequence, 1, 'a replayed message keeps its sequence')
  sub!.stop()
})
