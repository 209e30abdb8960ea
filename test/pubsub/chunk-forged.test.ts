// Chunks that lie (forged or broken): wrong lengths or counts, sizes that
// break the equal-size rule, repeated indices, seqs too low for their index.
// None can overflow the buffer allocated at a message's first chunk; each
// broken message is reported once, and its remaining chunks are discarded.
import t from 'tap'
import type { ChunkPosition } from '../../core/pubsub/reassembly.js'
import { patterned, rig } from './chunk-helpers.js'

const pos = (index: number, count: number, totalLength: number): ChunkPosition => ({ index, count, totalLength })

t.test('a malformed first chunk fails at once and holds nothing', async (t) => {
  const cases: [string, ChunkPosition, number][] = [
    ['count below 2', pos(0, 1, 10), 10],
    ['total shorter than the count (an empty chunk to come)', pos(0, 5, 4), 1],
    ['empty first chunk', pos(0, 2, 10), 0],
    ['first chunk leaves no byte for the next', pos(0, 2, 10), 10],
    ['count not an integer', pos(0, 2.5, 10), 5],
    ['total not an integer', pos(0, 2, Number.NaN), 5],
  ]
  for (const [name, position, size] of cases) {
    const { reassembler, clock } = rig()
    t.same(reassembler.add('s', 1, position, patterned(size)), { failed: 'bad-chunk', firstSeq: 1 }, name)
    t.equal(reassembler.bytesHeld, 0, `${name}: nothing allocated`)
    reassembler.close()
    t.equal(clock.pending, 0)
  }
})

t.test('a chunk longer than what remains is refused before it is copied', async (t) => {
  const { reassembler, reports } = rig()
  t.same(reassembler.add('s', 1, pos(0, 3, 30), patterned(10)), { pending: true })
  // 25 bytes would pass the end of the 30-byte buffer.
  t.same(reassembler.add('s', 2, pos(1, 3, 30), patterned(25)), { failed: 'bad-chunk', firstSeq: 1 })
  t.equal(reassembler.bytesHeld, 0)
  t.same(reassembler.add('s', 3, pos(2, 3, 30), patterned(10)), { discarded: true }, 'the rest of it is skipped')
  t.same(reports, [], 'reported once, by the add that failed it')
})

t.test('a middle chunk that leaves no byte for the chunks after it is refused', async (t) => {
  const { reassembler } = rig()
  reassembler.add('s', 1, pos(0, 4, 40), patterned(10))
  t.same(reassembler.add('s', 2, pos(1, 4, 40), patterned(29)), { failed: 'bad-chunk', firstSeq: 1 })
})

t.test('a last chunk that does not fill the message is refused', async (t) => {
  const { reassembler } = rig()
  reassembler.add('s', 1, pos(0, 3, 30), patterned(10))
  t.same(reassembler.add('s', 3, pos(2, 3, 30), patterned(9)), { failed: 'bad-chunk', firstSeq: 1 })
  reassembler.add('s', 3, pos(0, 2, 20), patterned(10))
  t.same(reassembler.add('s', 4, pos(1, 2, 20), new Uint8Array(0)), { failed: 'bad-chunk', firstSeq: 3 }, 'nor an empty one')
})

t.test('every chunk but the last has the same size: a first chunk that breaks it fails, in either order', async (t) => {
  const { reassembler } = rig()
  // 30 bytes in 2 chunks: the first must carry at least 15 (the last is never longer).
  t.same(reassembler.add('s', 1, pos(0, 2, 30), patterned(10)), { failed: 'bad-chunk', firstSeq: 1 })
  t.same(reassembler.add('s', 2, pos(1, 2, 30), patterned(20)), { discarded: true })
  t.equal(reassembler.bytesHeld, 0)
  // The last chunk first: 8 bytes leave 22 for 2 chunks of 11; a middle chunk of 10 contradicts it.
  t.same(reassembler.add('s', 6, pos(2, 3, 30), patterned(8)), { pending: true })
  t.same(reassembler.add('s', 5, pos(1, 3, 30), patterned(10)), { failed: 'bad-chunk', firstSeq: 4 })
  t.same(reassembler.add('t', 3, pos(2, 3, 30), patterned(9)), { failed: 'bad-chunk', firstSeq: 1 },
    'a last chunk that leaves what cannot be split evenly')
})

t.test('a chunk whose count or totalLength changed mid-message is refused', async (t) => {
  const { reassembler } = rig()
  reassembler.add('s', 1, pos(0, 3, 30), patterned(10))
  t.same(reassembler.add('s', 2, pos(1, 4, 30), patterned(10)), { failed: 'bad-chunk', firstSeq: 1 })
  reassembler.add('s', 3, pos(0, 3, 30), patterned(10))
  t.same(reassembler.add('s', 4, pos(1, 3, 3_000_000), patterned(10)), { failed: 'bad-chunk', firstSeq: 3 })
})

t.test('a repeated index is a duplicate; one ahead is stored; a seq too low for its index is refused', async (t) => {
  const { reassembler } = rig()
  reassembler.add('s', 1, pos(0, 4, 40), patterned(10))
  reassembler.add('s', 2, pos(1, 4, 40), patterned(10))
  t.same(reassembler.add('s', 2, pos(1, 4, 40), patterned(10)), { discarded: true }, 'the same chunk again')
  t.same(reassembler.add('s', 4, pos(3, 4, 40), patterned(10)), { pending: true }, 'ahead of a missing one')
  const r = reassembler.add('s', 3, pos(2, 4, 40), patterned(10))
  t.ok('done' in r && r.firstSeq === 1, 'the missing one completes it')
  t.same(reassembler.add('s', 2, pos(3, 4, 40), patterned(10)), { failed: 'bad-chunk', firstSeq: 2 },
    'index 3 at seq 2 would put its message before seq 1')
  t.equal(reassembler.assembling, 0)
})

t.test('chunks whose start has not come are held until it comes; a broken message is reported once', async (t) => {
  const { reassembler, clock, reports } = rig()
  t.same(reassembler.add('s', 6, pos(1, 4, 40), patterned(10, 1)), { pending: true })
  t.same(reassembler.add('s', 8, pos(3, 4, 40), patterned(10, 3)), { pending: true })
  t.same(reassembler.add('s', 7, pos(2, 4, 40), patterned(10, 2)), { pending: true })
  t.equal(clock.pending, 1, 'it waits for the start, under the timeout')
  const r = reassembler.add('s', 5, pos(0, 4, 40), patterned(10, 0))
  const expected = Buffer.concat([0, 1, 2, 3].map((salt) => Buffer.from(patterned(10, salt))))
  t.ok('done' in r && r.firstSeq === 5 && Buffer.from(r.done).equals(expected))
  t.equal(clock.pending, 0)
  t.same(reassembler.add('t', 9, pos(3, 4, 40), patterned(9)), { failed: 'bad-chunk', firstSeq: 6 })
  t.same(reassembler.add('t', 7, pos(1, 4, 40), patterned(10)), { discarded: true }, 'the rest of it is discarded')
  t.same(reports, [])
})
