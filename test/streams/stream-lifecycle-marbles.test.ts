// The timing of a stream's end, in marbles (RxJS's TestScheduler, virtual
// frames): values as they arrive, complete at a clean end, error at a peer
// loss, and an unsubscribe that ends the connection (shutdown) at its frame.
import t, { type Test } from 'tap'
import { TestScheduler } from 'rxjs/testing'
import { jsonCodec } from '../../codecs/index.js'
import { PeerLostError } from '../../core/transport-contract/errors.js'
import { MessageStream } from '../../core/streams/message-stream.js'
import { resolveStreamOptions } from '../../core/streams/stream-options.js'
import { FakeConnection } from './fake-connection.js'

const json = jsonCodec<string>()

function scheduled(t: Test, fn: (helpers: { scheduler: TestScheduler; stream: MessageStream<string>; connection: FakeConnection }) => void): TestScheduler {
  const scheduler = new TestScheduler((actual, expected) => t.same(actual, expected))
  scheduler.run(() => {
    const connection = new FakeConnection(() => scheduler.now())
    const stream = new MessageStream<string>(connection, resolveStreamOptions())
    fn({ scheduler, stream, connection })
  })
  return scheduler
}

t.test('a clean end completes, after every value', async t => {
  scheduled(t, ({ scheduler, stream, connection }) => {
    scheduler.schedule(() => connection.deliver(json.encode('a')), 2)
    scheduler.schedule(() => connection.deliver(json.encode('b'), json.encode('c')), 5)
    scheduler.schedule(() => connection.peerEnds(), 9)
    // A group takes as many frames as its characters: (bc) at 5, the end at 9.
    scheduler.expectObservable(stream).toBe('--a--(bc)|')
  })
  t.end()
})

t.test('a peer loss errors with PeerLostError, at its frame', async t => {
  const lost = new PeerLostError('NO_NODE')
  scheduled(t, ({ scheduler, stream, connection }) => {
    scheduler.schedule(() => connection.deliver(json.encode('a')), 1)
    scheduler.schedule(() => connection.peerEnds(lost), 4)
    scheduler.expectObservable(stream).toBe('-a--#', { a: 'a' }, lost)
  })
  t.end()
})

t.test('unsubscribing ends the connection (shutdown, not abort) at the unsubscribe frame', async t => {
  let connection: FakeConnection | undefined
  scheduled(t, helpers => {
    connection = helpers.connection
    helpers.scheduler.schedule(() => helpers.connection.deliver(json.encode('a')), 1)
    helpers.scheduler.schedule(() => helpers.connection.deliver(json.encode('b')), 9)
    helpers.scheduler.expectObservable(helpers.stream, '^-----!').toBe('-a----')
  })
  t.same(connection!.endedHere, { how: 'end', at: 6 })
  t.end()
})

t.test('end() here completes the consumer at its frame', async t => {
  let connection: FakeConnection | undefined
  scheduled(t, ({ scheduler, stream, connection: c }) => {
    connection = c
    scheduler.schedule(() => stream.end(), 3)
    scheduler.expectObservable(stream).toBe('---|')
  })
  t.same(connection!.endedHere, { how: 'end', at: 3 })
  t.end()
})
