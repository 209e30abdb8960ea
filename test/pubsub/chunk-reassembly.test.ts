// Reassembly of in-order chunks: round trips (up to 5 MiB), exact boundaries,
// streams kept apart, and a new message (index 0) abandoning an unfinished one.
import t from 'tap'
import { chunkCount } from '../../core/pubsub/chunking.js'
import type { ChunkResult } from '../../core/pubsub/reassembly.js'
import { chunksOf, patterned, rig } from './chunk-helpers.js'

const ROOM = 65_000

t.test('5 MiB split at 66000-envelope rooms comes back byte for byte, allocated once', async (t) => {
  const { reassembler, reports, clock } = rig()
  const payload = patterned(5 * 1024 * 1024)
  const chunks = chunksOf(payload, ROOM - 40, ROOM, 100)
  t.equal(chunks.length, chunkCount(payload.length, ROOM - 40, ROOM))
  let result: ChunkResult | undefined
  for (const c of chunks) {
    if (result) t.same(result, { pending: true })
    result = reassembler.add('a', c.seq, c.position, c.bytes)
    if (c.position.index === 0) t.equal(reassembler.bytesHeld, payload.length, 'the whole message is allocated at index 0')
  }
  t.ok(result && 'done' in result)
  if (result && 'done' in result) {
    t.equal(result.firstSeq, 100)
    t.equal(result.done.length, payload.length)
    t.ok(Buffer.from(result.done).equals(Buffer.from(payload)))
  }
  t.equal(reassembler.bytesHeld, 0)
  t.equal(reassembler.assembling, 0)
  t.equal(clock.pending, 0, 'no timer left once nothing is held')
  t.same(reports, [])
})

t.test('exact boundaries: the last chunk full, one byte, and two chunks', async (t) => {
  for (const length of [11, 20, 21, 30, 31]) {
    const { reassembler } = rig()
    const payload = patterned(length, length)
    const chunks = chunksOf(payload, 10, 10)
    const last = chunks.map((c) => reassembler.add('s', c.seq, c.position, c.bytes)).at(-1)
    t.ok(last && 'done' in last && Buffer.from(last.done).equals(Buffer.from(payload)), `${length} bytes`)
  }
})

t.test('streams are assembled apart, interleaved', async (t) => {
  const { reassembler, reports } = rig()
  const a = chunksOf(patterned(300, 1), 100, 100, 1)
  const b = chunksOf(patterned(250, 2), 100, 100, 7)
  const done: Record<string, Uint8Array> = {}
  for (let i = 0; i < 3; i++) {
    for (const [key, list] of [['a', a], ['b', b]] as const) {
      const c = list[i]
      if (!c) continue
      const r = reassembler.add(key, c.seq, c.position, c.bytes)
      if ('done' in r) done[key] = r.done
    }
  }
  t.same(Buffer.from(done.a ?? []), Buffer.from(patterned(300, 1)))
  t.same(Buffer.from(done.b ?? []), Buffer.from(patterned(250, 2)))
  t.same(reports, [])
})

t.test('a new index 0 abandons the message in assembly on that stream, reported once', async (t) => {
  const { reassembler, reports } = rig()
  const old = chunksOf(patterned(300), 100, 100, 1)
  for (const c of old.slice(0, 2)) reassembler.add('s', c.seq, c.position, c.bytes)
  t.equal(reassembler.bytesHeld, 300)
  const next = chunksOf(patterned(150, 9), 100, 100, 10)
  const first = next[0]!
  t.same(reassembler.add('s', first.seq, first.position, first.bytes), { pending: true })
  t.same(reports, [{ streamKey: 's', firstSeq: 1, lastSeq: 2, received: 2, count: 3, reason: 'abandoned' }])
  t.equal(reassembler.bytesHeld, 150, 'the abandoned message is freed')
  const second = next[1]!
  const r = reassembler.add('s', second.seq, second.position, second.bytes)
  t.ok('done' in r && Buffer.from(r.done).equals(Buffer.from(patterned(150, 9))))
})

t.test('abandon() gives up a stream\'s message and the rest of it is discarded', async (t) => {
  const { reassembler, reports, clock } = rig()
  const chunks = chunksOf(patterned(400), 100, 100, 5)
  for (const c of chunks.slice(0, 2)) reassembler.add('s', c.seq, c.position, c.bytes)
  t.same(reassembler.abandon('s'), { streamKey: 's', firstSeq: 5, lastSeq: 6, received: 2, count: 4, reason: 'abandoned' })
  t.equal(reassembler.abandon('s'), undefined, 'nothing left to abandon')
  t.equal(reassembler.abandon('other'), undefined)
  t.equal(reassembler.bytesHeld, 0)
  t.same(reassembler.add('s', 7, chunks[2]!.position, chunks[2]!.bytes), { discarded: true })
  t.equal(clock.pending, 1, 'the skip waits for the last chunk')
  t.same(reassembler.add('s', 8, chunks[3]!.position, chunks[3]!.bytes), { discarded: true })
  t.equal(clock.pending, 0, 'the last chunk ends the skip')
  t.same(reports, [], 'abandon() returns its report rather than calling the hook')
})

t.test('close() drops everything, cancels the timer and reports nothing', async (t) => {
  const { reassembler, reports, clock } = rig()
  const c = chunksOf(patterned(300), 100, 100)[0]!
  reassembler.add('s', c.seq, c.position, c.bytes)
  t.equal(clock.pending, 1)
  reassembler.close()
  t.equal(clock.pending, 0)
  t.equal(reassembler.bytesHeld, 0)
  t.equal(reassembler.assembling, 0)
  clock.advance(60_000)
  t.same(reports, [])
})
