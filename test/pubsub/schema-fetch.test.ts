// SchemaFetcher: a known fingerprint needs nothing; an unknown one is asked of
// the publisher once however many messages wait on it, asked again at half
// the timeout, and answered, refused or timed out for all of them together.
import t from 'tap'
import { CodecError, JSON_CODEC_ID, RAW_CODEC_ID, SchemaRegistry, describeSchema } from '../../codecs/index.js'
import { SchemaFetchOverflowError, SchemaFetchTimeoutError } from '../../core/pubsub/errors.js'
import { DEFAULT_SCHEMA_FETCH_TIMEOUT_MS } from '../../core/pubsub/schema-fetch.js'
import { PUBLISHER, fetchRig, flush, outcome } from './schema-fetch-rig.js'

const ping = describeSchema({ type: 'record', name: 'Ping', fields: [{ name: 'seq', type: 'long' }] })
const pong = describeSchema({ type: 'record', name: 'Pong', fields: [{ name: 'seq', type: 'int' }] })

t.test('a schema already in the registry is known: nothing is asked', async (t) => {
  const { fetcher, registry, requests, clock } = fetchRig()
  registry.add(ping)
  t.equal(fetcher.resolve(ping.id, PUBLISHER), 'known')
  t.same(requests, [])
  t.equal(clock.pending, 0)
  t.equal(fetcher.timeoutMs, DEFAULT_SCHEMA_FETCH_TIMEOUT_MS)
  t.equal(fetcher.maxPending, 1024)
  t.equal(fetcher.maxConcurrent, 16)
})

t.test('many messages waiting on one fingerprint share one request and one answer', async (t) => {
  const { fetcher, registry, requests, clock } = fetchRig()
  const waits = [1, 2, 3].map(() => outcome(fetcher.resolve(ping.id, PUBLISHER)))
  t.same(requests, [{ publisher: PUBLISHER, hex: ping.hex }])
  t.equal(fetcher.pending, 3)
  t.equal(fetcher.inFlight, 1)
  t.equal(fetcher.answer(PUBLISHER, ping.id, ping.canonical), true)
  await flush()
  t.same(waits.map((w) => w.settled), ['fulfilled', 'fulfilled', 'fulfilled'])
  t.ok(registry.has(ping.id))
  t.equal(fetcher.pending, 0)
  t.equal(clock.pending, 0, 'the retry timer is cancelled')
  t.equal(fetcher.resolve(ping.id, PUBLISHER), 'known')
  t.equal(fetcher.answer(PUBLISHER, ping.id, ping.canonical), false, 'a second (late) answer is not expected any more')
})

t.test('unanswered, the request is sent once more at half the timeout, then it times out', async (t) => {
  const { fetcher, requests, clock } = fetchRig({ timeoutMs: 1000 })
  const w = outcome(fetcher.resolve(ping.id, PUBLISHER))
  clock.advance(499)
  t.equal(requests.length, 1)
  clock.advance(1)
  t.same(requests, [{ publisher: PUBLISHER, hex: ping.hex }, { publisher: PUBLISHER, hex: ping.hex }], 'retried to the same publisher')
  clock.advance(499)
  await flush()
  t.equal(w.settled, undefined)
  clock.advance(1)
  await flush()
  t.equal(w.settled, 'rejected')
  const err = w.error as SchemaFetchTimeoutError
  t.ok(err instanceof SchemaFetchTimeoutError)
  t.equal(err.code, 'ERR_TIPC_SCHEMA_FETCH_TIMEOUT')
  t.equal(err.schema, ping.hex)
  t.same(err.publisher, PUBLISHER)
  t.same(err.address, PUBLISHER)
  t.equal(err.timeoutMs, 1000)
  t.match(err.message, `schema ${ping.hex} was not received from`)
  t.equal(requests.length, 2, 'no third request')
  t.equal(fetcher.answer(PUBLISHER, ping.id, ping.canonical), false, 'an answer after the timeout is ignored')
})

t.test('the retry is answered: the waiters are released', async (t) => {
  const { fetcher, clock } = fetchRig({ timeoutMs: 1000 })
  const w = outcome(fetcher.resolve(ping.id, PUBLISHER))
  clock.advance(700)
  fetcher.answer(PUBLISHER, ping.id, ping.canonical)
  await flush()
  t.equal(w.settled, 'fulfilled')
  t.equal(clock.pending, 0)
})

