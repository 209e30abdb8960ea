// Ending the consumer ends the connection: unsubscribing from a stream's
// Observable (or breaking out of its for-await loop) shuts it down, and the
// peer sees a clean end. Stopping to listen refuses new connects and leaves
// the streams already accepted alone.
import { until } from '../../conformance/wait.js'
import { topicSuite } from '../../pubsub/suite/harness.js'
import { streamPair, watchStream } from './stream-pair.js'

topicSuite('unsubscribing ends the connection: the peer completes', { nodes: 2 }, async (t, env) => {
  const { client, server } = await streamPair<number>(t, env)
  const atClient = watchStream(client)
  const got: number[] = []
  const sub = server.subscribe(v => got.push(v))
  await client.send(7)
  await until(() => (got.length === 1 ? true : undefined), 'the value')
  t.equal(server.ended, false)
  sub.unsubscribe()
  t.equal(server.ended, true, 'ended at the unsubscribe')
  await until(() => atClient.end, 'the client to see the end')
  t.same(atClient.end, { err: undefined }, 'the peer sees a clean end')
})

topicSuite('breaking out of for await ends the connection', { nodes: 2 }, async (t, env) => {
  const { client, server } = await streamPair<number>(t, env)
  const atServer = watchStream(server)
  for (let n = 0; n < 5; n++) await server.send(n)
  const got: number[] = []
  for await (const n of client) {
    got.push(n)
    if (n === 2) break
  }
  t.same(got, [0, 1, 2])
  t.equal(client.ended, true)
  await until(() => atServer.end, 'the server to see the end')
  t.same(atServer.end, { err: undefined })
})

topicSuite('stopping to listen leaves accepted streams alone', { nodes: 2 }, async (t, env) => {
  const { client, server, listening } = await streamPair<number>(t, env)
  listening.unsubscribe()
  const atServer = watchStream(server)
  await client.send(1)
  await until(() => (atServer.values.length === 1 ? true : undefined), 'a value after the listener closed')
  t.equal(atServer.end, undefined)
})
