// Streams on every transport: values go both ways in order, a clean end
// completes the other side's Observable after every value sent before it,
// and a connect to a name nobody listens on fails at once.
import { NoRouteError } from '../../../core/transport-contract/errors.js'
import { until } from '../../conformance/wait.js'
import { topicSuite } from '../../pubsub/suite/harness.js'
import { streamPair, watchStream } from './stream-pair.js'

topicSuite('values both ways in order, then the end completes the peer', { nodes: 2 }, async (t, env) => {
  const { client, server } = await streamPair<{ n: number }>(t, env)
  const atServer = watchStream(server)
  const atClient = watchStream(client)
  for (let n = 0; n < 100; n++) await client.send({ n })
  await server.send({ n: -1 })
  await until(() => (atClient.values.length === 1 ? true : undefined), 'the reply')
  client.end()
  await until(() => atServer.end, 'the server to see the end')
  t.same(atServer.values.map(v => v.n), Array.from({ length: 100 }, (_, n) => n), 'every value, once, in order, before the end')
  t.equal(atServer.end!.err, undefined, 'a clean end completes')
  t.same(atClient.values, [{ n: -1 }])
  t.same(atClient.end, { err: undefined }, 'ending here completes this side too')
  t.equal(await server.whenEnded(), undefined)
  t.equal(client.stats().sent, 100)
  t.equal(server.stats().received, 100)
})

topicSuite('connect to a name nobody listens on: NoRouteError at once', {}, async (t, env) => {
  await t.rejects(env.bus(0).connect(env.topicName()), NoRouteError)
})
