// A server runs at most `concurrency` handlers at once (the rest wait in
// its queue, and are all answered), and drain() stops taking requests,
// answers the one it is running, then closes: a request after it finds
// nobody (NoRespondersError).
import { NoRespondersError } from '../../../core/reqrep/errors.js'
import type { Server } from '../../../core/reqrep/server.js'
import { serviceType } from '../../../core/reqrep/service-name.js'
import { bindingsVisible } from '../../conformance/wait.js'
import { topicSuite } from '../../pubsub/suite/harness.js'

const ALL = { lower: 0, upper: 0xffffffff }
// Handlers finish after a few microtasks, not on a timer: the memory transport's virtual clock would run past a timer.
const soon = async <T>(value: T): Promise<T> => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
  return value
}

topicSuite('at most `concurrency` handlers run at once; every request is answered', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  let running = 0
  let most = 0
  const server = env.bus(1).serve<number, number>(topic, async n => {
    most = Math.max(most, ++running)
    const reply = await soon(n * 10)
    running--
    return reply
  }, { concurrency: 2 })
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  const replies = await Promise.all(Array.from({ length: 12 }, (_, n) => env.bus(0).request<number>(topic, n)))
  t.same(replies, Array.from({ length: 12 }, (_, n) => n * 10))
  t.ok(most >= 1 && most <= 2, `at most 2 at once (${most})`)
  t.equal(server.stats().handled, 12, 'each handled once')
})

topicSuite('drain: the running request is answered, then the server is gone', { nodes: 1 }, async (t, env) => {
  const bus = env.bus(0)
  const topic = env.topicName()
  let drained: Promise<void> | undefined
  const server: Server = bus.serve<string, string>(topic, v => {
    drained = server.drain()
    t.equal(server.closed, true, 'closed to new requests as soon as drain() is called')
    return soon(`done: ${v}`)
  })
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  t.equal(await bus.request(topic, 'last'), 'done: last', 'the running request got its reply')
  await drained
  await t.rejects(bus.request(topic, 'more', { timeoutMs: 600_000 }), NoRespondersError, 'nothing serves it after the drain')
  t.equal(bus.requestStats().servers.handled, 1, 'counted after the server closed')
})
