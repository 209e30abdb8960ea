// Receiving on a stream (on a fake connection): one consumer only, an async
// iterator that pauses the connection at readAhead and resumes once half is
// taken, returned messages counted and never delivered.
import t from 'tap'
import { jsonCodec } from '../../codecs/index.js'
import { PeerLostError } from '../../core/transport-contract/errors.js'
import { StreamConsumedError } from '../../core/streams/errors.js'
import { MessageStream } from '../../core/streams/message-stream.js'
import { resolveStreamOptions } from '../../core/streams/stream-options.js'
import { FakeConnection } from './fake-connection.js'

const json = jsonCodec<number>()

function streamOn(readAhead = 64) {
  const connection = new FakeConnection()
  return { connection, stream: new MessageStream<number>(connection, resolveStreamOptions({ readAhead })) }
}

t.test('one consumer: a second subscribe or an iterator after it is refused at the call', async t => {
  const { stream } = streamOn()
  stream.subscribe(() => undefined)
  t.throws(() => stream.subscribe(() => undefined), StreamConsumedError)
  t.throws(() => stream[Symbol.asyncIterator](), { code: 'ERR_TIPC_STREAM_CONSUMED' })
})

t.test('the iterator pauses at readAhead and resumes when half is taken', async t => {
  const { connection, stream } = streamOn(4)
  const it = stream[Symbol.asyncIterator]()
  connection.deliver(...[0, 1, 2, 3, 4].map(n => json.encode(n)))
  t.equal(connection.paused, true, 'paused with 5 waiting')
  const got: number[] = []
  for (let i = 0; i < 2; i++) got.push((await it.next()).value as number)
  t.equal(connection.paused, true, 'still paused with 3 waiting')
  got.push((await it.next()).value as number)
  t.equal(connection.paused, false, 'resumed at 2 waiting')
  connection.deliver(json.encode(5))
  connection.peerEnds()
  for (;;) {
    const r = await it.next()
    if (r.done === true) break
    got.push(r.value)
  }
  t.same(got, [0, 1, 2, 3, 4, 5], 'every value, then done at the clean end')
})

t.test('the iterator waits for a value, and a peer loss rejects once, then done', async t => {
  const { connection, stream } = streamOn()
  const it = stream[Symbol.asyncIterator]()
  const first = it.next()
  connection.deliver(json.encode(1))
  t.same(await first, { value: 1, done: false })
  const second = it.next()
  connection.peerEnds(new PeerLostError('NO_PORT'))
  await t.rejects(second, PeerLostError)
  t.same(await it.next(), { value: undefined, done: true })
})

t.test('a returned message is counted, never delivered', async t => {
  const { connection, stream } = streamOn()
  const got: number[] = []
  stream.subscribe(v => got.push(v))
  connection.deliverReturned()
  connection.deliver(json.encode(2))
  t.same(got, [2])
  t.equal(stream.stats().unexpected, 1)
  t.equal(stream.stats().received, 1)
})
