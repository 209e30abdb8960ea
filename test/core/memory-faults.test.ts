// Seeded faults: each test asserts that the fault happened (counted by the
// network) AND what the application saw, and that a seed replays exactly.
import t from 'tap'
import type { MemoryRdmSocket } from '../../core/transports/memory/rdm-socket.js'
import { MemoryNetwork, type FaultPlan } from '../../core/transports/memory/index.js'
import { numbered, numberOf, record } from './memory-env.js'

const TYPE = 1000

async function run(faults: FaultPlan, seed = 42, count = 1000) {
  const network = new MemoryNetwork({ seed, faults })
  const [a, b] = [network.open(), network.open()]
  const rx = b.rdm()
  rx.bind({ type: TYPE, instance: 1 })
  const got = record(rx)
  const tx = a.rdm()
  const back = record(tx)
  for (let i = 0; i < count; i++) while (!tx.send({ type: TYPE, instance: 1 }, numbered(i))) await tx.writable()
  await network.settle()
  return { network, got: got.map(numberOf), back }
}

t.test('drop: some lost, counted; the rest arrive once, in order', async t => {
  const { network, got } = await run({ drop: 0.1 })
  t.ok(network.stats.dropped > 0, `${network.stats.dropped} dropped`)
  t.equal(got.length + network.stats.dropped, 1000, 'delivered + dropped = sent')
  t.ok(got.every((v, i) => i === 0 || v > got[i - 1]!), 'in order, no duplicates')
})

t.test('duplicate: extra copies counted and seen by the application', async t => {
  const { network, got } = await run({ duplicate: 0.1 })
  t.ok(network.stats.duplicated > 0)
  t.equal(got.length, 1000 + network.stats.duplicated)
  t.equal(new Set(got).size, 1000, 'every message at least once')
})

t.test('reorder: some overtaken, none lost', async t => {
  const { network, got } = await run({ reorder: 0.1 })
  t.ok(network.stats.reordered > 0)
  t.equal(got.length, 1000)
  t.ok(got.some((v, i) => i > 0 && v < got[i - 1]!), 'the application sees messages out of order')
  t.same([...got].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i), 'none lost')
})

t.test('delay: the link stalls, order is kept', async t => {
  const { network, got } = await run({ delay: 0.1 })
  t.ok(network.stats.delayed > 0)
  t.same(got, Array.from({ length: 1000 }, (_, i) => i), 'all, in order')
})

t.test('overload: OVERLOAD returns with the data; delivered + returned = sent', async t => {
  const { network, got, back } = await run({ overload: 0.05 })
  t.ok(network.stats.overloaded > 0)
  t.equal(back.length, network.stats.overloaded)
  t.ok(back.every(m => m.returned?.code === 'OVERLOAD'))
  t.equal(got.length + back.length, 1000)
  t.same([...got, ...back.map(numberOf)].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i), 'each one accounted for')
})

t.test('the same seed replays the same faults; another seed differs', async t => {
  const plan = { drop: 0.05, duplicate: 0.05, reorder: 0.05, delay: 0.05 }
  const first = await run(plan, 7)
  const again = await run(plan, 7)
  const other = await run(plan, 8)
  t.same(again.got, first.got)
  t.same(again.network.stats, first.network.stats)
  t.not(JSON.stringify(other.got), JSON.stringify(first.got))
})

t.test('a full receive queue returns OVERLOAD without any fault', async t => {
  const network = new MemoryNetwork({ receiveQueueLimit: 10 })
  const n = network.open()
  // The concrete socket, for its queue depth (the contract's RdmSocket has none).
  const rx = n.rdm() as MemoryRdmSocket
  rx.bind({ type: TYPE, instance: 1 })
  const tx = n.rdm()
  const back = record(tx)
  for (let i = 0; i < 15; i++) tx.send({ type: TYPE, instance: 1 }, numbered(i))
  await network.settle()
  t.equal(rx.queueDepth, 10)
  t.same(back.map(numberOf), [10, 11, 12, 13, 14])
  t.ok(back.every(m => m.returned?.code === 'OVERLOAD'))
})

t.test('fault options are validated', async t => {
  t.throws(() => new MemoryNetwork({ faults: { drop: 2 } }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
  t.throws(() => new MemoryNetwork({ linkWindow: 0 }), { code: 'ERR_TIPC_INVALID_ARGUMENT' })
})
