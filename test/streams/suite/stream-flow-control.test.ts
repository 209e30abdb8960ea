// Backpressure end to end: a reader that pulls slowly (for await, a small
// readAhead) pauses the connection, so the writer's sends wait for the
// window (counted) instead of piling up, and every value arrives once, in order.
import { setTimeout as sleep } from 'node:timers/promises'
import { topicSuite } from '../../pubsub/suite/harness.js'
import { streamPair } from './stream-pair.js'

topicSuite('a slow pulling reader holds the writer back; nothing lost', { nodes: 2 }, async (t, env) => {
  const { client, server } = await streamPair<number>(t, env, { server: { readAhead: 4 } })
  const total = 2000
  async function* numbers() {
    for (let n = 0; n < total; n++) yield n
  }
  const sending = client.sendAll(numbers())
  const got: number[] = []
  for await (const n of server) {
    got.push(n)
    if (n % 200 === 0) await sleep(20)
    if (got.length === total) break
  }
  t.equal(await sending, total, 'sendAll resolved with the count')
  t.ok(client.stats().windowWaits > 0, `the writer waited for the window ${client.stats().windowWaits} times`)
  t.same(got, Array.from({ length: total }, (_, n) => n), 'every value once, in order')
})
