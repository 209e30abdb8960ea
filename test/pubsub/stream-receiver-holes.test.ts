// Holes in a stream receiver's chain: given up on after the hold timeout or
// beyond maxHeld ('lost' gaps, delivery goes on), closed at once by the
// publisher's gap notice, and given up on at once by flushHeld.
import t from 'tap'
import { StreamReceiver } from '../../core/pubsub/stream-receiver.js'
import { ManualClock } from './receiver-clock.js'
import { offer, recording } from './receiver-env.js'

t.test('hold timeout: the hole becomes a lost gap and the held messages follow', async t => {
  const r = recording({ holdTimeoutMs: 1000 })
  offer(r, { seq: 1, prev: 0 })
  offer(r, { seq: 4, prev: 3 })
  r.clock.advance(400)
  offer(r, { seq: 6, prev: 4 })
  t.equal(r.clock.timerCount, 1, 'one timer for the receiver, not one per held message')
  r.clock.advance(599)
  t.same(r.delivered, [1], 'not yet')
  r.clock.advance(1)
  t.same(r.delivered, [1, 4, 6], 'the held chain goes on after the hole')
  t.same(r.gaps, [{ from: 2, to: 3, reason: 'lost' }], 'the hole: up to the prev of the first held')
  t.equal(r.clock.timerCount, 0)
  t.equal(offer(r, { seq: 3, prev: 1 }), 'duplicate', 'the lost seq arriving late is dropped')
  t.notOk(r.receiver.wasDelivered(3), 'and is not known delivered (not to be re-acked)')
  t.ok(r.receiver.wasDelivered(4))
  t.same(r.receiver.counts, { delivered: 3, redelivered: 0, duplicates: 1, gaps: 1, lost: 1 })
})

t.test('hold timeout counts from each held message\'s arrival', async t => {
  const r = recording({ holdTimeoutMs: 1000 })
  offer(r, { seq: 1, prev: 0 })
  offer(r, { seq: 3, prev: 2 })
  r.clock.advance(500)
  offer(r, { seq: 7, prev: 6 })
  offer(r, { seq: 2, prev: 1 })
  t.same(r.delivered, [1, 2, 3], 'the first hole closed in time')
  r.clock.advance(999)
  t.same(r.delivered, [1, 2, 3], 'the timer that was due for 3 found 7 not yet due')
  t.same(r.gaps, [])
  r.clock.advance(1)
  t.same(r.delivered, [1, 2, 3, 7])
  t.same(r.gaps, [{ from: 4, to: 6, reason: 'lost' }])
})

t.test('a fresh receiver whose first copy never comes: lost from 1', async t => {
  const r = recording({ holdTimeoutMs: 10 })
  offer(r, { seq: 5, prev: 2 })
  r.clock.advance(10)
  t.same(r.gaps, [{ from: 1, to: 2, reason: 'lost' }], 'before the first delivery the stretch starts at 1')
  t.same(r.delivered, [5])
})

t.test('maxHeld: one more held message gives up on the earliest hole', async t => {
  const r = recording({ maxHeld: 3, holdTimeoutMs: 60_000 })
  offer(r, { seq: 1, prev: 0 })
  t.equal(offer(r, { seq: 5, prev: 4 }), 'held')
  t.equal(offer(r, { seq: 9, prev: 8 }), 'held')
  t.equal(offer(r, { seq: 7, prev: 6 }), 'held')
  t.equal(r.receiver.heldCount, 3)
  t.equal(offer(r, { seq: 12, prev: 11 }), 'held', 'the fourth forces a skip, but not past itself')
  t.same(r.gaps, [{ from: 2, to: 4, reason: 'lost' }], 'the earliest hole given up')
  t.same(r.delivered, [1, 5])
  t.equal(r.receiver.heldCount, 3)
  t.equal(offer(r, { seq: 6, prev: 5 }), 'delivered', 'the next hole closes normally')
  t.same(r.delivered, [1, 5, 6, 7])
  t.equal(r.receiver.counts.lost, 1)
})

t.test('maxHeld 1: the copy that overflows is delivered itself when it is the earliest', async t => {
  const r = recording({ maxHeld: 1 })
  offer(r, { seq: 1, prev: 0 })
  t.equal(offer(r, { seq: 9, prev: 8 }), 'held')
  t.equal(offer(r, { seq: 4, prev: 3 }), 'delivered', 'skipped to and delivered at once')
  t.same(r.gaps, [{ from: 2, to: 3, reason: 'lost' }])
  t.same(r.delivered, [1, 4])
  t.equal(r.receiver.heldCount, 1, '9 still waits for 8')
})

