// The first promise of the topic layer: a publisher is told, per subscriber,
// that its code processed the message. Three subscribers on two nodes, ack
// 'all': every receipt is ok, names every subscriber as acked, and each
// subscriber got each message once, in order.
import { topicSuite } from './harness.js'
import { collect } from './collect.js'

topicSuite('publish with ack all: every subscriber processed every message, once, in order', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const subs = [env.bus(1), env.bus(1), env.bus(0)].map(b => collect(b.topic<{ n: number }>(name).subscribe()))
  const pub = env.bus(0).topic<{ n: number }>(name)
  await pub.whenSubscribed(3, { timeoutMs: 10_000 })
  const receipts = []
  for (let n = 0; n < 100; n++) receipts.push(pub.publish({ n }))
  const done = await Promise.all(receipts)
  for (const r of done) {
    t.equal(r.ok, true)
    t.equal(r.meaning, 'processed')
    t.equal(r.outcomes.filter(o => o.kind === 'acked').length, 3)
  }
  for (const s of subs) t.same(s.values.map(v => v.n), Array.from({ length: 100 }, (_, n) => n))
  for (const s of subs) s.stop()
})

topicSuite('no subscriber at all: NoSubscribersError at once', {}, async (t, env) => {
  const pub = env.bus(0).topic(env.topicName())
  const err = await pub.publish({ x: 1 }).then(() => undefined, (e: unknown) => e as Error & { code?: string })
  t.equal(err?.code, 'ERR_TIPC_NO_SUBSCRIBERS')
})
