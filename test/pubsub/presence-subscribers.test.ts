// Presence of subscriber sockets: joined / left events with the node and the
// clock time, a socket with several bindings counted once (it leaves with its
// last binding), bindings that exist before presence starts reported at once.
import t from 'tap'
import { TopicPresence } from '../../core/pubsub/presence.js'
import { MemoryNetwork } from '../../core/transports/memory/index.js'
import { TYPES, watched } from './presence-env.js'

const whole = { type: TYPES.type, lower: 0, upper: 0xffffffff }

t.test('joined and left, with node, range and clock time', async t => {
  const { network, transports: [, b], presence, events } = watched()
  await network.settle()
  const before = network.clock.now()
  const sub = b!.rdm()
  sub.bind(whole)
  await network.settle()
  t.same(events, [{ kind: 'joined', subscriber: sub.address, range: whole, node: b!.node, at: before + 1 }])
  t.equal(presence.subscriberCount, 1)
  t.same(presence.subscriberList(), [{ socket: sub.address, node: b!.node, ranges: [whole], since: before + 1 }])
  const closedAt = network.clock.now()
  sub.close()
  await network.settle()
  t.same(events[1], { kind: 'left', subscriber: sub.address, range: whole, node: b!.node, at: closedAt + 1 })
  t.equal(presence.subscriberCount, 0)
})

t.test('a socket with several bindings counts once, and leaves with its last binding', async t => {
  const { network, transports: [, b], presence, events } = watched()
  const sub = b!.rdm()
  const low = { type: TYPES.type, lower: 0, upper: 99 }
  const high = { type: TYPES.type, lower: 100, upper: 199 }
  sub.bind(low)
  sub.bind(high)
  await network.settle()
  t.equal(presence.subscriberCount, 1)
  t.same(events.map(e => e.kind), ['joined'])
  t.same(presence.subscriberList()[0]!.ranges, [low, high])
  sub.unbind(low)
  await network.settle()
  t.same(events.map(e => e.kind), ['joined'], 'one binding left: still a subscriber')
  t.same(presence.subscriberList()[0]!.ranges, [high])
  sub.unbind(high)
  await network.settle()
  t.same(events.map(e => e.kind), ['joined', 'left'])
  t.same(events[1], { kind: 'left', subscriber: sub.address, range: high, node: b!.node, at: events[1]!.at })
})

t.test('bindings that exist before presence starts are reported at once; other types are not', async t => {
  const network = new MemoryNetwork()
  const [a, b] = [network.open(), network.open()]
  const early = b.rdm()
  early.bind({ type: TYPES.type, instance: 7 })
  b.rdm().bind({ type: TYPES.type + 10, instance: 7 })
  await network.settle()
  const presence = new TopicPresence(a, TYPES, a.clock)
  await network.settle()
  t.same(presence.subscriberList().map(s => s.socket), [early.address])
})

t.test('a node-scope binding elsewhere is not seen; one on the watching node is', async t => {
  const { network, transports: [a, b], presence } = watched()
  const remote = b!.rdm()
  remote.bind(whole, 'node')
  const local = a!.rdm()
  local.bind(whole, 'node')
  await network.settle()
  t.same(presence.subscriberList().map(s => s.socket), [local.address])
})

t.test('a listener that throws does not keep the others from the event; cancel stops one', async t => {
  const { network, transports: [, b], presence, events } = watched()
  const thrown: unknown[] = []
  const onUncaught = (err: unknown) => thrown.push(err)
  process.on('uncaughtException', onUncaught)
  t.teardown(() => process.off('uncaughtException', onUncaught))
  presence.onChange(() => { throw new Error('listener bug') })
  const later: string[] = []
  const listening = presence.onChange(e => later.push(e.kind))
  const sub = b!.rdm()
  sub.bind(whole)
  await network.settle()
  await new Promise(resolve => setImmediate(resolve))
  t.equal(events.length, 1, 'the first listener had it')
  t.same(later, ['joined'], 'so had the one after the thrower')
  t.same(thrown.map(e => (e as Error).message), ['listener bug'], 'the error surfaced on its own')
  t.equal(presence.subscriberCount, 1, 'the state change stands')
  listening.cancel()
  listening.cancel()
  sub.close()
  await network.settle()
  t.same(later, ['joined'], 'a cancelled listener hears nothing more')
  t.equal(events.length, 2)
})

t.test('close(): no more events, idempotent', async t => {
  const { network, transports: [, b], presence, events } = watched()
  await network.settle()
  presence.close()
  presence.close()
  b!.rdm().bind(whole)
  await network.settle()
  t.same(events, [])
  t.equal(presence.subscriberCount, 0)
})
