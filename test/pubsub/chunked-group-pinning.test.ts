// How a chunked message to a queue group finds its member: among the members
// whose binding covers the message's instance (a member may consume a
// partition of the group's type), and again when its pinned member goes.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { keyBytes, keyInstance } from '../../core/pubsub/topic-name.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'

const HALF = 0x8000_0000
const big = (tag: string): string => tag.repeat(150_000)

/** A key whose instance falls in the lower (true) or upper half of the key space. */
function keyIn(lower: boolean): string {
  for (let i = 0; ; i++) if ((keyInstance(keyBytes(`k${i}`)) < HALF) === lower) return `k${i}`
}

async function groupReady(bus: Bus, name: string): Promise<void> {
  const topic = bus.topic<string>(name)
  await new Promise<void>(resolve => topic.subscribers$().subscribe(e => { if (e.kind === 'group-joined') resolve() }))
  // The members' own bindings are learnt just after the group: one small round trip gives presence that time.
  await topic.publish('warm-up', { ack: 'all', key: keyIn(true) })
}

t.test('a keyed chunked message goes to the member whose partition covers its key', async t => {
  const network = new MemoryNetwork({ seed: 5 })
  const publisher = new Bus(network.open())
  const members = new Bus(network.open())
  t.teardown(async () => { await publisher.close(); await members.close() })
  const name = 'pinned.partitions'
  const got: Record<'low' | 'high', string[]> = { low: [], high: [] }
  const low = members.topic<string>(name).subscribe({ group: 'w', partition: { lower: 0, upper: HALF - 1 } }).subscribe(d => got.low.push(d.value))
  const high = members.topic<string>(name).subscribe({ group: 'w', partition: { lower: HALF, upper: 0xffff_ffff } }).subscribe(d => got.high.push(d.value))
  t.teardown(() => { low.unsubscribe(); high.unsubscribe() })
  await groupReady(publisher, name)
  const topic = publisher.topic<string>(name)
  const receipts = await Promise.all([
    topic.publish(big('a'), { ack: 'all', key: keyIn(true) }),
    topic.publish(big('b'), { ack: 'all', key: keyIn(false) }),
    topic.publish(big('c'), { ack: 'all', key: keyIn(true) }),
  ])
  t.same(receipts.map(r => r.ok), [true, true, true])
  t.equal(topic.stats().groupChunksUnpinned, 0)
  const tags = (values: string[]): string[] => values.filter(v => v !== 'warm-up').map(v => `${v[0]!}${v.length}`)
  t.same(tags(got.low), ['a150000', 'c150000'], 'the lower half took the keys in it, whole')
  t.same(tags(got.high), ['b150000'], 'the upper half took its key')
  t.equal(members.stats().gaps, 0, 'no member saw part of a message')
})

t.test('a pinned member that goes: the message moves to another member, which gets every chunk', async t => {
  const network = new MemoryNetwork({ seed: 9 })
  const publisher = new Bus(network.open(), { timeoutMs: 60_000 })
  const members = new Bus(network.open())
  t.teardown(async () => { await publisher.close(); await members.close() })
  const name = 'pinned.repin'
  const gone: string[] = []
  const stays: string[] = []
  const leaving = members.topic<string>(name).subscribe({ group: 'w' }).subscribe(d => gone.push(d.value))
  const staying = members.topic<string>(name).subscribe({ group: 'w' }).subscribe(d => stays.push(d.value))
  t.teardown(() => staying.unsubscribe())
  await groupReady(publisher, name)
  const topic = publisher.topic<string>(name)
  // Members are pinned in turn: of two messages, one is pinned to the member that leaves before its chunks arrive.
  const receipts = Promise.all([topic.publish(big('x'), { ack: 'all' }), topic.publish(big('y'), { ack: 'all' })])
  leaving.unsubscribe()
  const [x, y] = await receipts
  t.same([x.ok, y.ok], [true, true], 'both acked')
  t.same(stays.filter(v => v !== 'warm-up').map(v => v[0]).sort(), ['x', 'y'], 'the member that stayed took both, whole')
  t.same(gone.filter(v => v !== 'warm-up'), [], 'the member that left took none')
  const returned = topic.stats().returned
  t.ok((returned.NO_PORT ?? 0) + (returned.NO_NAME ?? 0) > 0, `copies to the member that left came back (${JSON.stringify(returned)})`)
})
