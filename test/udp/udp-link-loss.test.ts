// The link under seeded loss, duplication and reordering: every record
// arrives once, in order, and the faults really happened (counted).
import t, { type Test } from 'tap'
import { lossyPair, testConfig } from './lossy-wire.js'

const until = async (cond: () => boolean, what: string, ms = 20000) => {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 2))
  }
}

function record(i: number, size = 8): Uint8Array {
  const b = Buffer.alloc(size, i & 0xff)
  b.writeUInt32BE(i, 0)
  return b
}

async function run(t: Test, seed: number, faults: { drop?: number; duplicate?: number; reorder?: number }, total: number, size = 8) {
  const pair = lossyPair(seed, faults, testConfig())
  t.teardown(pair.close)
  let sent = 0
  while (sent < total) {
    if (pair.a.link.full(1)) {
      pair.a.link.stall()
      const before = pair.a.drained
      await until(() => pair.a.drained > before, 'drained')
      continue
    }
    pair.a.link.enqueue(record(sent, size), sent, 1)
    sent++
    if (sent % 100 === 0) await new Promise(r => setImmediate(r))
  }
  await until(() => pair.b.delivered.length >= total, `${total} records`)
  const order = pair.b.delivered.map(r => Buffer.from(r).readUInt32BE(0))
  t.equal(order.length, total, 'each record once')
  t.ok(order.every((v, i) => v === i), 'in order')
  t.ok(pair.b.delivered.every(r => r.byteLength === size), 'intact')
  await until(() => pair.a.link.queued === 0, 'all acked')
  return pair
}




t.test('10% loss: all arrive once, in order; losses were retransmitted', async t => {
  const { counts, a } = await run(t, 42, { drop: 0.1 }, 5000)
  t.ok(counts.dropped > 0, `${counts.dropped} packets dropped`)
  t.ok(a.link.stats.retransmits >= 1, `${a.link.stats.retransmits} retransmits`)
})

t.test('duplicates are suppressed', async t => {
  const { counts, b } = await run(t, 7, { duplicate: 0.2 }, 3000)
  t.ok(counts.duplicated > 0, `${counts.duplicated} packets duplicated`)
  t.ok(b.link.stats.duplicates > 0, `${b.link.stats.duplicates} duplicates counted at the receiver`)
})

t.test('reordering is undone', async t => {
  const { counts, b } = await run(t, 9, { reorder: 0.2 }, 3000)
  t.ok(counts.reordered > 0, `${counts.reordered} packets reordered`)
  t.ok(b.link.stats.outOfOrder > 0, `${b.link.stats.outOfOrder} held out of order`)
})

t.test('all three at once, with fragmented records', async t => {
  const { counts } = await run(t, 1234, { drop: 0.1, duplicate: 0.05, reorder: 0.1 }, 300, 5000)
  t.ok(counts.dropped > 0 && counts.duplicated > 0 && counts.reordered > 0, JSON.stringify(counts))
})

t.test('the window turns into backpressure and drains', async t => {
  const pair = lossyPair(3, {}, testConfig({ linkWindow: 16 }))
  t.teardown(pair.close)
  for (let i = 0; i < 16; i++) pair.a.link.enqueue(record(i), i, 1)
  t.equal(pair.a.link.full(1), true, 'full at the window')
  t.equal(pair.a.link.full(0), false, 'control records still go')
  pair.a.link.stall()
  await until(() => pair.a.drained > 0, 'drained')
  t.equal(pair.a.link.stats.windowStalls, 1)
})

t.test('close returns the tags of what was not acknowledged, in order', async t => {
  const pair = lossyPair(5, { drop: 1 }, testConfig())
  for (let i = 0; i < 5; i++) pair.a.link.enqueue(record(i), i, 1)
  pair.a.link.flush()
  t.same(pair.a.link.close(), [0, 1, 2, 3, 4])
  pair.close()
})

t.test('tolerance: a silent peer is reported down by tick()', async t => {
  const pair = lossyPair(5, { drop: 1 }, testConfig({ toleranceMs: 20 }))
  t.teardown(pair.close)
  t.equal(pair.a.link.tick(), true)
  await new Promise(r => setTimeout(r, 40))
  t.equal(pair.a.link.tick(), false, 'down after the tolerance')
})
