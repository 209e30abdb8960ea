// Reassembly's bounds: maxMessageBytes refused at index 0, maxTotalBytes across
// streams (the least recently active assembly is evicted), and the timeout
// for an assembly whose next chunk does not come (one timer, virtual time).
import t from 'tap'
import { DEFAULT_MAX_REASSEMBLY_BYTES, DEFAULT_REASSEMBLY_TIMEOUT_MS, Reassembler } from '../../core/pubsub/reassembly.js'
import type { ChunkPosition } from '../../core/pubsub/reassembly.js'
import { ManualClock } from './chunk-clock.js'
import { patterned, rig } from './chunk-helpers.js'

const pos = (index: number, count: number, totalLength: number): ChunkPosition => ({ index, count, totalLength })

t.test('defaults: 16 MiB per message, 64 MiB in all, 30 s', async (t) => {
  const { reassembler } = rig()
  t.equal(reassembler.maxMessageBytes, 16 * 1024 * 1024)
  t.equal(reassembler.maxTotalBytes, DEFAULT_MAX_REASSEMBLY_BYTES)
  t.equal(DEFAULT_MAX_REASSEMBLY_BYTES, 64 * 1024 * 1024)
  t.equal(reassembler.timeoutMs, DEFAULT_REASSEMBLY_TIMEOUT_MS)
  t.equal(DEFAULT_REASSEMBLY_TIMEOUT_MS, 30_000)
  const hooks = { failed: () => {} }
  for (const bad of [0, -5, 1.5]) {
    t.throws(() => new Reassembler(new ManualClock(), { maxMessageBytes: bad }, hooks), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
    t.throws(() => new Reassembler(new ManualClock(), { maxTotalBytes: bad }, hooks), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
    t.throws(() => new Reassembler(new ManualClock(), { timeoutMs: bad }, hooks), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  }
})

t.test('a totalLength above maxMessageBytes fails at index 0, allocating nothing', async (t) => {
  const { reassembler } = rig({ maxMessageBytes: 100 })
  t.same(reassembler.add('s', 1, pos(0, 2, 101), patterned(50)), { failed: 'too-large', firstSeq: 1 })
  t.equal(reassembler.bytesHeld, 0)
  t.same(reassembler.add('s', 2, pos(1, 2, 101), patterned(51)), { discarded: true })
  t.same(reassembler.add('s', 3, pos(0, 2, 100), patterned(50)), { pending: true }, 'exactly the limit is accepted')
  // A forged 4 GiB announcement is refused by the default limit without allocating.
  const big = rig()
  t.same(big.reassembler.add('s', 1, pos(0, 2, 0xffffffff), patterned(10)), { failed: 'too-large', firstSeq: 1 })
  t.equal(big.reassembler.bytesHeld, 0)
  const tight = rig({ maxMessageBytes: 1000, maxTotalBytes: 100 })
  t.same(tight.reassembler.add('s', 1, pos(0, 2, 101), patterned(50)), { failed: 'too-large', firstSeq: 1 },
    'nor can one message exceed maxTotalBytes')
})

t.test('past maxTotalBytes the least recently active assemblies are evicted and reported', async (t) => {
  const { reassembler, reports } = rig({ maxTotalBytes: 100 })
  reassembler.add('a', 1, pos(0, 2, 40), patterned(20))
  reassembler.add('b', 1, pos(0, 2, 40), patterned(20))
  reassembler.add('c', 1, pos(0, 3, 20), patterned(7))
  t.equal(reassembler.bytesHeld, 100)
  reassembler.add('c', 2, pos(1, 3, 20), patterned(7))   // c touched: a is now the least recently active
  t.same(reassembler.add('d', 1, pos(0, 2, 50), patterned(25)), { pending: true })
  t.same(reports.map((r) => [r.streamKey, r.reason, r.received]), [['a', 'evicted', 1], ['b', 'evicted', 1]])
  t.equal(reassembler.bytesHeld, 70)
  t.equal(reassembler.assembling, 2)
  t.same(reassembler.add('a', 2, pos(1, 2, 40), patterned(20)), { discarded: true }, 'the rest of an evicted message is discarded')
  const r = reassembler.add('c', 3, pos(2, 3, 20), patterned(6))
  t.ok('done' in r, 'the assemblies kept still complete')
})

t.test('an assembly whose next chunk does not come within timeoutMs fails with timeout', async (t) => {
  const { reassembler, reports, clock } = rig({ timeoutMs: 1000 })
  reassembler.add('a', 1, pos(0, 3, 30), patterned(10))
  clock.advance(600)
  reassembler.add('b', 4, pos(0, 2, 20), patterned(10))
  clock.advance(300)
  reassembler.add('a', 2, pos(1, 3, 30), patterned(10))   // progress: a waits 1000 ms from now (t = 900)
  t.equal(clock.pending, 1, 'one timer for the whole reassembler')
  clock.advance(699)                                      // t = 1599
  t.same(reports, [])
  clock.advance(1)                                        // t = 1600: b's deadline
  t.same(reports, [{ streamKey: 'b', firstSeq: 4, lastSeq: 4, received: 1, count: 2, reason: 'timeout' }])
  t.equal(reassembler.bytesHeld, 30)
  clock.advance(299)                                      // t = 1899
  t.equal(reports.length, 1)
  clock.advance(1)                                        // t = 1900: a's deadline
  t.same(reports[1], { streamKey: 'a', firstSeq: 1, lastSeq: 2, received: 2, count: 3, reason: 'timeout' })
  t.equal(reassembler.bytesHeld, 0)
  t.same(reassembler.add('a', 3, pos(2, 3, 30), patterned(10)), { discarded: true }, 'a late chunk is not reported again')
  clock.advance(5000)
  t.equal(clock.pending, 0, 'nothing in assembly: the timer stops')
  t.equal(reports.length, 2)
  t.same(reassembler.add('a', 9, pos(1, 3, 30), patterned(10)), { pending: true }, 'a chunk of another message starts its own assembly, whatever its index')
  t.equal(clock.pending, 1, 'under the timeout again')
})