t.test('a gap notice at the head closes the hole at once, with its reason', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  offer(r, { seq: 6, prev: 4 })
  r.receiver.abandon(4, 1, 'timeout')
  t.same(r.gaps, [{ from: 2, to: 4, reason: 'timeout' }])
  t.same(r.delivered, [1, 6])
  t.equal(r.clock.timerCount, 0, 'nothing held, no timer')
  r.receiver.abandon(6, 4, 'left')
  r.receiver.abandon(3, 1, 'left')
  t.equal(r.gaps.length, 1, 'notices for seqs already passed are ignored')
  r.receiver.abandon(9, 2, 'left')
  t.equal(r.gaps.length, 1, 'and a notice linked behind the head (a chain the receiver left)')
  r.receiver.abandon(12, 10, 'left')
  r.receiver.abandon(11, 10, 'left')
  t.equal(r.receiver.heldCount, 1, 'and a second notice for the same prev')
})

t.test('a notice ahead of the head waits in its place', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  r.receiver.abandon(5, 3, 'returned')
  offer(r, { seq: 7, prev: 5 })
  t.equal(r.receiver.heldCount, 2)
  offer(r, { seq: 3, prev: 1 })
  t.same(r.delivered, [1, 3, 7])
  t.same(r.gaps, [{ from: 4, to: 5, reason: 'returned' }])
})

t.test('a copy beats a notice for the same seq, whichever came first', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  r.receiver.abandon(4, 2, 'timeout')
  t.equal(offer(r, { seq: 4, prev: 2 }), 'held', 'the copy takes the notice\'s place')
  t.equal(offer(r, { seq: 4, prev: 2 }), 'duplicate')
  offer(r, { seq: 6, prev: 5 })
  r.receiver.abandon(6, 5, 'terminated')
  offer(r, { seq: 2, prev: 1 })
  t.same(r.delivered, [1, 2, 4])
  t.same(r.gaps, [])
  offer(r, { seq: 5, prev: 4 })
  t.same(r.delivered, [1, 2, 4, 5, 6], 'the notice for the held 6 was ignored')
})

t.test('a notice for the first seq of a chain (prev 0)', async t => {
  const r = recording()
  offer(r, { seq: 4, prev: 3 })
  r.receiver.abandon(3, 0, 'left')
  t.same(r.gaps, [{ from: 1, to: 3, reason: 'left' }])
  t.same(r.delivered, [4])
  r.receiver.abandon(9, 0, 'returned')
  t.same(r.gaps[1], { from: 5, to: 9, reason: 'returned' }, 'a restart by notice')
  t.equal(r.receiver.lastSeq, 9)
})

t.test('flushHeld gives up on every hole now, in chain order', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  offer(r, { seq: 9, prev: 7 })
  offer(r, { seq: 5, prev: 3 })
  r.receiver.abandon(12, 10, 'left')
  r.receiver.flushHeld()
  t.same(r.delivered, [1, 5, 9])
  t.same(r.gaps, [
    { from: 2, to: 3, reason: 'lost' }, { from: 6, to: 7, reason: 'lost' },
    { from: 10, to: 10, reason: 'lost' }, { from: 11, to: 12, reason: 'left' },
  ])
  t.equal(r.receiver.heldCount, 0)
  t.equal(r.clock.timerCount, 0)
})

t.test('close drops what is held, stops the timer, and drops later copies', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  offer(r, { seq: 3, prev: 2 })
  r.receiver.close()
  t.equal(r.receiver.heldCount, 0)
  t.equal(r.clock.timerCount, 0)
  t.equal(offer(r, { seq: 2, prev: 1 }), 'duplicate')
  r.receiver.abandon(2, 1, 'left')
  t.equal(r.receiver.offerUnlisted(5, 1, 'm5'), 'duplicate', 'unlisted copies too')
  r.clock.advance(60_000)
  t.same(r.delivered, [1])
  t.same(r.gaps, [])
})

t.test('a deliver hook that closes the receiver stops the drain', async t => {
  const seen: number[] = []
  const receiver: StreamReceiver<string> = new StreamReceiver(new ManualClock(), {}, {
    deliver: (_m, seq) => { seen.push(seq); if (seq === 3) receiver.close() },
    gap: () => {},
  })
  receiver.offer(3, 2, 1, 'm3')
  receiver.offer(4, 3, 1, 'm4')
  receiver.offer(2, 0, 1, 'm2')
  t.same(seen, [2, 3], '4 is not delivered after close')
})

t.test('a held link the chain went past (a publisher breaking its own chain) is dropped, not delivered', async t => {
  const r = recording({ holdTimeoutMs: 100 })
  offer(r, { seq: 1, prev: 0 })
  offer(r, { seq: 10, prev: 5 })
  offer(r, { seq: 7, prev: 6 })
  offer(r, { seq: 6, prev: 1 })
  t.same(r.delivered, [1, 6, 7])
  t.equal(r.receiver.heldCount, 1, '10 waits for 5, which the chain passed')
  r.clock.advance(100)
  t.equal(r.receiver.heldCount, 0)
  t.same(r.delivered, [1, 6, 7], 'never delivered')
  t.same(r.gaps, [], 'and no gap: nothing this socket was owed')
  t.equal(r.receiver.counts.duplicates, 1, 'counted with the duplicates')
})
