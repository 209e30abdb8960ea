// A subscriber node crashes: presence reports left for each of its sockets
// (with that node), the others stay; NodePresence sees it down.
import t from 'tap'
import { NodePresence, type NodePresenceEvent } from '../../core/pubsub/node-presence.js'
import type { SubscriberEvent } from '../../core/pubsub/subscriber-set.js'
import { TYPES, watched } from './presence-env.js'

const whole = { type: TYPES.type, lower: 0, upper: 0xffffffff }

t.test('a crashed node\'s subscriber sockets leave; the others stay', async t => {
  const { network, transports: [, b, c], presence, events } = watched(3)
  const [s1, s2] = [b!.rdm(), b!.rdm()]
  s1.bind(whole)
  s2.bind({ type: TYPES.type, lower: 0, upper: 9 })
  s2.bind({ type: TYPES.type, lower: 20, upper: 29 })
  const survivor = c!.rdm()
  survivor.bind(whole)
  await network.settle()
  t.equal(presence.subscriberCount, 3)
  network.crash(b!.node)
  await network.settle()
  const left = events.filter((e): e is SubscriberEvent => e.kind === 'left')
  t.same(left.map(e => [e.subscriber, e.node]), [[s1.address, b!.node], [s2.address, b!.node]], 'one left per socket, not per binding')
  t.same(presence.targetsFor(undefined).sockets, [survivor.address])
})

t.test('NodePresence: nodes up now at once, then down and up with clock time', async t => {
  const { network, transports: [a, b] } = watched()
  const nodes = new NodePresence(a!, a!.clock)
  const events: NodePresenceEvent[] = []
  const listening = nodes.onChange(e => events.push(e))
  await network.settle()
  t.same(nodes.up.sort(), [a!.node, b!.node].sort())
  t.equal(nodes.isUp(b!.node), true)
  t.equal(nodes.upSince(b!.node), events.find(e => e.node === b!.node)!.at)
  const crashAt = network.clock.now()
  network.crash(b!.node)
  await network.settle()
  t.same(events.at(-1), { kind: 'down', node: b!.node, at: crashAt + 1 })
  t.equal(nodes.isUp(b!.node), false)
  t.equal(nodes.upSince(b!.node), undefined)
  const c = network.open()
  await network.settle()
  t.same(events.at(-1)?.kind, 'up')
  t.equal(events.at(-1)?.node, c.node)
  listening.cancel()
  nodes.close()
  nodes.close()
  network.open()
  await network.settle()
  t.equal(events.at(-1)?.node, c.node, 'closed: nothing more')
})
