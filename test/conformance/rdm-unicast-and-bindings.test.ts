// Unicast to a socket address, several bindings per socket, unbind, and
// node scope.
import { InvalidArgumentError, NoRouteError } from '../../core/transport-contract/errors.js'
import { conformance, uniqueType } from './harness.js'
import { bindingsVisible, inbox, text, until, watch } from './wait.js'

conformance('unicast to a socket address carries no destination name', { nodes: 2 }, async (t, c) => {
  const rx = c.node(1).rdm()
  const tx = c.node(0).rdm()
  const got = inbox(rx)
  t.ok(tx.send(rx.address, text('hi')))
  await got.marker('hi')
  t.equal(got.data[0]!.dest, undefined, 'no name for a socket address')
  t.same(got.data[0]!.from, tx.address)
})

conformance('several bindings per socket; unbind withdraws exactly one', {}, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(0).rdm()
  const tx = c.node(0).rdm()
  rx.bind({ type, instance: 1 })
  rx.bind({ type, lower: 10, upper: 20 }, 'node')
  const got = inbox(rx)
  tx.send({ type, instance: 1 }, text('a'))
  tx.send({ type, instance: 15 }, text('b'))
  await got.marker('b')
  t.same(got.texts(), ['a', 'b'])
  t.throws(() => rx.unbind({ type, lower: 10, upper: 20 }, 'cluster'), InvalidArgumentError, 'unbind needs the same scope')
  rx.unbind({ type, lower: 10, upper: 20 }, 'node')
  t.throws(() => tx.send({ type, instance: 15 }, text('gone')), NoRouteError)
  t.ok(tx.send({ type, instance: 1 }, text('still bound')))
  await got.marker('still bound')
})

conformance("a 'node' scope binding is invisible from other nodes", { nodes: 2, minNodes: 2, needs: ['nodeScope'] }, async (t, c) => {
  const type = uniqueType()
  const local = c.node(1).rdm()
  local.bind({ type, instance: 1 }, 'node')
  const marker = c.node(1).rdm()
  marker.bind({ type, instance: 2 })
  // Once the cluster-scope binding bound after it is known, the node-scope one would be too.
  await bindingsVisible(c.node(0), { type, lower: 2, upper: 2 }, 1)
  const remote = watch(c.node(0), { type, lower: 0, upper: 10 })
  await until(() => (remote.events.length >= 1 ? true : undefined), 'the cluster binding event')
  t.same(remote.events.map(e => e.range.lower), [2], 'only the cluster-scope binding is seen remotely')
  t.throws(() => c.node(0).rdm().send({ type, instance: 1 }, text('x')), NoRouteError)
  t.ok(c.node(1).rdm().send({ type, instance: 1 }, text('local')), 'it is reachable on its own node')
  remote.subscription.cancel()
})
