// A subscription is consumed in exactly one mode: for await (the loop body
// finishing is what acks), consume() with an async handler, or an Observable;
// mixing modes, or a second Observable subscriber at the same time, throws
// SubscriptionModeError at once; after unsubscribe the same subscription can
// be subscribed again.
import { SubscriptionModeError } from '../../../core/pubsub/errors.js'
import type { Receipt } from '../../../core/pubsub/outcome.js'
import { collect } from './collect.js'
import { eventually } from './eventually.js'
import { topicSuite } from './harness.js'
import { sleep } from './sleep.js'

const N = 20
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

topicSuite('for await: in order, each acked only after its loop body finished; close() ends the loop', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const sub = env.bus(1).topic<number>(name).subscribe()
  const pub = env.bus(0).topic<number>(name)
  const got: number[] = []
  const acked = new Set<number>()
  let ackedBeforeBodyEnd = 0
  const loop = (async () => {
    for await (const d of sub) {
      // Still inside the body: this message's receipt must not be settled yet.
      await sleep(env.cluster.node(1), 5)
      if (acked.has(d.value)) ackedBeforeBodyEnd++
      got.push(d.value)
    }
  })()
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  const receipts = upTo(N).map(n => pub.publish(n).then(r => { acked.add(n); return r }))
  // The loop asking for the next message is what acks the one before: all N are acked while it waits for more.
  const done: Receipt[] = await Promise.all(receipts)
  sub.close()
  await loop
  t.same(got, upTo(N), 'every message, in order')
  t.equal(ackedBeforeBodyEnd, 0, 'no receipt settled while its loop body ran')
  t.ok(done.every(r => r.ok), 'every receipt acked')
  t.equal(sub.bound, false, 'close() ended the iteration and unbound')
})

topicSuite('consume() with an async handler: one at a time, in order, acked when the promise resolves', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const sub = env.bus(1).topic<number>(name).subscribe()
  const pub = env.bus(0).topic<number>(name)
  const got: number[] = []
  let running = 0
  let overlapped = 0
  const consuming = sub.consume(async d => {
    if (running++ > 0) overlapped++
    await sleep(env.cluster.node(1), 3)
    got.push(d.value)
    running--
  })
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  const receipts = await Promise.all(upTo(N).map(n => pub.publish(n)))
  t.same(got, upTo(N), 'every message, in order')
  t.equal(overlapped, 0, 'the next message waited for the handler')
  t.ok(receipts.every(r => r.ok))
  sub.close()
  await consuming
  t.pass('consume() resolved on close()')
})

topicSuite('mixing modes or subscribing twice at once throws SubscriptionModeError; re-subscribing after unsubscribe works', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const topic = env.bus(1).topic<number>(name)
  const pub = env.bus(0).topic<number>(name)

  // The subscriber sockets the publisher knows, so the test waits for the old one to leave before re-subscribing.
  const known = new Set<string>()
  const watching = pub.subscribers$().subscribe(e => {
    if (e.kind === 'joined') known.add(`${e.subscriber.node}:${e.subscriber.ref}`)
    if (e.kind === 'left') known.delete(`${e.subscriber.node}:${e.subscriber.ref}`)
  })
  const iterated = topic.subscribe()
  const it = iterated[Symbol.asyncIterator]()
  t.throws(() => iterated.subscribe(), SubscriptionModeError, 'Observable after iterator')
  t.throws(() => iterated.consume(() => undefined), SubscriptionModeError, 'consume after iterator')
  await it.return?.()
  await eventually(() => known.size === 0, () => 'the iterator\'s binding to be gone')

  const observed = topic.subscribe()
  const first = collect(observed)
  t.throws(() => observed.subscribe(), SubscriptionModeError, 'a second concurrent Observable subscriber')
  t.throws(() => observed[Symbol.asyncIterator](), SubscriptionModeError, 'iterator after Observable')
  await eventually(() => known.size === 1, () => 'the publisher to see the binding')
  t.equal((await pub.publish(1)).ok, true)
  first.stop()
  t.equal(observed.bound, false, 'unbound by unsubscribe')
  await eventually(() => known.size === 0, () => 'the publisher to see the first binding withdrawn')

  const again = collect(observed)
  t.equal(observed.bound, true, 're-subscribed')
  await eventually(() => known.size === 1, () => 'the publisher to see the new binding')
  const r = await pub.publish(2)
  t.equal(r.ok, true)
  t.same(first.values, [1])
  t.same(again.values, [2], 'the new binding gets what is published after it')
  again.stop()
  watching.unsubscribe()
})
