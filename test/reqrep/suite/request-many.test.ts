// Scatter-gather: requestMany multicasts to every server of the range and
// gathers replies until its strategy stops it (timer, count, stall,
// sentinel); a keyed requestMany reaches only the servers of its key.
import { firstValueFrom, from, toArray } from 'rxjs'
import { SENTINEL } from '../../../core/reqrep/handler-result.js'
import type { ManyReply } from '../../../core/reqrep/many-request.js'
import type { RequestManyOptions } from '../../../core/reqrep/options.js'
import { serviceType } from '../../../core/reqrep/service-name.js'
import { bindingsVisible } from '../../conformance/wait.js'
import { topicSuite, type TopicEnv } from '../../pubsub/suite/harness.js'

const ALL = { lower: 0, upper: 0xffffffff }
const gather = <T>(env: TopicEnv, topic: string, options: RequestManyOptions<string, T>): Promise<Array<ManyReply<T>>> =>
  firstValueFrom(env.bus(0).requestMany<T>(topic, 'who?', options).pipe(toArray()))

async function threeServers(env: TopicEnv, topic: string, handler: (name: string) => unknown): Promise<void> {
  for (const [i, name] of [[1, 'a'], [1, 'b'], [0, 'c']] as const) env.bus(i).serve(topic, () => handler(name))
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 3)
}

topicSuite('timer and count: every server answers; count stops at N', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  await threeServers(env, topic, name => name)
  const all = await gather<string>(env, topic, { strategy: 'timer', maxWaitMs: 1500 })
  t.same(all.map(r => r.value).sort(), ['a', 'b', 'c'], 'timer: one reply from each server')
  t.equal(new Set(all.map(r => `${r.server.node}:${r.server.ref}`)).size, 3, 'each names its server')
  const two = await gather<string>(env, topic, { strategy: 'count', maxMessages: 2, maxWaitMs: 60_000 })
  t.equal(two.length, 2, 'count: stopped after 2 (long before maxWaitMs)')
})

topicSuite('stall: stops when replies stop coming after the first', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  await threeServers(env, topic, name => name)
  const replies = await gather<string>(env, topic, { strategy: 'stall', stallMs: 1000, maxWaitMs: 60_000 })
  t.same(replies.map(r => r.value).sort(), ['a', 'b', 'c'], 'every server answered within the stall')
})

topicSuite('sentinel: a server streams replies and ends with SENTINEL', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  env.bus(1).serve(topic, () => from(['part 1', 'part 2', 'part 3', SENTINEL]))
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  const replies = await gather<string>(env, topic, { strategy: 'sentinel', maxWaitMs: 60_000 })
  t.same(replies.map(r => r.value), ['part 1', 'part 2', 'part 3'], 'every value of the Observable, in order; the sentinel ends it')
})

topicSuite('a keyed requestMany reaches only the servers whose range covers the key', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  const { keyInstance, keyBytes } = await import('../../../core/pubsub/topic-name.js')
  const instance = keyInstance(keyBytes('k'))
  env.bus(1).serve(topic, () => 'covers', { keyRange: { lower: instance, upper: instance } })
  env.bus(1).serve(topic, () => 'all')
  env.bus(1).serve(topic, () => 'elsewhere', { keyRange: { lower: instance === 0 ? 1 : 0, upper: instance === 0 ? 1 : 0 } })
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 3)
  const replies = await gather<string>(env, topic, { key: 'k', maxWaitMs: 1500 })
  t.same(replies.map(r => r.value).sort(), ['all', 'covers'])
})
