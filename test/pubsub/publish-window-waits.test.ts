// Publishes that find the in-flight window full wait in line for room, each
// once; and a publish refused for its aborted signal does not keep the room
// it never used. On the memory transport, through the Bus.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { MemoryNetwork } from '../../core/transports/memory/index.js'

async function pair(window: number) {
  const network = new MemoryNetwork()
  const pubBus = new Bus(network.open(), { window: { messages: window } })
  const subBus = new Bus(network.open())
  const name = 'window.waits'
  const got: number[] = []
  const sub = subBus.topic<{ n: number }>(name).subscribe().subscribe(d => got.push(d.value.n))
  const pub = pubBus.topic<{ n: number }>(name)
  await pub.whenSubscribed(1, { timeoutMs: 5000 })
  const close = async () => {
    sub.unsubscribe()
    await pubBus.close()
    await subBus.close()
  }
  return { pub, got, close }
}

t.test('a tight publish loop past the window: every publish beyond it waits once, in order, and all arrive', async t => {
  const { pub, got, close } = await pair(4)
  t.teardown(close)
  const receipts = await Promise.all(Array.from({ length: 200 }, (_, n) => pub.publish({ n })))
  t.ok(receipts.every(r => r.ok), 'every receipt ok')
  t.same(got, Array.from({ length: 200 }, (_, n) => n), 'each once, in order')
  // One stall per publish that found no room (196 = 200 - the window): not one per
  // wake-up of every waiting publish at each release.
  t.equal(pub.flow().stalls, 196, 'each waiting publish counted once')
  t.equal(pub.flow().inFlight, 0, 'nothing left in flight')
})

t.test('a publish with an aborted signal is refused and leaves the window as it was', async t => {
  const { pub, close } = await pair(4)
  t.teardown(close)
  const controller = new AbortController()
  controller.abort(new Error('not any more'))
  for (let i = 0; i < 8; i++) {
    await t.rejects(pub.publish({ n: i }, { signal: controller.signal }), { message: 'not any more' })
  }
  t.equal(pub.flow().inFlight, 0, 'no room kept by the refused publishes')
  const receipts = await Promise.all(Array.from({ length: 8 }, (_, n) => pub.publish({ n })))
  t.ok(receipts.every(r => r.ok), 'the whole window is still there for the next ones')
})
