// Communication groups: join with member events, then broadcast, anycast,
// multicast and unicast among members; leaving is seen by the others.
import t from 'tap'
import { DatagramSocket, type TipcMessage } from '../../bindings/index.js'
import { kernelSkip, str, text, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const GROUP = uniqueType()

function member(instance: number, got: TipcMessage[]): DatagramSocket {
  const s = DatagramSocket.open()
  s.join({ type: GROUP, instance, memberEvents: true })
  s.onMessages(batch => { for (const m of batch) got.push(m) })
  return s
}

t.test('group traffic and membership events', { skip }, async t => {
  const got1: TipcMessage[] = []
  const got2: TipcMessage[] = []
  const got3: TipcMessage[] = []
  const got2b: TipcMessage[] = []
  const m1 = member(1, got1)
  const m2 = member(2, got2)
  const m3 = member(3, got3)
  const m2b = member(2, got2b) // a second member with identity 2
  t.teardown(() => [m1, m2, m3, m2b].forEach(s => s.close()))
  const joined = (got: TipcMessage[]) => got.filter(m => m.memberEvent === 'joined').map(m => m.member!.instance).sort()
  await until(() => (joined(got1).length === 3 && joined(got3).length === 3 ? true : undefined), 5000, 'join events')
  t.same(joined(got1), [2, 2, 3], 'member 1 saw 2, 2 and 3 join')

  const data = (got: TipcMessage[]) => got.filter(m => !m.memberEvent).map(m => str(m.data))
  t.ok(m1.broadcast(text('all')))
  await until(() => (data(got2).length && data(got3).length && data(got2b).length ? true : undefined))
  t.same([data(got2), data(got3), data(got2b)], [['all'], ['all'], ['all']], 'broadcast reaches every other member')
  const fromMember = got2.find(m => !m.memberEvent)!
  t.same(fromMember.member, { type: GROUP, instance: 1 }, 'the sender is identified by its member name')

  t.ok(m1.sendto({ type: GROUP, instance: 3 }, text('anycast to 3')))
  t.ok(m1.sendto(m2.address(), text('unicast to 2')))
  t.ok(m1.groupMulticast(2, text('mcast to identity 2')))
  await until(() => (data(got2).length === 3 && data(got2b).length === 2 && data(got3).length === 2 ? true : undefined))
  t.same(data(got2), ['all', 'unicast to 2', 'mcast to identity 2'])
  t.same(data(got2b), ['all', 'mcast to identity 2'], 'multicast reaches every member with that identity')
  t.same(data(got3), ['all', 'anycast to 3'], 'and no other')

  m3.leave()
  await until(() => (got1.some(m => m.memberEvent === 'left' && m.member!.instance === 3) ? true : undefined))
  t.pass('member 1 saw member 3 leave')
})
