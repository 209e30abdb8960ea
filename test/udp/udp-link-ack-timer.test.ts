// When a link arms its timers. The ack timer: a packet that needs an ack
// makes the link decide after the receiving call has returned (the node
// hands the packet's records over only then, and an answer written then
// leaves on a microtask): when a packet of this turn carries the acks, no
// timer is armed at all (a request/response link); with nothing to send,
// a state packet answers after ackDelayMs as before. The retransmission
// timer: acks that make progress move its deadline on, and a timer already
// running is kept (no clear and set again per round trip). Virtual time;
// timers are counted, never timed.
import t from 'tap'
import { Link } from '../../core/transports/udp/link.js'
import type { LinkBody } from '../../core/transports/udp/packet.js'
import { testConfig } from './lossy-wire.js'
import { ManualLinkClock } from './manual-link-clock.js'


/** A requester and a responder; `answer` false: the responder only takes the requests. */
function pair(clock: ManualLinkClock, random = () => 0.5) {
  const config = testConfig({ clock, ackDelayMs: 1, minRtoMs: 5, maxRtoMs: 100 })
  const toB: LinkBody[] = []
  const toA: LinkBody[] = []
  let answers = 0
  const host = (out: LinkBody[], deliver: () => void) => ({ transmit: (b: LinkBody) => out.push(b), deliver, drained: () => {}, random })
  const a = new Link<number>(config, host(toB, () => answers++))
  const b = new Link<number>(config, host(toA, () => {}))
  /** A packet arrives at `to`; then, as the node does after the receiving call, `after` runs (the application's answer), then the microtasks. */
  const arrive = (to: Link<number>, body: LinkBody, after?: () => void) => {
    to.receive(body, 100)
    after?.()
    clock.runDeferred()
  }
  return { a, b, toA, toB, answers: () => answers, arrive }
}

const record = () => Buffer.alloc(64, 7)

t.test('request/response: the answers carry the acks, and no ack timer is armed', async t => {
  const clock = new ManualLinkClock()
  const { a, b, toA, toB, answers, arrive } = pair(clock)
  a.enqueue(record(), 0, 1)
  clock.runDeferred()
  // Round trips of 0.3 ms: 15 ms in all, time enough for an ack timer to fire many times.
  for (let i = 1; i <= 50; i++) {
    t.equal(toB.length, 1, `request ${i} on the wire`)
    clock.step(0.15)
    arrive(b, toB.shift()!, () => b.enqueue(record(), i, 1))
    t.equal(toA.length, 1, `answer ${i} on the wire`)
    t.equal(toA[0]!.items.length, 1, 'the answer is a data packet')
    clock.step(0.15)
    arrive(a, toA.shift()!, () => { if (i < 50) a.enqueue(record(), i, 1) })
  }
  t.equal(clock.setShort, 1, 'one ack timer armed, for the last answer (nothing answered it)')
  t.equal(answers(), 50, '50 answers delivered')
  t.equal(a.stats.statesSent + b.stats.statesSent, 0, 'no state packet: every ack rode on a request or an answer')
  clock.advance(1)
  t.equal(toB.length, 1, 'after ackDelayMs the last answer is acked by a state packet')
  t.equal(toB[0]!.items.length, 0, 'a state packet')
  t.equal(clock.setShort, 1, 'and no other')
})

t.test('nothing to answer: a state packet acks within ackDelayMs', async t => {
  const clock = new ManualLinkClock()
  const { a, b, toA, toB, arrive } = pair(clock)
  a.enqueue(record(), 0, 1)
  clock.runDeferred()
  arrive(b, toB.shift()!)
  t.equal(toA.length, 0, 'no ack yet')
  t.equal(clock.pending >= 1, true, 'the ack timer is armed')
  clock.advance(1)
  t.equal(toA.length, 1, 'a state packet after ackDelayMs')
  t.equal(toA[0]!.items.length, 0, 'with no items')
  arrive(a, toA.shift()!)
  t.equal(a.queued, 0, 'the record is acked')
  t.equal(b.stats.statesSent, 1, 'one state packet')
})

t.test('an answer that cannot leave (flight full) still gets its ack out by the timer', async t => {
  const clock = new ManualLinkClock()
  const config = testConfig({ clock, ackDelayMs: 1, minRtoMs: 5, maxRtoMs: 100, flightBytes: 1 })
  const toB: LinkBody[] = []
  const toA: LinkBody[] = []
  const host = (out: LinkBody[]) => ({ transmit: (b: LinkBody) => out.push(b), deliver: () => {}, drained: () => {}, random: () => 0.5 })
  const a = new Link<number>(config, host(toB))
  const b = new Link<number>(config, host(toA))
  // b has a packet of its own in flight (unacked), so its answer must wait for room.
  b.enqueue(record(), 100, 1)
  clock.runDeferred()
  t.equal(toA.length, 1, "b's own packet in flight")
  toA.length = 0
  a.enqueue(record(), 0, 1)
  clock.runDeferred()
  b.receive(toB.shift()!, 100)
  b.enqueue(record(), 101, 1)
  clock.runDeferred()
  t.equal(toA.length, 0, 'the answer waits for room in flight')
  clock.advance(1)
  t.equal(toA.length, 1, 'a state packet acks the request after ackDelayMs')
  t.equal(toA[0]!.items.length, 0, 'with no items')
  a.receive(toA.shift()!, 100)
  t.equal(a.queued, 0, "a's request is acked")
})

t.test('acks that make progress keep the running retransmission timer', async t => {
  const clock = new ManualLinkClock()
  // Jitter draws that differ every time, and round trips of 0.13 ms: deadlines off the millisecond grid.
  const draws = [0.9, 0.1, 0.6, 0.3, 0.8, 0.0, 0.5]
  let k = 0
  const { a, b, toA, toB, arrive } = pair(clock, () => draws[k++ % draws.length]!)
  a.enqueue(record(), 0, 1)
  clock.runDeferred()
  for (let i = 1; i <= 300; i++) {
    clock.step(0.065)
    arrive(b, toB.shift()!, () => b.enqueue(record(), i, 1))
    clock.step(0.065)
    arrive(a, toA.shift()!, () => a.enqueue(record(), i, 1))
  }
  t.ok(clock.cleared <= 2, `cleared ${clock.cleared} times: once each end, when the first round trip measured brings the RTO down from its start (4x the floor)`)
  // 39 ms: each end's timer (both have data in flight) fires about every RTO (5 ms at the floor,
  // +-25%), finds the deadline moved on and waits the rest: at most 2 x (39 / 3.75 + 2) sets.
  const retransmission = clock.set - clock.setShort
  t.ok(retransmission <= 24, `retransmission timers set over 300 round trips and 39 ms: ${retransmission} (not one per round trip)`)
  t.equal(a.stats.timeouts + b.stats.timeouts, 0, 'no timeout')
})
