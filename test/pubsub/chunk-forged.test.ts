// Chunks that lie (forged or broken): wrong lengths or counts, skipped or
// repeated indices, a middle chunk with no start. None can overflow the
// buffer allocated at index 0; each broken message is reported once, and its
// remaining chunks are discarded.
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
  reassembler.add('s', 1, pos(0, 2, 30), patterned(10))
  t.same(reassembler.add('s', 2, pos(1, 2, 30), patterned(19)), { failed: 'bad-chunk', firstSeq: 1 })
  reassembler.add('s', 3, pos(0, 2, 30), patterned(10))
  t.same(reassembler.add('s', 4, pos(1, 2, 30), new Uint8Array(0)), { failed: 'bad-chunk', firstSeq: 3 }, 'nor an empty one')
})

t.test('a chunk whose count or totalLength changed mid-message is refused', async (t) => {
  const { reassembler } = rig()
  reassembler.add('s', 1, pos(0, 3, 30), patterned(10))
  t.same(reassembler.add('s', 2, pos(1, 4, 30), patterned(10)), { failed: 'bad-chunk', firstSeq: 1 })
  reassembler.add('s', 3, pos(0, 3, 30), patterned(10))
  t.same(reassembler.add('s', 4, pos(1, 3, 3_000_000), patterned(10)), { failed: 'bad-chunk', firstSeq: 3 })
})

t.test('an index that goes back is refused; one that skips ahead is a missing chunk', async (t) => {
  const { reassembler } = rig()
  reassembler.add('s', 1, pos(0, 4, 40), patterned(10))
  reassembler.add('s', 2, pos(1, 4, 40), patterned(10))
  t.same(reassembler.add('s', 3, pos(1, 4, 40), patterned(10)), { failed: 'bad-chunk', firstSeq: 1 })
  reassembler.add('s', 4, pos(0, 4, 40), patterned(10))
  t.same(reassembler.add('s', 6, pos(2, 4, 40), patterned(10)), { failed: 'missing-chunk', firstSeq: 4 })
  t.same(reassembler.add('s', 7, pos(3, 4, 40), patterned(10)), { discarded: true })
  t.same(reassembler.add('s', 8, pos(9, 4, 40), patterned(10)), { failed: 'missing-start', firstSeq: 8 },
    'after the last chunk the skip is over')
})

t.test('chunks whose start this subscription never saw: reported once, then discarded', async (t) => {
  const { reassembler, clock } = rig()
  t.same(reassembler.add('s', 5, pos(1, 4, 40), patterned(10)), { failed: 'missing-start', firstSeq: 5 })
  t.same(reassembler.add('s', 6, pos(2, 4, 40), patterned(10)), { discarded: true })
  t.same(reassembler.add('s', 7, pos(3, 4, 40), patterned(10)), { discarded: true })
  t.equal(clock.pending, 0, 'nothing waits after the last chunk')
  t.same(reassembler.add('t', 9, pos(3, 4, 40), patterned(10)), { failed: 'missing-start', firstSeq: 9 },
    'a lone last chunk leaves no skip behind')
  t.equal(clock.pending, 0)
  const r = rig()
  r.reassembler.add('s', 1, pos(1, 3, 30), patterned(10))
  const after = r.reassembler.add('s', 2, pos(0, 2, 20), patterned(10))
  t.same(after, { pending: true }, 'a new message ends the skip, without an abandon report')
  t.same(r.reports, [])
})
