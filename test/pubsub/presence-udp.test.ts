// Presence on the udp transport (two nodes in this process, on loopback),
// with the wall clock: a remote subscriber joins and leaves, whenSubscribed
// resolves on it, and times out in real milliseconds.
import t from 'tap'
import { systemClock } from '../../core/pubsub/clock.js'
import { PresenceTimeoutError } from '../../core/pubsub/errors.js'
import { TopicPresence, type PresenceEvent } from '../../core/pubsub/presence.js'
import { openUdpCluster } from '../conformance/clusters/udp.js'
import { TYPES } from './presence-env.js'

t.test('udp: a remote subscriber joins and leaves; whenSubscribed resolves and times out', async t => {
  const [a, b] = await openUdpCluster(2)
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const presence = new TopicPresence(a!, TYPES, systemClock)
  t.teardown(() => presence.close())
  const events: PresenceEvent[] = []
  presence.onChange(e => events.push(e))
  const sub = b!.rdm()
  const joined = presence.whenSubscribed(1, { timeoutMs: 5000 })
  sub.bind({ type: TYPES.type, lower: 0, upper: 99 })
  await joined
  t.same(events.map(e => [e.kind, 'subscriber' in e ? e.subscriber : undefined, 'node' in e ? e.node : undefined]),
    [['joined', sub.address, b!.node]])
  t.same(presence.targetsFor(50).sockets, [sub.address])
  t.same(presence.targetsFor(100).sockets, [])
  await t.rejects(presence.whenSubscribed(2, { timeoutMs: 50 }), PresenceTimeoutError)
  const left = new Promise<void>(resolve => presence.onChange(e => { if (e.kind === 'left') resolve() }))
  sub.close()
  await left
  t.equal(presence.subscriberCount, 0)
  t.equal(events.at(-1)?.kind, 'left')
})
