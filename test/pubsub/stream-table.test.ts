// The stream table: one receiver per (publisher socket, stream), bounded by
// an LRU whose evicted streams start over at their next copy, and cleaned when
// a publisher's socket is gone.
import t from 'tap'
import { StreamTable } from '../../core/pubsub/stream-table.js'
import { ManualClock } from './receiver-clock.js'

const A = { node: 1, ref: 10 }
const B = { node: 2, ref: 10 }

function table(maxStreams = 4096) {
  const clock = new ManualClock()
  const delivered: string[] = []
  const gaps: string[] = []
  const streams = new StreamTable<string>(clock, { maxStreams, holdTimeoutMs: 1000 }, {
    deliver: (p, stream, m, seq) => { delivered.push(`${p.node}/${p.ref}/${stream}:${seq}=${m}`) },
    gap: (p, stream, from, to, reason) => { gaps.push(`${p.node}/${p.ref}/${stream}:${from}-${to} ${reason}`) },
  })
  return { clock, streams, delivered, gaps }
}

t.test('one receiver per publisher socket and stream, telling the hooks which', async t => {
  const { streams, delivered } = table()
  streams.receiver(A, 1n).offer(1, 0, 1, 'a1')
  streams.receiver(B, 1n).offer(1, 0, 1, 'b1')
  streams.receiver(A, 2n).offer(5, 0, 1, 'a5')
  streams.receiver({ ...A }, 1n).offer(2, 1, 1, 'a2')
  t.equal(streams.size, 3)
  t.same(delivered, ['1/10/1:1=a1', '2/10/1:1=b1', '1/10/2:5=a5', '1/10/1:2=a2'])
  t.equal(streams.find(A, 1n), streams.receiver(A, 1n), 'the same receiver')
  t.equal(streams.find(A, 3n), undefined, 'find creates nothing')
  t.equal(streams.size, 3)
})

t.test('beyond maxStreams the least recently used is evicted, and starts over at its next copy', async t => {
  const { streams, delivered, gaps } = table(2)
  streams.receiver(A, 1n).offer(1, 0, 1, 'x')
  streams.receiver(A, 2n).offer(1, 0, 1, 'y')
  streams.receiver(A, 1n).offer(2, 1, 1, 'x')
  streams.receiver(A, 3n).offer(1, 0, 1, 'z')
  t.equal(streams.evictionCount, 1)
  t.equal(streams.size, 2)
  t.equal(streams.find(A, 2n), undefined, 'stream 2 was the least recently used')
  t.ok(streams.find(A, 1n))
  t.equal(streams.receiver(A, 2n).offer(7, 4, 1, 'y'), 'delivered', 'its next copy starts the chain: no wait for 4')
  t.equal(streams.evictionCount, 2, 'which evicted stream 1')
  t.equal(streams.receiver(A, 1n).offer(5, 3, 1, 'x'), 'delivered', 'stream 1 starts over too')
  t.same(gaps, [])
  t.equal(delivered.length, 6)
})

t.test('an evicted stream delivers what it held first, its holes as lost gaps', async t => {
  const { streams, delivered, gaps, clock } = table(1)
  streams.receiver(A, 1n).offer(1, 0, 1, 'x')
  streams.receiver(A, 1n).offer(4, 3, 1, 'x')
  streams.receiver(B, 1n).offer(1, 0, 1, 'y')
  t.same(delivered, ['1/10/1:1=x', '1/10/1:4=x', '2/10/1:1=y'])
  t.same(gaps, ['1/10/1:2-3 lost'])
  t.equal(clock.timerCount, 0, 'the evicted receiver left no timer')
})

t.test('a stream never evicted starts at prev 0 as usual', async t => {
  const { streams } = table(4)
  t.equal(streams.receiver(B, 9n).offer(7, 4, 1, 'y'), 'held', 'a new stream waits for its prev')
})

t.test('forgetPublisher: that socket\'s streams flush and go; others stay', async t => {
  const { streams, delivered, gaps } = table(2)
  streams.receiver(A, 1n).offer(1, 0, 1, 'x')
  streams.receiver(A, 1n).offer(4, 3, 1, 'x')
  streams.receiver(A, 2n).offer(1, 0, 1, 'y')
  streams.receiver(B, 1n).offer(1, 0, 1, 'z')
  t.equal(streams.evictionCount, 1, 'A/1 was evicted')
  t.equal(streams.forgetPublisher(A), 1, 'A/2 was left')
  t.equal(streams.size, 1)
  t.ok(streams.find(B, 1n))
  t.equal(streams.receiver(A, 1n).offer(9, 8, 1, 'x'), 'held', 'A/1 is no longer marked evicted: it starts from nothing')
  t.same(gaps, ['1/10/1:2-3 lost'])
  t.equal(delivered.length, 4)
  t.equal(streams.forgetPublisher({ node: 7, ref: 7 }), 0)
})

t.test('close closes every receiver', async t => {
  const { streams, clock, delivered } = table()
  streams.receiver(A, 1n).offer(4, 3, 1, 'x')
  const held = streams.receiver(A, 1n)
  streams.close()
  t.equal(streams.size, 0)
  t.equal(clock.timerCount, 0)
  t.equal(held.offer(3, 0, 1, 'x'), 'duplicate', 'the old receiver is closed')
  clock.advance(5000)
  t.same(delivered, [])
})

t.test('the evicted marks are bounded too; the default bound is 4096', async t => {
  const { streams } = table(1)
  for (let stream = 1n; stream <= 3n; stream++) streams.receiver(A, stream).offer(1, 0, 1, 'x')
  t.equal(streams.evictionCount, 2)
  t.equal(streams.receiver(A, 1n).offer(9, 8, 1, 'x'), 'held', 'the oldest mark was dropped: stream 1 starts from nothing')
  const plain = new StreamTable<string>(new ManualClock(), {}, { deliver: () => {}, gap: () => {} })
  for (let stream = 0n; stream <= 4096n; stream++) plain.receiver(A, stream)
  t.equal(plain.size, 4096)
  t.equal(plain.evictionCount, 1)
})

t.test('maxStreams must be a positive integer', async t => {
  t.throws(() => table(0), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => table(1.5), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
})
