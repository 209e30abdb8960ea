// Which targets a message expects: a keyed publish (one instance) expects the
// subscriber sockets whose range covers it (partitions of the key space), an
// unkeyed one every subscriber socket; queue groups, learnt through the
// group directory type, are targets of both.
import t from 'tap'
import type { GroupEvent } from '../../core/pubsub/group-set.js'
import { TYPES, watched } from './presence-env.js'

const range = (lower: number, upper: number) => ({ type: TYPES.type, lower, upper })

t.test('partitions of the key space: targetsFor(instance) and targetsFor(undefined)', async t => {
  const { network, transports: [, b, c], presence } = watched(3)
  const low = b!.rdm()
  low.bind(range(0, 0x7fffffff))
  const high = c!.rdm()
  high.bind(range(0x80000000, 0xffffffff))
  const all = c!.rdm()
  all.bind(range(0, 0xffffffff))
  await network.settle()
  t.same(presence.targetsFor(5), { sockets: [low.address, all.address], groups: [] })
  t.same(presence.targetsFor(0x7fffffff), { sockets: [low.address, all.address], groups: [] }, 'upper bound included')
  t.same(presence.targetsFor(0x80000000), { sockets: [high.address, all.address], groups: [] }, 'lower bound included')
  t.same(presence.targetsFor(undefined).sockets, [low.address, high.address, all.address])
})

t.test('a socket bound to two disjoint ranges is a target for both, once for an unkeyed publish', async t => {
  const { network, transports: [, b], presence } = watched()
  const sub = b!.rdm()
  sub.bind(range(10, 19))
  sub.bind(range(30, 39))
  await network.settle()
  t.same(presence.targetsFor(15).sockets, [sub.address])
  t.same(presence.targetsFor(35).sockets, [sub.address])
  t.same(presence.targetsFor(25).sockets, [], 'between its ranges: not a target')
  t.same(presence.targetsFor(undefined).sockets, [sub.address])
})

t.test('queue groups through the directory type: joined with the first member, left with the last', async t => {
  const { network, transports: [, b, c], presence, events } = watched(3)
  const [G1, G2] = [80_001, 80_002]
  const entry = (g: number) => ({ type: TYPES.groupDirectoryType, lower: g, upper: g })
  const m1 = b!.rdm()
  m1.bind({ type: G1, instance: 0 })
  m1.bind(entry(G1))
  const m2 = c!.rdm()
  m2.bind(entry(G1))
  const other = c!.rdm()
  other.bind(entry(G2))
  await network.settle()
  const groupEvents = () => events.filter((e): e is GroupEvent => e.kind.startsWith('group'))
  t.same(groupEvents().map(e => [e.kind, e.group]), [['group-joined', G1], ['group-joined', G2]])
  t.same(presence.groupList().map(g => [g.group, g.members]), [[G1, 2], [G2, 1]])
  t.same(presence.targetsFor(3), { sockets: [], groups: [G1, G2] }, 'a group is a target of a keyed publish')
  t.same(presence.targetsFor(undefined).groups, [G1, G2], 'and of an unkeyed one')
  t.equal(presence.subscriberCount, 0, 'group members are not subscriber sockets of the topic')
  m1.close()
  await network.settle()
  t.same(presence.groupList().map(g => [g.group, g.members]), [[G1, 1], [G2, 1]], 'one member left: the group stays')
  m2.unbind(entry(G1))
  await network.settle()
  t.same(groupEvents().map(e => [e.kind, e.group]), [['group-joined', G1], ['group-joined', G2], ['group-left', G1]])
  t.same(presence.targetsFor(undefined).groups, [G2])
})

t.test('a member with its directory entry bound twice stays until both are withdrawn; wider ranges are ignored', async t => {
  // On the watching node, so that its node-scope binding is seen too.
  const { network, transports: [a], presence } = watched()
  const G = 80_003
  const m = a!.rdm()
  m.bind({ type: TYPES.groupDirectoryType, lower: G, upper: G })
  m.bind({ type: TYPES.groupDirectoryType, lower: G, upper: G }, 'node')
  m.bind({ type: TYPES.groupDirectoryType, lower: 1, upper: 5 })
  await network.settle()
  t.same(presence.groupList().map(g => [g.group, g.members]), [[G, 1]])
  m.unbind({ type: TYPES.groupDirectoryType, lower: G, upper: G })
  await network.settle()
  t.same(presence.groupList().map(g => g.group), [G], 'one entry still bound')
  m.unbind({ type: TYPES.groupDirectoryType, lower: 1, upper: 5 })
  m.unbind({ type: TYPES.groupDirectoryType, lower: G, upper: G }, 'node')
  await network.settle()
  t.same(presence.groupList(), [])
})
