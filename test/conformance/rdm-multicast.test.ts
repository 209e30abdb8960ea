// Multicast: a send to a range reaches every socket with an overlapping
// binding, one copy per socket however many of its bindings overlap.
import { NoRouteError } from '../../core/transport-contract/errors.js'
import { conformance, uniqueType } from './harness.js'
import { bindingsVisible, inbox, str, text, until, watch } from './wait.js'

conformance('multicast: one copy per socket with an overlapping binding, none elsewhere', { nodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const low = c.node(1).rdm()
  const twice = c.node(1).rdm()
  const outside = c.node(1).rdm()
  const tx = c.node(0).rdm()
  low.bind({ type, lower: 0, upper: 9 })
  twice.bind({ type, lower: 10, upper: 12 })
  twice.bind({ type, lower: 13, upper: 19 })
  outside.bind({ type, lower: 50, upper: 59 })
  const [gotLow, gotTwice, gotOutside] = [inbox(low), inbox(twice), inbox(outside)]
  await bindingsVisible(c.node(0), { type, lower: 0, upper: 59 }, 4)
  t.ok(tx.send({ type, lower: 5, upper: 15 }, text('to both')))
  // Unicast markers afterwards: ordered after the multicast on each link, so
  // once they are in, the multicast copies would have been too.
  for (const s of [low, twice, outside]) tx.send(s.address, text('marker'))
  await Promise.all([gotLow.marker('marker'), gotTwice.marker('marker'), gotOutside.marker('marker')])
  t.same(gotLow.texts(), ['to both', 'marker'])
  t.same(gotTwice.texts(), ['to both', 'marker'], 'one copy although two of its bindings overlap')
  t.same(gotOutside.texts(), ['marker'], 'the non-overlapping binding got nothing')
  t.same(gotLow.data[0]!.dest, { type, lower: 5, upper: 15 }, 'dest is the range sent to')
  t.equal(str(gotTwice.data[0]!.data), 'to both')
})

conformance('multicast to a range nobody overlaps: NoRouteError', {}, async (t, c) => {
  const type = uniqueType()
  const rx = c.node(0).rdm()
  rx.bind({ type, lower: 200, upper: 300 })
  const tx = c.node(0).rdm()
  const err = t.throws(() => tx.send({ type, lower: 0, upper: 100 }, text('x'))) as NoRouteError
  t.type(err, NoRouteError)
  t.equal(err.code, 'EHOSTUNREACH')
})

// The same range, send after send, while the bindings change in between: each
// send goes where the name table says at that moment. (A sender may remember
// the last range's nodes; this is what catches it if it forgets to let go.)
conformance('multicast to one range again and again: each send follows the bindings of its moment', { nodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const range = { type, lower: 0, upper: 99 }
  const here = c.node(0).rdm()
  const tx = c.node(0).rdm()
  here.bind({ type, lower: 1, upper: 1 })
  const gotHere = inbox(here)
  await bindingsVisible(c.node(0), range, 1)
  t.ok(tx.send(range, text('before')))

  // A binding on another node: the next send to the same range must reach that node too.
  const there = c.node(1).rdm()
  const gotThere = inbox(there)
  there.bind({ type, lower: 2, upper: 2 })
  await bindingsVisible(c.node(0), range, 2)
  t.ok(tx.send(range, text('while bound')))
  // The receiving node fans a copy out to the bindings it has when the copy arrives: wait for it before unbinding.
  await gotThere.marker('while bound')

  // Withdrawn again: the next send no longer goes there.
  // The watch first reports the binding (tipc registers a subscription asynchronously: unbinding before that would report nothing).
  const seen = watch(c.node(0), range)
  const event = (kind: string) => () => (seen.events.some(e => e.kind === kind && e.socket.ref === there.address.ref) ? true : undefined)
  await until(event('published'), 'the binding seen by the watch')
  there.unbind({ type, lower: 2, upper: 2 })
  await until(event('withdrawn'), 'the withdrawal seen from node 0')
  t.ok(tx.send(range, text('after')))
  seen.subscription.cancel()

  for (const s of [here, there]) tx.send(s.address, text('marker'))
  await Promise.all([gotHere.marker('marker'), gotThere.marker('marker')])
  t.same(gotHere.texts(), ['before', 'while bound', 'after', 'marker'])
  t.same(gotThere.texts(), ['while bound', 'marker'], 'only the send made while it was bound')
})
