// A subscriber's node crashes (memory: crash(); udp: the node goes silent;
// tipc: its netns cluster node is cut off, so the others lose the link after
// TIPC's tolerance). Messages published before the others notice expect it:
// their receipts name it 'left' (its binding withdrawn) or 'returned'
// (NO_NODE), never 'acked' and never a hang past the deadline; the subscriber
// that stays acks everything. Once presence has seen it leave, new messages
// expect only the one that stays and their receipts are ok.
import { firstValueFrom, filter } from 'rxjs'
import { topicSuite } from './harness.js'
import { collect } from './collect.js'

topicSuite('a subscriber node crashes: its pending messages end left or returned, the rest go on', { nodes: 2, minNodes: 2, needsCrash: true }, async (t, env) => {
  const name = env.topicName()
  const stays = collect(env.bus(0).topic<{ n: number }>(name).subscribe())
  const doomed = collect(env.bus(1).topic<{ n: number }>(name).subscribe())
  const pub = env.bus(0).topic<{ n: number }>(name)
  await pub.whenSubscribed(2, { timeoutMs: 10_000 })
  const before = await Promise.all(Array.from({ length: 20 }, (_, n) => pub.publish({ n })))
  t.equal(before.filter(r => r.ok).length, 20, 'before the crash: every receipt ok')
  t.equal(doomed.values.length, 20, 'the subscriber about to crash got them too')

  const left = firstValueFrom(pub.subscribers$().pipe(filter(e => e.kind === 'left')))
  await env.cluster.crash(1)
  // Published while the crash may not be known yet: they still expect the crashed subscriber.
  const during = await Promise.all(Array.from({ length: 5 }, (_, n) => pub.publish({ n: 20 + n }, { timeoutMs: 30_000 })))
  for (const r of during) {
    const kinds = r.outcomes.map(o => o.kind).sort()
    t.ok(r.outcomes.some(o => o.kind === 'acked'), 'the subscriber that stays acked')
    if (r.outcomes.length === 2) t.ok(kinds.includes('left') || kinds.includes('returned'), `the crashed one ended left or returned (${kinds.join(', ')})`)
  }
  const gone = await left
  t.equal(gone.kind, 'left', 'presence saw the crashed subscriber leave')
  const after = await Promise.all(Array.from({ length: 20 }, (_, n) => pub.publish({ n: 25 + n })))
  t.equal(after.filter(r => r.ok && r.expected.length === 1).length, 20, 'after: every receipt ok, expecting only the one that stays')
  t.same(stays.values.map(v => v.n), Array.from({ length: 45 }, (_, n) => n), 'the one that stays got every message once, in order')
  stays.stop()
})
