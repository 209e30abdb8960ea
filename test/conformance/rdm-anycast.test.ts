// Anycast: a send to a service address goes to one socket bound to it,
// round-robin over the matching bindings, with the name it was sent to and
// the sender's address; a name nobody has bound fails at once.
import { NoRouteError } from '../../core/transport-contract/errors.js'
import { conformance, uniqueType } from './harness.js'
import { bindingsVisible, inbox, text, until } from './wait.js'

conformance('anycast round-robins over the matching bindings', { nodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const a = c.node(1).rdm()
  const b = c.node(1).rdm()
  const tx = c.node(0).rdm()
  a.bind({ type, lower: 0, upper: 99 })
  b.bind({ type, lower: 0, upper: 99 })
  const gotA = inbox(a)
  const gotB = inbox(b)
  await bindingsVisible(c.node(0), { type, lower: 7, upper: 7 }, 2)
  for (let i = 0; i < 10; i++) t.ok(tx.send({ type, instance: 7 }, text(`m${i}`)))
  await tx.writable()
  await until(() => (gotA.data.length + gotB.data.length === 10 ? true : undefined), '10 messages')
  t.equal(gotA.data.length, 5, 'half to the first binding')
  t.equal(gotB.data.length, 5, 'half to the second binding')
  t.same(gotA.data[0]!.dest, { type, lower: 7, upper: 7 }, 'the name it was sent to, as {type, instance, instance}')
  t.same(gotA.data[0]!.from, tx.address, "the sender's socket address")
  t.equal(gotA.data[0]!.returned, undefined)
})

conformance('anycast to a name nobody has bound: NoRouteError at once, nothing returned later', {}, async (t, c) => {
  const type = uniqueType()
  const tx = c.node(0).rdm()
  const back = inbox(tx)
  const err = t.throws(() => tx.send({ type, instance: 1 }, text('x'))) as NoRouteError
  t.type(err, NoRouteError)
  t.equal(err.code, 'EHOSTUNREACH')
  t.same(err.address, { type, instance: 1 }, 'the error names the address')
  // A message to ourselves, sent after: when it is here, a return would have been too.
  tx.send(tx.address, text('marker'))
  await back.marker('marker')
  t.equal(back.returns.length, 0, 'no returned message')
})

conformance('a binding on another node is reached once known there', { nodes: 2, minNodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(1).rdm()
  rx.bind({ type, instance: 3 })
  const got = inbox(rx)
  await bindingsVisible(c.node(0), { type, lower: 3, upper: 3 }, 1)
  const tx = c.node(0).rdm()
  t.ok(tx.send({ type, instance: 3 }, text('across')))
  await got.marker('across')
  t.equal(got.data[0]!.from.node, c.node(0).node, 'from the other node')
})
