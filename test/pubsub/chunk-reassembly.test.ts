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
  const chunks = chunksOf(payload, ROOM, ROOM, 100)
  t.equal(chunks.length, chunkCount(payload.length, ROOM, ROOM))
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

t.test('two messages of one stream are assembled at once, interleaved', async (t) => {
  const { reassembler, reports } = rig()
  const old = chunksOf(patterned(300), 100, 100, 1)
  for (const c of old.slice(0, 2)) reassembler.add('s', c.seq, c.position, c.bytes)
  t.equal(reassembler.bytesHeld, 300)
  const next = chunksOf(patterned(150, 9), 100, 100, 4)
  const first = next[0]!
  t.same(reassembler.add('s', first.seq, first.position, first.bytes), { pending: true })
  t.same(reports, [], 'a new message does not end the one in assembly')
  t.equal(reassembler.bytesHeld, 450, 'both are held')
  const second = next[1]!
  const r = reassembler.add('s', second.seq, second.position, second.bytes)
  t.ok('done' in r && Buffer.from(r.done).equals(Buffer.from(patterned(150, 9))))
  const last = old[2]!
  const o = reassembler.add('s', last.seq, last.position, last.bytes)
  t.ok('done' in o && o.firstSeq === 1 && Buffer.from(o.done).equals(Buffer.from(patterned(300))), 'the older one completes after it')
})

t.test('a gap over a chunk not yet come fails its message at once; its later chunks are discarded', async (t) => {
  const { reassembler, reports, clock } = rig()
  const chunks = chunksOf(patterned(400), 100, 100, 5)
  for (const c of chunks.slice(0, 2)) reassembler.add('s', c.seq, c.position, c.bytes)
  t.same(reassembler.gapped('s', 7, 7), [{ streamKey: 's', firstSeq: 5, lastSeq: 6, received: 2, count: 4, reason: 'missing-chunk' }])
  t.same(reassembler.gapped('s', 7, 7), [], 'nothing left to fail')
  t.same(reassembler.gapped('other', 1, 100), [])
  t.equal(reassembler.bytesHeld, 0)
  t.same(reassembler.add('s', 7, chunks[2]!.position, chunks[2]!.bytes), { discarded: true })
  t.equal(clock.pending, 0, 'an ended message needs no timer')
  t.same(reassembler.add('s', 8, chunks[3]!.position, chunks[3]!.bytes), { discarded: true })
  t.equal(clock.pending, 0)
  t.same(reports, [], 'gapped() returns its reports rather than calling the hook')
})

t.test('a gap over chunks received, or over seqs of no message in assembly, fails nothing', async (t) => {
  const { reassembler } = rig()
  const chunks = chunksOf(patterned(400), 100, 100, 5)
  for (const c of chunks.slice(0, 2)) reassembler.add('s', c.seq, c.position, c.bytes)
  t.same(reassembler.gapped('s', 1, 6), [], 'seqs 5 and 6 are in')
  t.same(reassembler.gapped('s', 9, 20), [], 'after the message')
  for (const c of chunks.slice(2)) reassembler.add('s', c.seq, c.position, c.bytes)
  t.equal(reassembler.assembling, 0, 'it completed')
})

t.test('a message whose first chunk comes after a gap over another of its chunks fails at that chunk', async (t) => {
  const { reassembler, reports } = rig()
  const chunks = chunksOf(patterned(400), 100, 100, 5)
  reassembler.gapped('s', 5, 6)
  t.same(reassembler.add('s', 7, chunks[2]!.position, chunks[2]!.bytes), { failed: 'missing-chunk', firstSeq: 5 })
  t.same(reassembler.add('s', 8, chunks[3]!.position, chunks[3]!.bytes), { discarded: true }, 'reported once')
  t.equal(reassembler.bytesHeld, 0)
  t.same(reports, [])
})

