// How a stream ends when its peer goes without a clean end: the peer's socket
// closed (NO_PORT) or its node lost (NO_NODE: memory crash, udp node gone
// silent, tipc netns node cut off). The Observable errors with the
// contract's PeerLostError, and sends then fail with ConnectionEndedError.
import { ConnectionEndedError, PeerLostError } from '../../../core/transport-contract/errors.js'
import { until } from '../../conformance/wait.js'
import { topicSuite } from '../../pubsub/suite/harness.js'
import { streamPair, watchStream } from './stream-pair.js'

topicSuite('the peer closes abruptly: PeerLostError NO_PORT', { nodes: 2 }, async (t, env) => {
  const { client, server } = await streamPair<number>(t, env)
  const atClient = watchStream(client)
  await server.send(1)
  await until(() => (atClient.values.length === 1 ? true : undefined), 'the first value')
  server.close()
  await until(() => atClient.end, 'the client to see the loss')
  t.type(atClient.end!.err, PeerLostError)
  t.equal((atClient.end!.err as PeerLostError).reason, 'NO_PORT')
  t.same(atClient.values, [1], 'what came before the loss was delivered')
  await t.rejects(client.send(2), ConnectionEndedError)
})

topicSuite('the peer node goes down: PeerLostError NO_NODE', { nodes: 2, minNodes: 2, needsCrash: true }, async (t, env) => {
  const { client, server } = await streamPair<number>(t, env)
  const atClient = watchStream(client)
  await server.send(1)
  await until(() => (atClient.values.length === 1 ? true : undefined), 'the first value')
  await env.cluster.crash(1)
  await until(() => atClient.end, 'the client to see the loss', 60_000)
  t.type(atClient.end!.err, PeerLostError)
  t.equal((atClient.end!.err as PeerLostError).reason, 'NO_NODE')
})
