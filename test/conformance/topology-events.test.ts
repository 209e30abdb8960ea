// The topology service: bindings that exist are reported at once, then
// each published and withdrawn; the 'service' filter; cancel; nodes.
import { conformance, uniqueType } from './harness.js'
import { until, watch } from './wait.js'

conformance('existing bindings at once, then published and withdrawn', { nodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const before = c.node(1).rdm()
  before.bind({ type, lower: 1, upper: 2 })
  const w = watch(c.node(0), { type, lower: 0, upper: 100 })
  await until(() => (w.events.length === 1 ? true : undefined), 'the existing binding')
  t.match(w.events[0], { kind: 'published', range: { type, lower: 1, upper: 2 }, socket: before.address, node: c.node(1).node })
  const later = c.node(1).rdm()
  later.bind({ type, lower: 50, upper: 500 })
  await until(() => (w.events.length === 2 ? true : undefined), 'the new binding')
  t.same(w.events[1]!.range, { type, lower: 50, upper: 500 }, 'the whole binding, not clipped (as TIPC reports it)')
  later.close()
  await until(() => (w.events.length === 3 ? true : undefined), 'the withdrawal')
  t.match(w.events[2], { kind: 'withdrawn', range: { lower: 50, upper: 500 }, socket: later.address })
  t.same(w.events[2]!.subscription, { type, lower: 0, upper: 100 })
  w.subscription.cancel()
})

conformance("'service' filter: first up and last down of a range only", {}, async (t, c) => {
  const type = uniqueType()
  const w = watch(c.node(0), { type, lower: 0, upper: 10 }, 'service')
  const all = watch(c.node(0), { type, lower: 0, upper: 10 })
  const a = c.node(0).rdm()
  const b = c.node(0).rdm()
  // One step at a time: on the kernel a subscription takes effect when the
  // topology server gets to it, and a binding that comes and goes before
  // then is never reported. Waiting for each 'ports' event keeps the steps
  // apart; by then the 'service' subscription has seen its share too.
  a.bind({ type, instance: 3 })
  await until(() => (all.events.length === 1 ? true : undefined), 'first port event')
  b.bind({ type, instance: 3 })
  await until(() => (all.events.length === 2 ? true : undefined), 'second port event')
  a.close()
  await until(() => (all.events.length === 3 ? true : undefined), 'third port event')
  b.close()
  await until(() => (all.events.length === 4 ? true : undefined), 'four port events')
  await until(() => (w.events.length === 2 ? true : undefined), 'two service events')
  t.same(w.events.map(e => e.kind), ['published', 'withdrawn'])
  w.subscription.cancel()
  all.subscription.cancel()
})

conformance('cancel stops the events of that subscription only', {}, async (t, c) => {
  const type = uniqueType()
  const cancelled = watch(c.node(0), { type, lower: 0, upper: 10 })
  const kept = watch(c.node(0), { type, lower: 0, upper: 10 })
  cancelled.subscription.cancel()
  c.node(0).rdm().bind({ type, instance: 1 })
  c.node(0).rdm().bind({ type, instance: 2 })
  await until(() => (kept.events.length === 2 ? true : undefined), 'two events')
  t.equal(cancelled.events.length, 0, 'no events after cancel')
  kept.subscription.cancel()
})

conformance('nodes: every node up now is reported at once, this one included', { nodes: 2 }, async (t, c) => {
  const up = new Set<number>()
  const sub = c.node(0).watchNodes(e => { if (e.kind === 'up') up.add(e.node) })
  const expected = new Set(c.nodes.map(n => n.node))
  await until(() => ([...expected].every(n => up.has(n)) ? true : undefined), 'every node up')
  t.pass(`nodes up: ${[...up].join(', ')}`)
  sub.cancel()
})

conformance('a crashed node: its bindings withdrawn, the node reported down', { nodes: 2, minNodes: 2, needsCrash: true }, async (t, c) => {
  const type = uniqueType()
  c.node(1).rdm().bind({ type, instance: 1 })
  const w = watch(c.node(0), { type, lower: 0, upper: 10 })
  const nodes: Array<{ kind: string; node: number }> = []
  const sub = c.node(0).watchNodes(e => nodes.push(e))
  await until(() => (w.events.length === 1 ? true : undefined), 'the binding')
  await c.crash(1)
  await until(() => (w.events.length === 2 ? true : undefined), 'the withdrawal')
  t.equal(w.events[1]!.kind, 'withdrawn')
  await until(() => nodes.find(e => e.kind === 'down'), 'node down')
  t.same(nodes.filter(e => e.kind === 'down'), [{ kind: 'down', node: c.nodes[1]!.node }])
  sub.cancel()
  w.subscription.cancel()
})