t.test('chunks in any order, several messages interleaved, come back byte for byte', async (t) => {
  const random = seeded(7)
  for (let round = 0; round < 50; round++) {
    const { reassembler, reports } = rig()
    const messages = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, m) => {
      const length = 11 + Math.floor(random() * 500)
      return { payload: patterned(length, round + m), firstSeq: 1 + m * 1000 }
    })
    const all = messages.flatMap((m) => chunksOf(m.payload, 10, 10, m.firstSeq).map((c) => ({ ...c, firstSeq: m.firstSeq })))
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[all[i], all[j]] = [all[j]!, all[i]!]
    }
    const done = new Map<number, Uint8Array>()
    for (const c of all) {
      const r = reassembler.add('s', c.seq, c.position, c.bytes)
      if ('done' in r) done.set(r.firstSeq, r.done)
      else if (!('pending' in r)) t.fail(`round ${round}: ${JSON.stringify(r)}`)
    }
    const whole = messages.every((m) => Buffer.from(done.get(m.firstSeq) ?? []).equals(Buffer.from(m.payload)))
    t.ok(whole && done.size === messages.length, `round ${round}: ${messages.length} messages, ${all.length} chunks shuffled`)
    t.equal(reassembler.bytesHeld, 0)
    t.same(reports, [])
  }
})

t.test('a duplicate of a chunk held is discarded; the message completes once', async (t) => {
  const { reassembler, reports } = rig()
  const [a, b, c] = chunksOf(patterned(250), 100, 100, 1)
  t.same(reassembler.add('s', b!.seq, b!.position, b!.bytes), { pending: true })
  t.same(reassembler.add('s', b!.seq, b!.position, b!.bytes), { discarded: true }, 'the same chunk again')
  t.same(reassembler.add('s', a!.seq, a!.position, a!.bytes), { pending: true })
  const r = reassembler.add('s', c!.seq, c!.position, c!.bytes)
  t.ok('done' in r && Buffer.from(r.done).equals(Buffer.from(patterned(250))))
  t.same(reassembler.add('s', a!.seq, a!.position, a!.bytes), { discarded: true }, 'a late copy of a completed message')
  t.equal(reassembler.assembling, 0, 'it does not start an assembly that would time out')
  t.same(reports, [])
})

t.test('reopen(): a nak\'d message is assembled again from its redelivered chunks', async (t) => {
  const { reassembler } = rig()
  const chunks = chunksOf(patterned(250), 100, 100, 3)
  for (const c of chunks) reassembler.add('s', c.seq, c.position, c.bytes)
  reassembler.reopen('s', 3)
  const again = [chunks[2]!, chunks[0]!, chunks[1]!].map((c) => reassembler.add('s', c.seq, c.position, c.bytes))
  t.same(again.slice(0, 2), [{ pending: true }, { pending: true }])
  const r = again[2]!
  t.ok('done' in r && r.firstSeq === 3 && Buffer.from(r.done).equals(Buffer.from(patterned(250))), 'in another order')
  const failed = rig()
  failed.reassembler.add('s', 3, chunks[0]!.position, chunks[0]!.bytes)
  t.same(failed.reassembler.add('s', 4, chunks[1]!.position, chunks[1]!.bytes.subarray(0, 99)), { failed: 'bad-chunk', firstSeq: 3 },
    'a chunk shorter than the one before it (not the last) is refused')
  failed.reassembler.reopen('s', 3)
  t.same(failed.reassembler.add('s', 5, chunks[2]!.position, chunks[2]!.bytes), { discarded: true }, 'a failed message is not reopened')
})

t.test('ended messages are remembered up to endedMemory, oldest forgotten first', async (t) => {
  const { reassembler } = rig({ endedMemory: 2 })
  for (const firstSeq of [1, 4, 7]) {
    for (const c of chunksOf(patterned(250), 100, 100, firstSeq)) reassembler.add('s', c.seq, c.position, c.bytes)
  }
  const late = (firstSeq: number) => {
    const c = chunksOf(patterned(250), 100, 100, firstSeq)[1]!
    return reassembler.add('s', c.seq, c.position, c.bytes)
  }
  t.same(late(7), { discarded: true })
  t.same(late(4), { discarded: true })
  t.same(late(1), { pending: true }, 'the oldest was forgotten: its late chunk starts an assembly (bounded by the timeout)')
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

function seeded(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 0x8000_0000
    return x / 0x8000_0000
  }
}
