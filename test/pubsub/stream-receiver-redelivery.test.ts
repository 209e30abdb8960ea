// Beyond the chain: a nak reopens a delivered seq so that its next attempt is
// delivered again; copies that do not name this socket are delivered in
// arrival order, once; a receiver told to start anywhere takes the first copy
// as the start of its chain.
import t from 'tap'
import { offer, recording } from './receiver-env.js'

t.test('reopen: the next higher attempt is redelivered, once', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  offer(r, { seq: 2, prev: 1 })
  r.receiver.reopen(1, 1)
  t.notOk(r.receiver.wasDelivered(1), 'open again: not delivered')
  t.equal(offer(r, { seq: 1, prev: 0 }, 1), 'duplicate', 'a late copy of the refused attempt is no redelivery')
  t.equal(offer(r, { seq: 1, prev: 0 }, 2), 'redelivered')
  t.equal(offer(r, { seq: 1, prev: 0 }, 2), 'duplicate', 'closed again')
  t.ok(r.receiver.wasDelivered(1))
  t.same(r.delivered, [1, 2, 1])
  t.same(r.attempts, [1, 1, 2])
  t.equal(r.receiver.lastSeq, 2, 'the chain did not move back')
  t.same(r.receiver.counts, { delivered: 2, redelivered: 1, duplicates: 2, gaps: 0, lost: 0 })
})

t.test('reopen without an attempt: any next copy is redelivered', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  r.receiver.reopen(1)
  t.equal(offer(r, { seq: 1, prev: 0 }, 1), 'redelivered')
})

t.test('the reopened set is bounded: the oldest open seq closes again', async t => {
  const r = recording({ maxHeld: 2 })
  for (let seq = 1; seq <= 3; seq++) offer(r, { seq, prev: seq - 1 })
  r.receiver.reopen(1, 1)
  r.receiver.reopen(2, 1)
  r.receiver.reopen(3, 1)
  t.equal(offer(r, { seq: 1, prev: 0 }, 2), 'duplicate', 'forgotten: a duplicate')
  t.equal(offer(r, { seq: 2, prev: 1 }, 2), 'redelivered')
  t.equal(offer(r, { seq: 3, prev: 2 }, 2), 'redelivered')
})

t.test('unlisted copies: arrival order, each once, outside the chain', async t => {
  const r = recording()
  t.equal(r.receiver.offerUnlisted(5, 1, 'm5'), 'delivered')
  t.equal(r.receiver.offerUnlisted(3, 1, 'm3'), 'delivered', 'arrival order, not seq order')
  t.equal(r.receiver.offerUnlisted(5, 1, 'm5'), 'duplicate')
  t.ok(r.receiver.wasDelivered(3))
  t.equal(r.receiver.lastSeq, 0, 'the chain has not started')
  t.equal(offer(r, { seq: 7, prev: 0 }), 'delivered', 'the first listed copy starts the chain')
  t.equal(offer(r, { seq: 5, prev: 0 }), 'duplicate', 'a listed copy of an unlisted delivery')
  t.equal(r.receiver.offerUnlisted(7, 1, 'm7'), 'duplicate', 'an unlisted copy of a chain delivery')
  t.equal(offer(r, { seq: 9, prev: 8 }), 'held')
  t.equal(r.receiver.offerUnlisted(9, 1, 'm9'), 'duplicate', 'an unlisted copy of a held one')
  r.receiver.reopen(3, 1)
  t.equal(r.receiver.offerUnlisted(3, 2, 'm3'), 'redelivered')
  t.same(r.delivered, [5, 3, 7, 3])
})

t.test('unlisted memory is bounded: a very late copy counts as seen', async t => {
  const r = recording({ maxHeld: 2 })
  r.receiver.offerUnlisted(10, 1, 'm10')
  r.receiver.offerUnlisted(11, 1, 'm11')
  r.receiver.offerUnlisted(12, 1, 'm12')
  t.equal(r.receiver.offerUnlisted(10, 1, 'm10'), 'duplicate', 'forgotten, still not delivered twice')
  t.equal(r.receiver.offerUnlisted(4, 1, 'm4'), 'duplicate', 'older than all remembered: dropped')
  t.notOk(r.receiver.wasDelivered(10), 'but not claimed delivered for re-acking')
  t.equal(r.receiver.offerUnlisted(13, 1, 'm13'), 'delivered')
  t.equal(offer(r, { seq: 6, prev: 0 }), 'delivered', 'a listed copy is not judged by the unlisted memory\'s bound')
})

t.test('startAnywhere: the first copy starts the chain whatever its prev', async t => {
  const r = recording({ startAnywhere: true })
  t.equal(offer(r, { seq: 40, prev: 37 }), 'delivered')
  t.equal(offer(r, { seq: 45, prev: 43 }), 'held', 'only the first')
  t.equal(offer(r, { seq: 43, prev: 40 }), 'delivered')
  t.same(r.delivered, [40, 43, 45])
  t.same(r.gaps, [])
})

t.test('startAnywhere with a notice first', async t => {
  const r = recording({ startAnywhere: true })
  r.receiver.abandon(40, 37, 'timeout')
  t.same(r.gaps, [{ from: 1, to: 40, reason: 'timeout' }])
  t.equal(offer(r, { seq: 41, prev: 40 }), 'delivered')
})

t.test('skipped stretches are remembered up to a bound, then re-acks turn conservative', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  let seq = 1
  for (let i = 0; i < 70; i++) {
    r.receiver.abandon(seq + 2, seq, 'timeout')
    seq += 3
    offer(r, { seq, prev: seq - 1 })
  }
  t.equal(r.gaps.length, 70)
  t.notOk(r.receiver.wasDelivered(seq - 1), 'a recent abandoned seq: not delivered')
  t.ok(r.receiver.wasDelivered(seq), 'a recent delivered one: delivered')
  t.notOk(r.receiver.wasDelivered(4), 'an old delivered one beyond the memory: not claimed')
})
