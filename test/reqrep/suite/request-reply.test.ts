// Request/reply through the public Bus API on every transport: a request
// from one node gets its reply from a server on another, as a Promise and as
// an Observable; a handler may answer with a value, a Promise or an
// Observable (its first value); a handler's failure comes back as a typed
// RemoteHandlerError; request and reply may use different codecs; and a
// subscriber and a server of the same topic never see each other's messages.
import { firstValueFrom, Observable, of } from 'rxjs'
import { rawCodec } from '../../../codecs/index.js'
import { RemoteHandlerError } from '../../../core/reqrep/errors.js'
import { serviceType } from '../../../core/reqrep/service-name.js'
import { bindingsVisible } from '../../conformance/wait.js'
import { collect } from '../../pubsub/suite/collect.js'
import { topicSuite } from '../../pubsub/suite/harness.js'

const ALL = { lower: 0, upper: 0xffffffff }

topicSuite('a request gets its reply from a server on another node (Promise and Observable forms)', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  env.bus(1).serve<{ n: number }, { twice: number }>(topic, req => ({ twice: req.n * 2 }))
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  const client = env.bus(0)
  t.same(await client.request(topic, { n: 21 }), { twice: 42 }, 'the Promise form')
  t.same(await firstValueFrom(client.request$(topic, { n: 5 })), { twice: 10 }, 'the Observable form')
  const replies = await Promise.all(Array.from({ length: 50 }, (_, n) => client.request<{ twice: number }>(topic, { n })))
  t.same(replies.map(r => r.twice), Array.from({ length: 50 }, (_, n) => n * 2), '50 concurrent requests, each its own reply')
  const stats = client.requestStats().requester
  t.equal(stats.answered, 52)
  // A request unanswered for resend.initialMs (250 ms) is sent again, and the
  // server answers the repeat from its cache: on a slow host (the kernel
  // guest) that is a second reply, dropped as a duplicate. Only a resend
  // explains one; nothing else may be dropped.
  t.ok(stats.duplicateReplies <= stats.resent, `a duplicate reply only for a resend (${stats.duplicateReplies} duplicates, ${stats.resent} resends)`)
  t.equal(stats.unknownReplies + stats.badMessages + stats.wrongTopic + stats.oversizedReplies, 0, 'nothing else dropped')
  t.equal(env.bus(1).requestStats().servers.handled, 52, 'the handler ran once per request')
})

topicSuite('a handler answers with a Promise or the first value of an Observable; its failure is a RemoteHandlerError', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  // No wall-clock timers in handlers: the memory transport's virtual clock would run past them.
  let tornDown = false
  let secondValueAsked = false
  env.bus(1).serve<string, string>(topic, req => {
    if (req === 'promise') return Promise.resolve().then(() => 'later')
    if (req === 'observable') {
      return new Observable<string>(subscriber => {
        subscriber.next('tick 0')
        void Promise.resolve().then(() => {
          if (!subscriber.closed) secondValueAsked = true
          subscriber.next('tick 1')
        })
        return () => { tornDown = true }
      })
    }
    if (req === 'empty') return of<string>()
    if (req === 'throw') throw Object.assign(new Error('no such order'), { code: 'E_NO_ORDER' })
    if (req === 'reject') return Promise.reject(new Error('database down'))
    return req
  })
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  const client = env.bus(0)
  t.equal(await client.request(topic, 'promise'), 'later')
  t.equal(await client.request(topic, 'observable'), 'tick 0', 'the first value is the reply')
  t.ok(tornDown && !secondValueAsked, 'the Observable was unsubscribed after its first value')
  const thrown = await client.request(topic, 'throw').catch((e: unknown) => e) as RemoteHandlerError
  t.type(thrown, RemoteHandlerError)
  t.equal(thrown.code, 'ERR_TIPC_REMOTE_HANDLER')
  t.equal(thrown.remoteCode, 'E_NO_ORDER', 'the handler error\'s own code')
  t.equal(thrown.remoteMessage, 'no such order')
  const rejected = await client.request(topic, 'reject').catch((e: unknown) => e) as RemoteHandlerError
  t.equal(rejected.remoteCode, 'ERR_TIPC_HANDLER', 'an error without a code')
  t.equal(rejected.remoteMessage, 'database down')
  const empty = await client.request(topic, 'empty').catch((e: unknown) => e) as RemoteHandlerError
  t.equal(empty.remoteCode, 'ERR_TIPC_NO_REPLY', 'an Observable that completes empty')
  t.equal(env.bus(1).requestStats().servers.handlerErrors, 3)
})

topicSuite('request and reply in different codecs; a keyed request goes to the server of its key range', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  const half = 0x80000000
  const low = env.bus(1).serve<Uint8Array, { side: string; bytes: number }>(topic, req => ({ side: 'low', bytes: req.length }), { codec: rawCodec(), keyRange: { lower: 0, upper: half - 1 } })
  const high = env.bus(1).serve<Uint8Array, { side: string; bytes: number }>(topic, req => ({ side: 'high', bytes: req.length }), { codec: rawCodec(), keyRange: { lower: half, upper: 0xffffffff } })
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 2)
  const { keyInstance, keyBytes } = await import('../../../core/pubsub/topic-name.js')
  const keys = Array.from({ length: 20 }, (_, i) => `customer-${i}`)
  for (const key of keys) {
    const reply = await env.bus(0).request<{ side: string; bytes: number }, Uint8Array>(topic, new Uint8Array(3), { key, codec: rawCodec() })
    t.equal(reply.side, keyInstance(keyBytes(key)) < half ? 'low' : 'high', `${key} went to its range's server`)
    t.equal(reply.bytes, 3)
  }
  t.ok(low.stats().handled > 0 && high.stats().handled > 0, 'both servers served their part of the key space')
})

topicSuite('a subscriber and a server of the same topic never see each other\'s messages', { nodes: 2 }, async (t, env) => {
  const topic = env.topicName()
  const server = env.bus(1).serve<string, string>(topic, req => `re: ${req}`)
  const sub = collect(env.bus(1).topic<string>(topic).subscribe())
  const pub = env.bus(0).topic<string>(topic)
  await bindingsVisible(env.cluster.node(0), { type: serviceType(topic), ...ALL }, 1)
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })
  const receipt = await pub.publish('event', { ack: 'all' })
  t.equal(receipt.ok, true, 'the publish reached its subscriber')
  t.equal(await env.bus(0).request(topic, 'question'), 're: question')
  t.same(sub.values, ['event'], 'the subscriber got the publish only')
  t.equal(server.stats().received, 1, 'the server got the request only')
  t.equal(server.stats().badMessages, 0)
  t.equal(env.bus(1).stats(topic).badEnvelopes ?? 0, 0)
  sub.stop()
})
