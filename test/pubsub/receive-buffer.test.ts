// The receive buffer's overflow policies: block pauses when full and resumes
// at half, dropOldest and dropNewest drop (and say what), error refuses with a
// typed error; every policy counts.
import t from 'tap'
import { ReceiveBufferOverflowError } from '../../core/pubsub/errors.js'
import { ReceiveBuffer, type ReceiveBufferOptions } from '../../core/pubsub/receive-buffer.js'

function buffer(options: ReceiveBufferOptions) {
  const events: string[] = []
  const b = new ReceiveBuffer<number>(options, {
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    dropped: (item, policy) => events.push(`${policy} ${item}`),
  })
  return { b, events }
}

function drain(b: ReceiveBuffer<number>): number[] {
  const out: number[] = []
  for (let item = b.shift(); item !== undefined; item = b.shift()) out.push(item)
  return out
}

t.test('block (the default): pause when full, keep queueing, resume at half', async t => {
  const { b, events } = buffer({ size: 4 })
  t.equal(b.policy, 'block')
  for (let i = 1; i <= 3; i++) t.ok(b.push(i))
  t.same(events, [], 'not full yet')
  b.push(4)
  t.same(events, ['pause'], 'full: paused')
  t.ok(b.paused)
  t.ok(b.push(5), 'a copy the transport had already read is still queued')
  t.equal(b.length, 5)
  t.same(events, ['pause'], 'paused once')
  b.shift(); b.shift()
  t.same(events, ['pause'], '3 waiting: above half')
  b.shift()
  t.same(events, ['pause', 'resume'], '2 waiting: half, resumed')
  t.notOk(b.paused)
  t.same(drain(b), [4, 5])
  t.same(b.counts, { pushed: 5, shifted: 5, dropped: 0, pauses: 1, highWater: 5 })
})

t.test('block with size 1 resumes when empty', async t => {
  const { b, events } = buffer({ size: 1 })
  b.push(1)
  t.same(events, ['pause'])
  b.shift()
  t.same(events, ['pause', 'resume'])
  b.push(2)
  t.same(events, ['pause', 'resume', 'pause'])
  t.equal(b.counts.pauses, 2)
})

t.test('dropOldest: the oldest waiting delivery makes room', async t => {
  const { b, events } = buffer({ size: 3, policy: 'dropOldest' })
  for (let i = 1; i <= 5; i++) t.ok(b.push(i))
  t.same(events, ['dropOldest 1', 'dropOldest 2'])
  t.same(drain(b), [3, 4, 5])
  t.same(b.counts, { pushed: 5, shifted: 3, dropped: 2, pauses: 0, highWater: 3 })
})

t.test('dropNewest: the new delivery is dropped', async t => {
  const { b, events } = buffer({ size: 3, policy: 'dropNewest' })
  const queued = [1, 2, 3, 4, 5].map(i => b.push(i))
  t.same(queued, [true, true, true, false, false])
  t.same(events, ['dropNewest 4', 'dropNewest 5'])
  t.same(drain(b), [1, 2, 3])
  t.same(b.counts, { pushed: 3, shifted: 3, dropped: 2, pauses: 0, highWater: 3 })
})

t.test('error: a full buffer refuses with ReceiveBufferOverflowError', async t => {
  const { b, events } = buffer({ size: 2, policy: 'error' })
  b.push(1); b.push(2)
  t.throws(() => b.push(3), new ReceiveBufferOverflowError(2))
  try { b.push(3) } catch (err) {
    t.ok(err instanceof ReceiveBufferOverflowError)
    t.equal((err as ReceiveBufferOverflowError).code, 'ERR_TIPC_RECEIVE_BUFFER_OVERFLOW')
    t.equal((err as ReceiveBufferOverflowError).size, 2)
  }
  t.same(events, [])
  t.same(drain(b), [1, 2], 'nothing of the refused queued')
})

t.test('a long run stays in order through the queue\'s compaction', async t => {
  const { b } = buffer({ size: 100, policy: 'dropNewest' })
  const out: number[] = []
  for (let i = 0; i < 5000; i++) {
    b.push(i)
    if (i % 3 !== 0) out.push(b.shift()!)
  }
  out.push(...drain(b))
  t.ok(out.every((v, i) => i === 0 || v > out[i - 1]!), 'in push order, each once')
  t.equal(out.length + b.counts.dropped, 5000, 'every item delivered or dropped')
  t.ok(b.counts.dropped > 0)
  t.equal(b.shift(), undefined, 'empty')
})

t.test('clear takes every waiting delivery out', async t => {
  const { b } = buffer({ size: 4 })
  b.push(1); b.push(2); b.shift(); b.push(3)
  t.same(b.clear(), [2, 3])
  t.equal(b.length, 0)
  b.push(4)
  t.same(drain(b), [4])
})

t.test('bad options are refused; hooks are optional', async t => {
  t.throws(() => new ReceiveBuffer({ size: 0 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => new ReceiveBuffer({ policy: 'spill' as never }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  const plain = new ReceiveBuffer<number>({ size: 1 })
  plain.push(1)
  plain.push(2)
  t.equal(plain.size, 1)
  t.same([plain.shift(), plain.shift()], [1, 2])
  const dropping = new ReceiveBuffer<number>({ size: 1, policy: 'dropOldest' })
  dropping.push(1); dropping.push(2)
  t.equal(dropping.shift(), 2)
})
