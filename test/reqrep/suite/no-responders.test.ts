// Nothing serves the topic: a request fails at once with NoRespondersError
// (the transport refuses the send: TIPC's EHOSTUNREACH), never after its
// timeout; nothing is resent. The same once the last server closed, for a
// key no server's range covers, for a group nobody serves, and for
// requestMany.
import { firstValueFrom, toArray } from 'rxjs'
import { NoRespondersError } from '../../../core/reqrep/errors.js'
import { serviceType } from '../../../core/reqrep/service-name.js'
import { NoRouteError } from '../../../core/transport-contract/errors.js'
import { bindingsVisible, until, watch } from '../../conformance/wait.js'
import type { TopicEnv } from '../../pubsub/suite/harness.js'
import { topicSuite } from '../../pubsub/suite/harness.js'

// Long enough that a test waiting for it would fail the file's own time limit: the errors come from the send.
const LONG = { timeoutMs: 600_000 }

topicSuite('no server: NoRespondersError at once, nothing resent', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  const client = env.bus(0)
  const err = await client.request(topic, 'anyone?', LONG).catch((e: unknown) => e) as NoRespondersError
  t.type(err, NoRespondersError)
  t.equal(err.code, 'ERR_TIPC_NO_RESPONDERS')
  t.equal(err.topic, topic)
  t.type(err.cause, NoRouteError, 'the transport\'s refusal is the cause')
  const many = await firstValueFrom(client.requestMany(topic, 'anyone?', { maxWaitMs: 600_000 }).pipe(toArray())).catch((e: unknown) => e)
  t.type(many, NoRespondersError, 'requestMany too')
  const stats = client.requestStats().requester
  t.equal(stats.resent, 0, 'nothing was resent')
  t.equal(stats.failed['ERR_TIPC_NO_RESPONDERS'], 2)
})

topicSuite('after the last server closed; for an uncovered key; for another group', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  const type = serviceType(topic)
  const server = env.bus(1).serve<string, string>(topic, v => v, { keyRange: { lower: 0, upper: 0 } })
  await bindingsVisible(env.cluster.node(0), { type, lower: 0, upper: 0xffffffff }, 1)
  const client = env.bus(0)
  t.equal(await client.request(topic, 'hello', LONG), 'hello', 'an unkeyed request goes to instance 0, which it serves')
  await t.rejects(client.request(topic, 'x', { ...LONG, key: 'some-key' }), NoRespondersError, 'a key outside its range')
  await t.rejects(client.request(topic, 'x', { ...LONG, group: 'other' }), NoRespondersError, 'a group nobody serves')
  server.close()
  await bindingsGone(env, type)
  await t.rejects(client.request(topic, 'x', LONG), NoRespondersError, 'the remote server closed')
  // A server on the requester's node: its binding is gone there the moment it closes.
  const local = client.serve<string, string>(topic, v => v)
  t.equal(await client.request(topic, 'again', LONG), 'again')
  local.close()
  await t.rejects(client.request(topic, 'x', LONG), NoRespondersError, 'the last server closed')
})

/** Wait until node 0 knows no binding of `type` (the remote server's withdrawal has spread). */
async function bindingsGone(env: TopicEnv, type: number): Promise<void> {
  const { events, subscription } = watch(env.cluster.node(0), { type, lower: 0, upper: 0xffffffff })
  try {
    const live = () => {
      const up = new Map<string, number>()
      for (const e of events) {
        const k = `${e.socket.node}:${e.socket.ref}:${e.range.lower}`
        up.set(k, (up.get(k) ?? 0) + (e.kind === 'published' ? 1 : -1))
      }
      return [...up.values()].filter(n => n > 0).length
    }
    await until(() => (live() === 0 ? true : undefined), `the bindings of ${type} withdrawn`)
  } finally {
    subscription.cancel()
  }
}
