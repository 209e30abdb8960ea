// The directory's wire format: queries and answers round-trip, a large
// answer splits into numbered parts within the message limit, an entry too
// large for one message keeps the subscribers that fit and counts the rest,
// and bytes that are not a directory message are refused with their reason.
import t from 'tap'
import { decodeDirectoryMessage, encodeAnswer, encodeQuery, DIRECTORY_HEADER_SIZE } from '../../core/pubsub/directory-wire.js'
import { sampleBus, sampleTopic } from './directory-samples.js'

t.test('a query round-trips, with and without a topic', async t => {
  t.same(decodeDirectoryMessage(encodeQuery(7)), { ok: true, message: { op: 'query', queryId: 7 } })
  t.same(decodeDirectoryMessage(encodeQuery(0xffffffff, 'orders.eu')), { ok: true, message: { op: 'query', queryId: 0xffffffff, topic: 'orders.eu' } })
  t.throws(() => encodeQuery(1, 'x'.repeat(256)), RangeError)
})

t.test('an answer round-trips in one part when it fits', async t => {
  const topics = [sampleTopic('a'), sampleTopic('b', 0)]
  const parts = encodeAnswer(9, sampleBus, topics, 66000)
  t.equal(parts.length, 1)
  t.same(decodeDirectoryMessage(parts[0]!), { ok: true, message: { op: 'answer', queryId: 9, part: 0, parts: 1, bus: sampleBus, topics } })
  const empty = encodeAnswer(9, sampleBus, [], 66000)
  t.same(decodeDirectoryMessage(empty[0]!), { ok: true, message: { op: 'answer', queryId: 9, part: 0, parts: 1, bus: sampleBus, topics: [] } })
})

t.test('many topics: numbered parts, each within the limit, in order', async t => {
  const topics = Array.from({ length: 2000 }, (_, i) => sampleTopic(`t.${i}`))
  const parts = encodeAnswer(3, sampleBus, topics, 66000)
  t.ok(parts.length > 10, `${parts.length} parts`)
  t.ok(parts.every(p => p.length <= 66000), 'each part fits')
  const decoded = parts.map(p => decodeDirectoryMessage(p))
  t.ok(decoded.every((d, i) => d.ok && d.message.op === 'answer' && d.message.part === i && d.message.parts === parts.length))
  t.same(decoded.flatMap(d => (d.ok && d.message.op === 'answer' ? d.message.topics.map(x => x.name) : [])), topics.map(x => x.name))
})

t.test('an entry too large for a message keeps part of its subscribers and counts the rest', async t => {
  const big = sampleTopic('crowded', 2000)
  const parts = encodeAnswer(1, sampleBus, [sampleTopic('before'), big, sampleTopic('after')], 66000)
  const topics = parts.flatMap(p => {
    const d = decodeDirectoryMessage(p)
    return d.ok && d.message.op === 'answer' ? d.message.topics : []
  })
  t.same(topics.map(x => x.name), ['before', 'crowded', 'after'])
  const crowded = topics[1]!
  t.ok(crowded.subscribers.length > 0 && crowded.subscribers.length < 2000, `${crowded.subscribers.length} kept`)
  t.equal(crowded.subscribers.length + crowded.subscribersOmitted, 2000, 'none lost without a count')
})

t.test('what is not a directory message is refused with its reason', async t => {
  const query = encodeQuery(5, 'abc')
  const answer = encodeAnswer(5, sampleBus, [sampleTopic('a')], 66000)[0]!
  const withByte = (bytes: Uint8Array, at: number, value: number) => { const c = Uint8Array.from(bytes); c[at] = value; return c }
  const withBody = (body: string) => {
    const b = new TextEncoder().encode(body)
    const c = new Uint8Array(DIRECTORY_HEADER_SIZE + b.length)
    c.set(answer.subarray(0, DIRECTORY_HEADER_SIZE))
    c.set(b, DIRECTORY_HEADER_SIZE)
    return c
  }
  const cases: Array<[string, Uint8Array, string]> = [
    ['short', query.subarray(0, 11), 'TRUNCATED'],
    ['an envelope', withByte(query, 0, 1), 'BAD_MAGIC'],
    ['version 2', withByte(query, 4, 2), 'BAD_VERSION'],
    ['op 3', withByte(query, 5, 3), 'BAD_OP'],
    ['filter length past the end', withByte(query, 6, 4), 'BAD_LENGTH'],
    ['filter not UTF-8', withByte(query, 12, 0xff), 'BAD_UTF8'],
    ['answer without its part numbers', answer.subarray(0, 14), 'TRUNCATED'],
    ['part 1 of 1', withByte(answer, 12, 1), 'BAD_FIELD'],
    ['0 parts', withByte(withByte(answer, 14, 0), 15, 0), 'BAD_FIELD'],
    ['reserved set', withByte(answer, 6, 1), 'BAD_FIELD'],
    ['body not JSON', withBody('{"bus":'), 'BAD_JSON'],
    ['body not UTF-8', withByte(answer, DIRECTORY_HEADER_SIZE, 0xc3), 'BAD_UTF8'],
    ['body an array', withBody('[]'), 'BAD_SHAPE'],
    ['bus without pid', withBody(JSON.stringify({ bus: { ...sampleBus, pid: undefined }, topics: [] })), 'BAD_SHAPE'],
    ['a topic of a negative type', withBody(JSON.stringify({ bus: sampleBus, topics: [{ ...sampleTopic('a'), type: -1 }] })), 'BAD_SHAPE'],
    ['a subscriber with lower > upper', withBody(JSON.stringify({ bus: sampleBus, topics: [{ ...sampleTopic('a'), subscribers: [{ ...sampleTopic('a').subscribers[0], lower: 5, upper: 4 }] }] })), 'BAD_SHAPE'],
    ['a stream that is not 16 hex digits', withBody(JSON.stringify({ bus: sampleBus, topics: [{ ...sampleTopic('a'), publisher: { socket: { node: 1, ref: 1 }, stream: 'xyz', since: 0 } }] })), 'BAD_SHAPE'],
    ['a counter that is not a count', withBody(JSON.stringify({ bus: sampleBus, topics: [{ ...sampleTopic('a'), stats: { ...sampleTopic('a').stats, returned: { OVERLOAD: 1.5 } } }] })), 'BAD_SHAPE'],
  ]
  for (const [what, bytes, reason] of cases) t.same(decodeDirectoryMessage(bytes), { ok: false, reason }, what)
})

t.test('fields a later version adds are ignored, not refused', async t => {
  const body = JSON.stringify({ bus: { ...sampleBus, host: 'h1' }, topics: [{ ...sampleTopic('a'), retention: '1h' }], more: true })
  const parts = encodeAnswer(5, sampleBus, [], 66000)
  const b = new TextEncoder().encode(body)
  const bytes = new Uint8Array(DIRECTORY_HEADER_SIZE + b.length)
  bytes.set(parts[0]!.subarray(0, DIRECTORY_HEADER_SIZE))
  bytes.set(b, DIRECTORY_HEADER_SIZE)
  t.strictSame(decodeDirectoryMessage(bytes), { ok: true, message: { op: "answer", queryId: 5, part: 0, parts: 1, bus: sampleBus, topics: [sampleTopic("a")] } })
})
