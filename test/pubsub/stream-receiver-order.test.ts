// A stream receiver delivers in chain order, each seq once, however the
// copies are reordered and duplicated on the way, for a socket that gets the
// whole stream or only part of it.
import t from 'tap'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { chain, offer, recording, type Copy } from './receiver-env.js'

/** Every copy once, some twice or three times, in a random order. */
function scramble(copies: Copy[], random: SeededRandom): { arrivals: Copy[]; duplicated: number } {
  const arrivals: Copy[] = []
  let duplicated = 0
  for (const copy of copies) {
    arrivals.push(copy)
    while (random.chance(0.2)) { arrivals.push(copy); duplicated++ }
  }
  for (let i = arrivals.length - 1; i > 0; i--) {
    const j = random.int(0, i)
    ;[arrivals[i], arrivals[j]] = [arrivals[j]!, arrivals[i]!]
  }
  return { arrivals, duplicated }
}

t.test('reordered and duplicated: chain order, each once, no gap (200 seeded rounds)', async t => {
  const random = new SeededRandom(9)
  let duplicatesSeen = 0
  let heldSeen = 0
  for (let round = 0; round < 200; round++) {
    const length = random.int(1, 120)
    const seqs = Array.from({ length }, (_, i) => i + 1)
    const { arrivals, duplicated } = scramble(chain(seqs), random)
    const r = recording()
    const results = arrivals.map(copy => offer(r, copy))
    if (JSON.stringify(r.delivered) !== JSON.stringify(seqs)) {
      t.fail(`round ${round}: delivered ${r.delivered.join(',')}`)
      return
    }
    t.equal(r.gaps.length, 0, `round ${round}: no gap`)
    t.equal(r.receiver.counts.duplicates, duplicated, `round ${round}: every extra copy counted as a duplicate`)
    t.equal(r.receiver.heldCount, 0)
    t.equal(r.clock.timerCount, 0, 'no hold timer left')
    duplicatesSeen += duplicated
    heldSeen += results.filter(x => x === 'held').length
  }
  t.ok(duplicatesSeen > 100, `the rounds duplicated (${duplicatesSeen})`)
  t.ok(heldSeen > 1000, `and reordered (${heldSeen} copies held)`)
})

t.test('a partial stream: a socket that gets every 3rd seq follows its own chain', async t => {
  const random = new SeededRandom(3)
  for (let round = 0; round < 100; round++) {
    const offset = random.int(1, 3)
    const seqs = Array.from({ length: 60 }, (_, i) => offset + 3 * i)
    const { arrivals } = scramble(chain(seqs), random)
    const r = recording()
    for (const copy of arrivals) offer(r, copy)
    t.same(r.delivered, seqs, `round ${round}: its seqs, in order`)
    t.same(r.gaps, [], 'the seqs that went to other sockets are no gap')
    t.ok(seqs.every(seq => r.receiver.wasDelivered(seq)), 'each known delivered')
  }
})

t.test('offer results: delivered, held, then delivered through the chain, duplicate', async t => {
  const r = recording()
  t.equal(offer(r, { seq: 4, prev: 2 }), 'held', 'its prev is not here yet')
  t.equal(offer(r, { seq: 4, prev: 2 }), 'duplicate', 'a held seq again')
  t.equal(r.receiver.heldCount, 1)
  t.equal(offer(r, { seq: 2, prev: 0 }), 'delivered', 'the first for this socket')
  t.same(r.delivered, [2, 4], 'and the held one after it')
  t.equal(offer(r, { seq: 2, prev: 0 }), 'duplicate')
  t.equal(r.receiver.lastSeq, 4)
  t.equal(r.receiver.heldCount, 0)
  t.notOk(r.receiver.wasDelivered(1), 'before the first of the chain: not delivered')
  t.ok(r.receiver.wasDelivered(4))
  t.notOk(r.receiver.wasDelivered(5), 'beyond the head')
  t.same(r.receiver.counts, { delivered: 2, redelivered: 0, duplicates: 2, gaps: 0, lost: 0 })
})

t.test('a restart (prev 0 after a chain): delivered, and the old chain\'s held links dropped', async t => {
  const r = recording()
  offer(r, { seq: 1, prev: 0 })
  t.equal(offer(r, { seq: 5, prev: 3 }), 'held', 'waits for 3')
  t.equal(offer(r, { seq: 9, prev: 8 }), 'held', 'a link of the new chain, early')
  t.equal(offer(r, { seq: 8, prev: 0 }), 'delivered', 'the publisher started over at 8')
  t.same(r.delivered, [1, 8, 9])
  t.equal(r.receiver.heldCount, 0, '5 can never be reached: dropped')
  t.same(r.gaps, [], 'a restart is no gap')
  t.equal(offer(r, { seq: 3, prev: 1 }), 'duplicate', 'a late link of the old chain')
  t.equal(offer(r, { seq: 10, prev: 6 }), 'duplicate', 'a link from before the head')
  t.notOk(r.receiver.wasDelivered(5), 'the stretch skipped by the restart is not delivered')
  t.ok(r.receiver.wasDelivered(1) && r.receiver.wasDelivered(8))
})

t.test('bad links are bugs, refused', async t => {
  const r = recording()
  t.throws(() => offer(r, { seq: 0, prev: 0 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => offer(r, { seq: 5, prev: 5 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => offer(r, { seq: 5, prev: -1 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => offer(r, { seq: 2 ** 53, prev: 0 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => offer(r, { seq: 1, prev: 0 }, 0), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => offer(r, { seq: 1, prev: 0 }, 65536), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => recording({ maxHeld: 0 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => recording({ holdTimeoutMs: -1 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.same(r.delivered, [])
})