t.test('an answer under another fingerprint is refused with a CodecError and not registered', async (t) => {
  const { fetcher, registry } = fetchRig()
  const waits = [outcome(fetcher.resolve(ping.id, PUBLISHER)), outcome(fetcher.resolve(ping.id, PUBLISHER))]
  t.equal(fetcher.answer(PUBLISHER, ping.id, pong.canonical), true)
  await flush()
  for (const w of waits) {
    t.equal(w.settled, 'rejected')
    t.ok(w.error instanceof CodecError)
    t.equal((w.error as CodecError).code, 'INVALID_SCHEMA')
  }
  t.notOk(registry.has(ping.id))
  t.notOk(registry.has(pong.id))
  const bad = outcome(fetcher.resolve(ping.id, PUBLISHER))
  fetcher.answer(PUBLISHER, ping.id, '{"type": "record", "name": ')
  await flush()
  t.equal((bad.error as CodecError).code, 'INVALID_SCHEMA', 'text that does not parse: the same')
})

t.test('a publisher that does not know the schema: UNKNOWN_SCHEMA at once', async (t) => {
  const { fetcher, clock } = fetchRig()
  const w = outcome(fetcher.resolve(ping.id, PUBLISHER))
  fetcher.answer(PUBLISHER, ping.id, undefined)
  await flush()
  t.equal((w.error as CodecError).code, 'UNKNOWN_SCHEMA')
  t.match((w.error as CodecError).message, ping.hex)
  t.equal(clock.pending, 0)
})

t.test('answers nobody asked for are ignored: a peer cannot fill the registry', async (t) => {
  const { fetcher, registry } = fetchRig()
  t.equal(fetcher.answer(PUBLISHER, ping.id, ping.canonical), false)
  t.equal(registry.size, 0)
})

t.test('a full registry refuses the answer: LIMIT_EXCEEDED for the waiters', async (t) => {
  const { fetcher, registry } = fetchRig({}, new SchemaRegistry({ registryLimits: { maxEntries: 1 } }))
  registry.add(pong)
  const w = outcome(fetcher.resolve(ping.id, PUBLISHER))
  fetcher.answer(PUBLISHER, ping.id, ping.canonical)
  await flush()
  t.equal((w.error as CodecError).code, 'LIMIT_EXCEEDED')
})

t.test('json and raw ids name no schema: refused without asking', async (t) => {
  const { fetcher, requests } = fetchRig()
  const j = outcome(fetcher.resolve(JSON_CODEC_ID, PUBLISHER))
  const r = outcome(fetcher.resolve(RAW_CODEC_ID, PUBLISHER))
  await flush()
  t.equal((j.error as CodecError).code, 'UNKNOWN_SCHEMA')
  t.match((j.error as CodecError).message, 'json codec')
  t.match((r.error as CodecError).message, 'raw codec')
  t.same(requests, [])
  t.equal(fetcher.pending, 0)
})

t.test('a request that throws fails the fetch with that error', async (t) => {
  const rig = fetchRig({ timeoutMs: 1000 })
  const unreachable = new Error('no route')
  rig.failRequests = { error: unreachable }
  const w = outcome(rig.fetcher.resolve(ping.id, PUBLISHER))
  await flush()
  t.equal(w.error, unreachable)
  t.equal(rig.fetcher.pending, 0)
  t.equal(rig.clock.pending, 0)
  rig.failRequests = undefined
  const again = outcome(rig.fetcher.resolve(ping.id, PUBLISHER))
  t.equal(rig.requests.length, 1, 'a later message tries again')
  rig.failRequests = { error: unreachable }
  rig.clock.advance(500)
  await flush()
  t.equal(again.error, unreachable, 'the retry throwing fails it too')
})

