// A server that closes with requests unread hands them back (NO_PORT): each
// fails with RequestReturnedError naming the reason, or, when the request
// allows retries, is sent again and answered by another server.
// To have a request sit unread in a server's socket, the test pauses that
// socket (an internal: no program can), and proves the request arrived the
// way the conformance suite does: a probe sent after it, from the same
// socket to the same node, arrived (links keep order).
import type { Bus } from '../../../core/pubsub/bus.js'
import { RequestReturnedError } from '../../../core/reqrep/errors.js'
import type { Server } from '../../../core/reqrep/server.js'
import { serviceType } from '../../../core/reqrep/service-name.js'
import type { RdmSocket } from '../../../core/transport-contract/index.js'
import { bindingsVisible, text } from '../../conformance/wait.js'
import { topicSuite, type TopicEnv } from '../../pubsub/suite/harness.js'

const ALL = { lower: 0, upper: 0xffffffff }
const socketOf = (server: Server): RdmSocket => (server as unknown as { socket: RdmSocket }).socket
const requesterSocketOf = (bus: Bus): RdmSocket => (bus as unknown as { reqrep: { requester: { socket: RdmSocket } } }).reqrep.requester.socket

/**
 * Send a request to a paused server on node 1, and close that server the
 * moment a probe sent after the request arrives on node 1: the request sits
 * unread in its socket then. Closing from the probe's handler, not after a
 * wait, matters on memory: its virtual clock jumps ahead while nothing
 * happens, which would run the request to its deadline first.
 */
function requestLeftUnread<T>(env: TopicEnv, server: Server, send: () => Promise<T>, beforeClose: () => void = () => {}): Promise<T> {
  socketOf(server).pause()
  const pending = send()
  const probe = env.cluster.node(1).rdm()
  probe.onMessages(() => {
    beforeClose()
    server.close()
    probe.close()
  })
  requesterSocketOf(env.bus(0)).send(probe.address, text('probe'))
  return pending
}

topicSuite('a server that closes with the request unread: RequestReturnedError (NO_PORT)', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  const server = env.bus(1).serve<string, string>(topic, v => v)
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  const err = await requestLeftUnread(env, server, () => env.bus(0).request(topic, 'lost', { timeoutMs: 600_000 }).catch((e: unknown) => e)) as RequestReturnedError
  t.type(err, RequestReturnedError)
  t.equal(err.code, 'ERR_TIPC_REQUEST_RETURNED')
  t.equal(err.reason, 'NO_PORT')
  t.same(err.server, server.address, 'the server that returned it')
  t.equal(server.stats().handled, 0, 'its handler never ran')
})

topicSuite('with retries: a returned request is answered by another server', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  const first = env.bus(1).serve<string, string>(topic, v => `first: ${v}`)
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  // The second server is on the requester's node: its binding is known there at once.
  const reply = await requestLeftUnread(env, first, () => env.bus(0).request<string>(topic, 'x', { timeoutMs: 600_000, retries: 1 }),
    () => env.bus(0).serve<string, string>(topic, v => `second: ${v}`))
  t.equal(reply, 'second: x', 'the retry went to the server still there')
  t.equal(env.bus(0).requestStats().requester.resent, 1)
})
