// Multicast: a send to a range reaches every socket with an overlapping
// binding, one copy per socket however many of its bindings overlap.
import { NoRouteError } from '../../core/transport-contract/errors.js'
import { conformance, uniqueType } from './harness.js'
import { bindingsVisible, inbox, str, text } from './wait.js'

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
