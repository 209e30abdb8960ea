// Sending on a stream (on a fake connection whose window the test opens):
// sends that find the window full wait, in order, and go out as it opens;
// the waiting list is bounded; the end of the connection fails what waits;
// encode failures reject; pipes from iterables and Observables count.
import t from 'tap'
import { from } from 'rxjs'
import { CodecError, jsonCodec } from '../../codecs/index.js'
import { ConnectionEndedError } from '../../core/transport-contract/errors.js'
import { StreamSendQueueFullError } from '../../core/streams/errors.js'
import { MessageStream } from '../../core/streams/message-stream.js'
import { resolveStreamOptions, type StreamOptions } from '../../core/streams/stream-options.js'
import { FakeConnection } from './fake-connection.js'

const json = jsonCodec<number>()
const decoded = (c: FakeConnection) => c.sent.map(b => json.decode(b))
const turn = () => new Promise(resolve => setImmediate(resolve))

function streamOn(window: number, options: StreamOptions<number> = {}) {
  const connection = new FakeConnection(() => 0, window)
  return { connection, stream: new MessageStream<number>(connection, resolveStreamOptions(options)) }
}

t.test('sends past the window wait and go out in order as it opens', async t => {
  const { connection, stream } = streamOn(2)
  const done: number[] = []
  const sends = [0, 1, 2, 3, 4].map(n => stream.send(n).then(() => done.push(n)))
  await turn()
  t.same(decoded(connection), [0, 1], 'the window took two')
  t.same(done, [0, 1])
  connection.credit(2)
  await turn()
  t.same(decoded(connection), [0, 1, 2, 3])
  connection.credit(2)
  await Promise.all(sends)
  t.same(decoded(connection), [0, 1, 2, 3, 4], 'every one, in order')
  t.same(done, [0, 1, 2, 3, 4], 'resolved in order')
  t.equal(stream.stats().windowWaits, 3)
  t.equal(stream.stats().sent, 5)
})

t.test('the waiting list is bounded: one more is refused, those waiting stay', async t => {
  const { connection, stream } = streamOn(0, { maxWaitingSends: 2 })
  const waiting = [stream.send(1), stream.send(2)]
  await t.rejects(stream.send(3), StreamSendQueueFullError)
  connection.credit(2)
  await Promise.all(waiting)
  t.same(decoded(connection), [1, 2])
})

t.test('the connection ends while sends wait: each is rejected with why', async t => {
  const connection = new FakeConnection(() => 0, 0)
  const ended = new ConnectionEndedError()
  connection.writable = () => Promise.reject(ended)
  const stream = new MessageStream<number>(connection, resolveStreamOptions())
  const results = await Promise.allSettled([stream.send(1), stream.send(2)])
  t.same(results.map(r => r.status), ['rejected', 'rejected'])
  t.ok(results.every(r => r.status === 'rejected' && r.reason === ended))
})

t.test('a value the codec refuses rejects with its CodecError; nothing is sent', async t => {
  const { connection, stream } = streamOn(10)
  await t.rejects(stream.send(10n as unknown as number), CodecError)
  t.same(connection.sent, [])
})

t.test('sendAll pulls an iterable and pipes an Observable, counting', async t => {
  const { connection, stream } = streamOn(100)
  t.equal(await stream.sendAll([1, 2, 3]), 3)
  t.equal(await stream.sendAll(from([4, 5])), 2)
  t.equal(await stream.sendAll(from([])), 0)
  t.same(decoded(connection), [1, 2, 3, 4, 5])
})
