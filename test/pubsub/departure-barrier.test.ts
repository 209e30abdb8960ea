// The departure barrier on its own: a departed socket's targets fail as
// 'left' only when its probe comes back, when the probe cannot be sent, or
// after the timeout; one probe per socket; a stray return changes nothing.
import t from 'tap'
import { DEPARTURE_PROBE_TIMEOUT_MS, DepartureBarrier } from '../../core/pubsub/departure-barrier.js'
import { groupTarget, socketTarget, type TargetId } from '../../core/pubsub/outcome.js'
import { ManualClock } from './manual-clock.js'

const S = { node: 1, ref: 7 }
const OTHER = { node: 2, ref: 9 }

function rig(sendFails = false) {
  const clock = new ManualClock()
  const probes: string[] = []
  const left: Array<[TargetId, number]> = []
  const barrier = new DepartureBarrier(clock, {
    probe: (socket, failed) => {
      probes.push(`${socket.node}:${socket.ref}`)
      if (sendFails) failed()
    },
    left: (target, mark) => left.push([target, mark]),
  })
  return { clock, probes, left, barrier }
}

t.test('left when the probe comes back, not before', async t => {
  const { clock, probes, left, barrier } = rig()
  barrier.departed(socketTarget(S), S, 41)
  t.same(probes, ['1:7'], 'one probe, to the departed socket')
  clock.advance(DEPARTURE_PROBE_TIMEOUT_MS - 1)
  t.same(left, [], 'nothing failed while the probe is out')
  t.equal(barrier.returned(OTHER), false, 'a return from another socket passes nothing')
  t.equal(barrier.returned(S), true)
  t.same(left, [[socketTarget(S), 41]], 'with the mark it left at')
  clock.advance(10)
  t.equal(barrier.returned(S), false, 'a second return is a stray one')
  t.same(left, [[socketTarget(S), 41]], 'and the timeout was cancelled')
})

t.test('one probe for a socket that was also a group\'s last member; both targets pass with it', async t => {
  const { probes, left, barrier } = rig()
  barrier.departed(socketTarget(S), S, 5)
  barrier.departed(groupTarget(100), S, 6)
  barrier.departed(groupTarget(100), S, 8)
  t.same(probes, ['1:7'])
  t.equal(barrier.size, 1)
  barrier.returned(S)
  t.same(left, [[socketTarget(S), 5], [groupTarget(100), 8]], 'a target that left again: its latest mark')
  t.equal(barrier.size, 0)
})

t.test('a probe that cannot be sent passes at once; one that never returns, at the timeout', async t => {
  const failing = rig(true)
  failing.barrier.departed(socketTarget(S), S, 1)
  t.same(failing.left, [[socketTarget(S), 1]], 'no route to the socket: nothing more can come from it')
  const silent = rig()
  silent.barrier.departed(socketTarget(OTHER), OTHER, 2)
  silent.clock.advance(DEPARTURE_PROBE_TIMEOUT_MS - 1)
  t.same(silent.left, [])
  silent.clock.advance(1)
  t.same(silent.left, [[socketTarget(OTHER), 2]])
})

t.test('close forgets what is out without failing it', async t => {
  const { clock, left, barrier } = rig()
  barrier.departed(socketTarget(S), S, 3)
  barrier.close()
  clock.advance(DEPARTURE_PROBE_TIMEOUT_MS * 2)
  t.equal(barrier.returned(S), false)
  t.same(left, [])
})
