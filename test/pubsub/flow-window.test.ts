// The in-flight window: bounded in messages and bytes, served first come
// first served, never deadlocked by one large message, closed loudly.
import t from 'tap'
import { PublisherClosedError } from '../../core/pubsub/errors.js'
import { FlowWindow } from '../../core/pubsub/flow-window.js'
import { InvalidArgumentError } from '../../core/transport-contract/index.js'

t.test('messages and bytes are both bounded; stalls are counted', async t => {
  const w = new FlowWindow({ maxMessages: 2, maxBytes: 100 })
  t.ok(w.tryAcquire(60))
  t.notOk(w.tryAcquire(50), '110 bytes would be over')
  t.ok(w.tryAcquire(40))
  t.notOk(w.tryAcquire(0), 'two messages in flight')
  t.same(w.stats, { inFlight: 2, inFlightBytes: 100, credit: 2, stalls: 2, overloads: 0, waiting: 0 })
  w.release(60)
  t.ok(w.tryAcquire(60))
})

t.test('a message larger than the byte window goes when nothing else is in flight', async t => {
  const w = new FlowWindow({ maxBytes: 100 })
  await w.acquire(10)
  t.equal(w.stats.stalls, 0, 'room at once: no stall')
  let admitted = false
  const big = w.acquire(1000).then(() => { admitted = true })
  await Promise.resolve()
  t.notOk(admitted, 'not beside another message')
  w.release(10)
  await big
  t.ok(admitted)
  t.equal(w.stats.inFlightBytes, 1000)
})

t.test('waiters are served in order, and tryAcquire does not overtake them', async t => {
  const w = new FlowWindow({ maxMessages: 1 })
  t.ok(w.tryAcquire(1))
  const order: string[] = []
  const a = w.acquire(1).then(() => order.push('a'))
  const b = w.acquire(1).then(() => order.push('b'))
  t.notOk(w.tryAcquire(1), 'two are waiting')
  t.equal(w.stats.waiting, 2)
  w.release(1)
  await a
  t.same(order, ['a'])
  w.release(1)
  await b
  t.same(order, ['a', 'b'])
})

t.test('whenAvailable tells of room without taking it', async t => {
  const w = new FlowWindow({ maxMessages: 1 })
  await w.whenAvailable()
  t.ok(w.tryAcquire(1))
  let told = false
  const p = w.whenAvailable().then(() => { told = true })
  await Promise.resolve()
  t.notOk(told)
  w.release(1)
  await p
  t.equal(w.stats.inFlight, 0, 'nothing taken')
  t.ok(w.tryAcquire(1))
})

t.test('AIMD: halve on overload (not below 1), plus one per release, up to the window', async t => {
  const w = new FlowWindow({ maxMessages: 10 })
  for (let i = 0; i < 3; i++) t.ok(w.tryAcquire(1))
  w.onOverload()
  t.equal(w.stats.credit, 5)
  for (let i = 0; i < 5; i++) w.onOverload()
  t.equal(w.stats.credit, 1)
  t.notOk(w.tryAcquire(1), '3 in flight, credit 1')
  w.release(1); w.release(1)
  t.equal(w.stats.credit, 3)
  t.ok(w.tryAcquire(1), '2 in flight, credit 3')
  t.equal(w.stats.overloads, 6)
  for (let i = 0; i < 20; i++) { w.release(1); t.ok(w.tryAcquire(1)) }
  t.equal(w.stats.credit, 10, 'capped at maxMessages')
})

t.test('close rejects the waiters and every later wait; an abort leaves the line', async t => {
  const w = new FlowWindow({ maxMessages: 1 })
  t.ok(w.tryAcquire(1))
  const ac = new AbortController()
  const aborted = w.acquire(1, ac.signal)
  const behind = w.acquire(1)
  ac.abort(new Error('caller gave up'))
  await t.rejects(aborted, { message: 'caller gave up' })
  t.equal(w.stats.waiting, 1)
  await t.rejects(w.acquire(1, AbortSignal.abort(new Error('already'))), { message: 'already' })
  w.close('bus closed')
  w.close('twice')
  const cause = new Error('link down')
  t.equal(new PublisherClosedError('x', cause).cause, cause, 'a closed error may carry its cause')
  await t.rejects(behind, PublisherClosedError)
  await t.rejects(w.whenAvailable(), { code: 'ERR_TIPC_PUBLISHER_CLOSED', reason: 'bus closed' })
  t.notOk(w.tryAcquire(0), 'closed: no room')
  w.release(1)
  t.equal(w.stats.inFlight, 0, 'what was in flight can still be released')
})

t.test('the window refuses bad numbers', async t => {
  t.throws(() => new FlowWindow({ maxMessages: 0 }), InvalidArgumentError)
  t.throws(() => new FlowWindow({ maxBytes: 1.5 }), InvalidArgumentError)
  const w = new FlowWindow()
  t.throws(() => w.tryAcquire(-1), InvalidArgumentError)
  t.throws(() => w.release(1), InvalidArgumentError, 'nothing in flight')
  t.ok(w.tryAcquire(5))
  t.throws(() => w.release(6), InvalidArgumentError, 'more bytes than in flight')
  t.same([w.maxMessages, w.maxBytes], [1024, 16 * 1024 * 1024])
})
