// `tipc-rx topics` and `tipc-rx who <topic>` as a user types them, on udp
// between separate processes: two programs of the cluster subscribe and
// publish, and the commands list them, from the buses themselves.
import t from 'tap'
import { repeatInGuest } from './cli-cluster.js'
import { endPeer, global, startPeer, type ListedTopic } from './directory-peers.js'
import { tipcRx } from './tipc-rx-bin.js'
const subscriber = await startPeer({ subscribe: [{ topic: 'orders', partition: { lower: 0, upper: 999 } }, { topic: 'orders', group: 'workers' }, { topic: 'audit' }] })
const publisher = await startPeer({ publish: { topic: 'orders', everyMs: 50 } })
t.teardown(() => { subscriber.child.kill(); publisher.child.kill() })

t.test('topics --json lists every topic with its publishers, subscribers and nodes', async t => {
  const r = tipcRx([...global, 'topics', '--json'])
  t.equal(r.status, 0, r.stderr)
  const listing = JSON.parse(r.stdout) as { topics: ListedTopic[]; silent: unknown[] }
  t.same(listing.silent, [])
  t.same(listing.topics.map(x => x.name), ['audit', 'orders'])
  const orders = listing.topics[1]!
  t.same(orders.publishers.map(p => p.node), [publisher.node])
  t.same(orders.subscribers.map(s => [s.node, s.lower, s.upper, s.group]), [[subscriber.node, 0, 999, undefined], [subscriber.node, 0, 0xffffffff, 'workers']])
  t.same(orders.nodes, [publisher.node, subscriber.node].sort((a, b) => a - b))
})

t.test('topics in words: a table', { skip: repeatInGuest('the --json listing above is the same data') }, async t => {
  const r = tipcRx([...global, 'topics'])
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /^Topic +Type +Codec +Publishers +Subscribers +Nodes$/m)
  t.match(r.stdout, new RegExp(`^orders +\\d+ +json +1 +2 +[0-9a-f,]*${subscriber.node.toString(16)}`, 'm'))
})

t.test('who <topic> --json: node, port, key range or group, since when', async t => {
  const r = tipcRx([...global, 'who', 'orders', '--json'])
  t.equal(r.status, 0, r.stderr)
  const who = JSON.parse(r.stdout) as { topic: string; type: number; publishers: Array<{ node: number; socket: { ref: number }; since: number }>; subscribers: ListedTopic['subscribers'] }
  t.equal(who.topic, 'orders')
  t.equal(who.publishers.length, 1)
  t.equal(who.publishers[0]!.node, publisher.node)
  t.ok(who.publishers[0]!.since > Date.now() - 120_000 && who.publishers[0]!.since <= Date.now())
  t.same(who.subscribers.map(s => s.group), [undefined, 'workers'])
  const words = tipcRx([...global, 'who', 'orders'])
  t.match(words.stdout, /^Role +Type +Lower +Upper +Scope +Port +Node +Group +Pid +Since$/m)
  t.match(words.stdout, /^subscriber +\d+ +0 +999 +cluster +\d+ +[0-9a-f]+ +- /m)
})

t.test('a program that closed its bus ends by itself', async t => {
  t.equal(await endPeer(publisher.child), 0)
  t.equal(await endPeer(subscriber.child), 0)
})
