// Queue groups: each member of a group takes its share of the topic (anycast,
// round robin over the members), the group as a whole takes every message,
// once unless the publisher resent the group's copy (a work queue is
// at-least-once: an ack slower than the resend wait sends the copy to the
// group again, and another member may take it), and a plain subscriber
// beside the group still gets them all.
// The publisher's receipts name the group as one target, acked by whichever
// member processed the copy.
import { groupTarget } from '../../../core/pubsub/outcome.js'
import { groupDirectoryType, groupType } from '../../../core/pubsub/topic-name.js'
import { bindingsVisible } from '../../conformance/wait.js'
import { collect } from './collect.js'
import { topicSuite } from './harness.js'

const MESSAGES = 300

topicSuite('a queue group takes each message once, spread over its members; a plain subscriber gets all', { nodes: 2 }, async (t, env) => {
  const name = env.topicName()
  const members = [env.bus(1), env.bus(1), env.bus(0)].map(b => collect(b.topic<{ n: number }>(name).subscribe({ group: 'workers' })))
  const plain = collect(env.bus(1).topic<{ n: number }>(name).subscribe())
  const pub = env.bus(0).topic<{ n: number }>(name)
  const workers = groupType(name, 'workers')
  // Round robin needs every member known where the publisher sends from, and the group in its directory.
  await bindingsVisible(env.cluster.node(0), { type: workers, lower: 0, upper: 0xffffffff }, 3)
  await bindingsVisible(env.cluster.node(0), { type: groupDirectoryType(name), lower: workers, upper: workers }, 3)
  await pub.whenSubscribed(1, { timeoutMs: 10_000 })

  const receipts = await Promise.all(Array.from({ length: MESSAGES }, (_, n) => pub.publish({ n }, { ack: 'all' })))

  const everyN = Array.from({ length: MESSAGES }, (_, n) => n)
  t.same(plain.values.map(v => v.n), everyN, 'the plain subscriber got all of them, in order')
  const taken = members.flatMap(m => m.values.map(v => v.n)).sort((a, b) => a - b)
  t.same([...new Set(taken)], everyN, 'the group took every message')
  // A message the group took twice had its group copy sent more than once.
  const resentToGroup = new Set(receipts.flatMap((r, n) => (r.outcomes.find(o => o.target === groupTarget(workers))?.copies ?? 1) > 1 ? [n] : []))
  const twice = taken.filter((n, i) => i > 0 && taken[i - 1] === n)
  t.ok(twice.every(n => resentToGroup.has(n)), `only a message whose group copy was resent is taken twice (${twice.length} twice, ${resentToGroup.size} resent)`)
  // Kernel TIPC's anycast prefers a binding on the sender's own node (round robin only among those):
  // with a member beside the publisher on another node than the others, that member takes them all.
  const localFirst = env.kind === 'tipc' && env.cluster.nodes.length > 1
  if (localFirst) t.equal(members[2]!.values.length, taken.length, 'tipc: the member on the publisher\'s node took every message (local bindings first)')
  else members.forEach((m, i) => t.ok(m.values.length > 0, `member ${i} took a share (${m.values.length})`))
  const ackingMembers = new Set<string>()
  for (const r of receipts) {
    t.equal(r.ok, true)
    const socketTargets = r.expected.filter(e => e.startsWith('s:'))
    t.same(r.expected.filter(e => !e.startsWith('s:')), [groupTarget(workers)], 'the group is one target')
    t.equal(socketTargets.length, 1, 'the plain subscriber is the other (group members are not socket targets)')
    t.equal(r.outcomes.find(o => o.target === socketTargets[0])?.kind, 'acked')
    const group = r.outcomes.find(o => o.target === groupTarget(workers))
    t.equal(group?.kind, 'acked', `message ${r.seq}: the group target acked`)
    t.equal(group?.group, workers)
    if (group?.subscriber !== undefined) ackingMembers.add(`${group.subscriber.node}:${group.subscriber.ref}`)
  }
  t.equal(ackingMembers.size, members.filter(m => m.values.length > 0).length, 'the receipts name each member that took a message as the one that acked it')
  t.equal(pub.stats().outcomes.acked, MESSAGES * 2, 'one ack per message from the group, one from the plain subscriber')
  for (const m of [...members, plain]) m.stop()
})