t.test('at most maxPending messages wait; the next one is refused with SchemaFetchOverflowError', async (t) => {
  const { fetcher } = fetchRig({ maxPending: 2 })
  const a = outcome(fetcher.resolve(ping.id, PUBLISHER))
  const b = outcome(fetcher.resolve(pong.id, PUBLISHER))
  const c = outcome(fetcher.resolve(ping.id, PUBLISHER))
  await flush()
  t.equal(c.settled, 'rejected')
  const err = c.error as SchemaFetchOverflowError
  t.ok(err instanceof SchemaFetchOverflowError)
  t.equal(err.code, 'ERR_TIPC_SCHEMA_FETCH_OVERFLOW')
  t.equal(err.maxPending, 2)
  t.equal(fetcher.pending, 2)
  fetcher.answer(PUBLISHER, ping.id, ping.canonical)
  await flush()
  t.equal(a.settled, 'fulfilled')
  t.equal(b.settled, undefined)
  t.equal(fetcher.pending, 1, 'room again')
})

t.test('beyond maxConcurrent fingerprints the fetches queue and start as slots free', async (t) => {
  const { fetcher, requests, registry, clock } = fetchRig({ maxConcurrent: 1, timeoutMs: 1000 })
  const third = describeSchema('string')
  const a = outcome(fetcher.resolve(ping.id, PUBLISHER))
  const b = outcome(fetcher.resolve(pong.id, PUBLISHER))
  const b2 = outcome(fetcher.resolve(pong.id, PUBLISHER))
  const c = outcome(fetcher.resolve(third.id, PUBLISHER))
  t.same(requests.map((r) => r.hex), [ping.hex], 'one in flight')
  t.equal(fetcher.answer(PUBLISHER, pong.id, pong.canonical), false, 'a queued fingerprint was not asked yet')
  clock.advance(1000)
  await flush()
  t.ok(a.error instanceof SchemaFetchTimeoutError)
  t.same(requests.map((r) => r.hex), [ping.hex, ping.hex, pong.hex], 'the next starts when the first ends')
  // Meanwhile the third schema came into the registry by another path.
  registry.add(third)
  fetcher.answer(PUBLISHER, pong.id, pong.canonical)
  await flush()
  t.same([b.settled, b2.settled, c.settled], ['fulfilled', 'fulfilled', 'fulfilled'])
  t.same(requests.map((r) => r.hex), [ping.hex, ping.hex, pong.hex], 'no request for a schema already registered')
  t.equal(clock.pending, 0)
})

t.test('close() rejects every waiting message with its error, and later fetches too', async (t) => {
  const { fetcher, clock, registry } = fetchRig({ maxConcurrent: 1 })
  const closed = new Error('bus closed')
  const a = outcome(fetcher.resolve(ping.id, PUBLISHER))
  const b = outcome(fetcher.resolve(pong.id, PUBLISHER))
  fetcher.close(closed)
  fetcher.close(new Error('twice'))
  const later = outcome(fetcher.resolve(ping.id, PUBLISHER))
  await flush()
  t.same([a.error, b.error, later.error], [closed, closed, closed])
  t.equal(clock.pending, 0)
  t.equal(fetcher.pending, 0)
  registry.add(ping)
  t.equal(fetcher.resolve(ping.id, PUBLISHER), 'known', 'what is registered stays known')
})

t.test('options must be positive integers', async (t) => {
  for (const key of ['timeoutMs', 'maxPending', 'maxConcurrent'] as const) {
    t.throws(() => fetchRig({ [key]: 0 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  }
})

t.test('an answer from another socket than the one asked is not taken', async (t) => {
  const { fetcher, registry } = fetchRig()
  const wait = outcome(fetcher.resolve(ping.id, PUBLISHER))
  t.equal(fetcher.answer({ node: PUBLISHER.node, ref: PUBLISHER.ref + 1 }, ping.id, undefined), false, 'a forged "not found" from a neighbour')
  t.equal(fetcher.answer({ node: PUBLISHER.node + 1, ref: PUBLISHER.ref }, ping.id, ping.canonical), false, 'the right schema, the wrong node')
  await flush()
  t.equal(wait.settled, undefined, 'the message still waits')
  t.notOk(registry.has(ping.id))
  t.equal(fetcher.answer(PUBLISHER, ping.id, ping.canonical), true, 'the publisher\'s own answer is')
  await flush()
  t.equal(wait.settled, 'fulfilled')
})
