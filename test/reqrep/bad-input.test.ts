// Hostile and stray messages, on the memory transport through raw sockets:
// each is dropped and counted (Bus.requestStats(), Server.stats()), the
// handler does not run for it, and requests go on being answered. A repeat
// of a request is answered from the reply cache without running the handler
// again, and a request older than the cache remembers is a replay, refused.
import t from 'tap'
import { jsonCodec } from '../../codecs/index.js'
import { Bus } from '../../core/pubsub/bus.js'
import { topicHash64 } from '../../core/pubsub/topic-name.js'
import { RequestTimeoutError } from '../../core/reqrep/errors.js'
import { serviceType } from '../../core/reqrep/service-name.js'
import { decodeMessage, encodeMessage, type WireMessage } from '../../core/reqrep/wire.js'
import type { ReceivedMessage } from '../../core/transport-contract/index.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'

const TOPIC = 'orders.lookup'
const json = jsonCodec()
const enc = (v: unknown) => json.encode(v)

function rig() {
  const network = new MemoryNetwork({ seed: 7 })
  const serverBus = new Bus(network.open())
  const clientBus = new Bus(network.open())
  const raw = network.open().rdm()
  const got: ReceivedMessage[] = []
  raw.onMessages(batch => { for (const m of batch) got.push(m) })
  t.teardown(async () => {
    raw.close()
    await serverBus.close()
    await clientBus.close()
  })
  return { network, serverBus, clientBus, raw, got }
}

function request(id: number, token: bigint, over: Partial<WireMessage> = {}): WireMessage {
  return { kind: 'request', flags: 0, topicHash: topicHash64(TOPIC), token, id, sequence: 1, codecId: json.id, settledBelow: 0, ...over }
}

t.test('a server: a repeat is answered from the cache, a replay beyond it refused, bad messages counted', async t => {
  const { network, serverBus, raw, got } = rig()
  let runs = 0
  const server = serverBus.serve<number, number>(TOPIC, n => {
    runs++
    return n + 1
  }, { cache: { entries: 2 } })
  const dest = { type: serviceType(TOPIC), instance: 0 }
  // A copy that arrives while the handler runs is dropped (its reply is coming); one after, answered again.
  raw.send(dest, encodeMessage(request(1, 42n), enc(10)))
  raw.send(dest, encodeMessage(request(1, 42n, { sequence: 2 }), enc(10)))
  await network.settle()
  t.equal(server.stats().repeatsWhileRunning, 1, 'the copy that came with the first')
  raw.send(dest, encodeMessage(request(1, 42n, { sequence: 3 }), enc(10)))
  await network.settle()
  t.equal(runs, 1, 'the handler ran once for two copies of request 1')
  t.equal(got.length, 2, 'both copies were answered')
  t.same(got.map(m => { const d = decodeMessage(m.data); return d.ok ? [d.message.id, json.decode(d.payload)] : d.reason }), [[1, 11], [1, 11]])
  t.equal(server.stats().answeredFromCache, 1)

  // Requests 2 and 3 push request 1 out of a cache of 2: a repeat of it (still pending at its requester) runs again.
  raw.send(dest, encodeMessage(request(2, 42n, { settledBelow: 1 }), enc(20)))
  raw.send(dest, encodeMessage(request(3, 42n, { settledBelow: 1 }), enc(30)))
  await network.settle()
  raw.send(dest, encodeMessage(request(1, 42n, { sequence: 4, settledBelow: 1 }), enc(10)))
  await network.settle()
  t.equal(runs, 4, 'at most once while cached: past the cache, a repeat runs again')
  t.equal(got.length, 5)
  // Request 4 says every id below 4 is settled at its requester: a copy of request 2 is then a replay.
  raw.send(dest, encodeMessage(request(4, 42n, { settledBelow: 4 }), enc(40)))
  await network.settle()
  raw.send(dest, encodeMessage(request(2, 42n, { sequence: 2, settledBelow: 1 }), enc(20)))
  await network.settle()
  t.equal(runs, 5, 'request 2 did not run again')
  t.equal(server.stats().replayed, 1, 'its copy was refused as a replay')
  t.equal(got.length, 6, 'and not answered')

  // The same id under another token is another requester's request.
  raw.send(dest, encodeMessage(request(1, 43n), enc(5)))
  raw.send(dest, new Uint8Array([1, 2, 3]))
  raw.send(dest, encodeMessage(request(9, 42n, { topicHash: topicHash64('another topic') }), enc(1)))
  raw.send(dest, encodeMessage({ ...request(9, 42n), kind: 'reply', flags: 0 }, enc(1)))
  await network.settle()
  t.equal(runs, 6, 'another token runs')
  const s = server.stats()
  t.equal(s.badMessages, 2, 'garbage and a reply sent to a server')
  t.equal(s.wrongTopic, 1, 'a request of another topic (a type collision)')
  t.equal(serverBus.requestStats().servers.replayed, 1, 'the bus sums its servers')
})

t.test('a requester: forged, unknown, duplicate, oversized and malformed replies are dropped and counted', async t => {
  const { network, serverBus, clientBus, raw } = rig()
  serverBus.serve<number, string>(TOPIC, n => (n === 0 ? 'x'.repeat(500) : `ok ${n}`))
  t.equal(await clientBus.request(TOPIC, 1), 'ok 1')
  const requester = (clientBus as unknown as { reqrep: { requester: { address: { node: number; ref: number }; token: bigint } } }).reqrep.requester
  const reply = (id: number, token: bigint, over: Partial<WireMessage> = {}) =>
    encodeMessage({ kind: 'reply', flags: 0, topicHash: topicHash64(TOPIC), token, id, sequence: 0, codecId: json.id, settledBelow: 0, ...over }, enc('forged'))
  raw.send(requester.address, reply(1, requester.token)) // request 1 was answered already
  raw.send(requester.address, reply(1, requester.token ^ 1n)) // another requester's token
  raw.send(requester.address, reply(77, requester.token)) // an id never issued
  raw.send(requester.address, new Uint8Array(60)) // zeros: no magic
  await network.settle()
  const tooBig = await clientBus.request(TOPIC, 0, { maxReplyBytes: 100, timeoutMs: 2000 }).catch((e: unknown) => e)
  t.type(tooBig, RequestTimeoutError, 'the oversized reply was never delivered')
  t.equal(await clientBus.request(TOPIC, 2), 'ok 2', 'requests go on being answered')
  const s = clientBus.requestStats().requester
  t.ok(s.duplicateReplies >= 1, `the late copy (${s.duplicateReplies})`)
  t.equal(s.unknownReplies, 2, 'the forged token and the id never issued')
  t.ok(s.oversizedReplies >= 1, `the oversized reply, each copy (${s.oversizedReplies})`)
  t.equal(s.badMessages, 1, 'the message without magic')
  t.equal(s.failed['ERR_TIPC_REQUEST_TIMEOUT'], 1)
  t.equal(s.answered, 2)
})
