// A message big enough to be chunked, published to a queue group of two
// members: the group is one target, so one member should get every chunk and
// ack the whole message. Today each chunk goes by its own anycast, round
// robin over the members, so neither member can reassemble it and the
// group's outcome is timedOut (found by the simulation, seeds 427, 835, 975
// with CHUNKS_TO_GROUPS on). A todo until the publisher sends a message's
// chunks to one member; then drop the todo and turn CHUNKS_TO_GROUPS on.
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { MemoryNetwork } from '../../core/transports/memory/network.js'

t.test('chunked messages to a queue group of two members are each processed by one of them', { todo: 'chunks of one message go to different members' }, async t => {
  // Copies between the nodes are lost at times: a lost chunk is resent by anycast, to either member.
  const network = new MemoryNetwork({ seed: 1, faults: { drop: 0.3 } })
  const publisher = new Bus(network.open(), { timeoutMs: 5000 })
  const members = new Bus(network.open())
  t.teardown(async () => { await publisher.close(); await members.close() })
  const topic = publisher.topic<string>('chunked.group')
  const got: string[][] = [[], []]
  const subs = got.map(into => members.topic<string>('chunked.group').subscribe({ group: 'workers' }).subscribe(d => into.push(d.value)))
  t.teardown(() => { for (const s of subs) s.unsubscribe() })
  const bigs = Array.from({ length: 6 }, (_, i) => String(i).repeat(150_000))
  await new Promise<void>(resolve => topic.subscribers$().subscribe(e => { if (e.kind === 'group-joined') resolve() }))
  const receipts = await Promise.all(bigs.map(big => topic.publish(big, { ack: 'all' })))
  t.equal(topic.stats().chunked, bigs.length, 'every message was chunked')
  t.ok(network.stats.dropped > 0 && topic.stats().resent > 0, 'copies were lost and resent')
  t.same(receipts.map(r => r.outcomes.map(o => o.kind)), bigs.map(() => ['acked']), 'the group acked each')
  const summary = (values: string[]): string[] => values.map(v => `${v[0]!} x ${v.length}`).sort()
  t.same(summary(got.flat()), summary(bigs), 'each was processed once, whole, by one member')
})
