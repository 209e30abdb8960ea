// A retransmission timeout on a link whose peer was only slow (descheduled,
// or busy with a queue of large packets) must not resend everything in
// flight: the first expiry resends the oldest packet alone and asks for an
// ack, whose answer shows the rest arrived. A lost tail is still resent at
// once after that answer, with no second expiry. Virtual time: the
// timeouts happen at the same instants on every run.
import t from 'tap'
import { Link } from '../../core/transports/udp/link.js'
import type { LinkBody } from '../../core/transports/udp/packet.js'
import { testConfig } from './lossy-wire.js'
import { ManualLinkClock } from './manual-link-clock.js'


/** A → B with the wire in the test's hands: packets wait until delivered (or dropped). */
function pair() {
  const clock = new ManualLinkClock()
  // One 1300 B record per packet; RTO floor 2 ms (8 ms before the first sample).
  const config = testConfig({ clock, itemSpace: 1400, minRtoMs: 2, maxRtoMs: 50, ackDelayMs: 1 })
  const toB: LinkBody[] = []
  const toA: LinkBody[] = []
  const delivered: number[] = []
  const a = new Link<number>(config, { transmit: b => toB.push(b), deliver: () => {}, drained: () => {}, random: () => 0.5 })
  const b = new Link<number>(config, {
    transmit: body => toA.push(body),
    deliver: r => delivered.push(Buffer.from(r).readUInt32BE(0)),
    drained: () => {},
    random: () => 0.5,
  })
  /** Deliver everything waiting, both ways, until the wire is quiet (no time passes). */
  const settle = () => {
    for (;;) {
      clock.runDeferred()
      const next = toB.length > 0 ? { to: b, body: toB.shift()! } : toA.length > 0 ? { to: a, body: toA.shift()! } : undefined
      if (!next) return
      next.to.receive(next.body, 1300)
    }
  }
  const send = (n: number) => {
    for (let i = 0; i < n; i++) {
      const r = Buffer.alloc(1300, 1)
      r.writeUInt32BE(i, 0)
      a.enqueue(r, i, 1)
    }
    a.flush()
    clock.runDeferred()
  }
  /** Let time pass until the sender's next retransmission timeout (no packet moves meanwhile). */
  const untilExpiry = () => {
    const before = a.stats.timeouts
    for (let ms = 0; a.stats.timeouts === before; ms++) {
      if (ms > 1000) throw new Error('no expiry within 1 s')
      clock.advance(1)
    }
  }
  return { clock, a, b, toB, delivered, settle, send, untilExpiry }
}

t.test('a slow peer: the first expiry resends one packet, and its answer shows the rest arrived', async t => {
  const { clock, a, b, toB, delivered, settle, send, untilExpiry } = pair()
  send(20)
  t.equal(toB.length, 20, '20 packets on the wire, none delivered yet')
  // The peer does not run until the deadline has passed.
  untilExpiry()
  t.equal(a.stats.timeouts, 1, 'one expiry')
  t.equal(a.stats.retransmits, 1, 'the oldest packet alone was resent')
  settle()
  t.same(delivered, Array.from({ length: 20 }, (_, i) => i), 'all 20 delivered once, in order')
  t.equal(b.stats.duplicates, 1, 'the peer saw one duplicate (not 20)')
  t.equal(a.stats.spuriousTimeouts, 1, 'the expiry was found spurious')
  t.equal(a.queued, 0, 'everything acked')
  clock.advance(100)
  t.equal(a.stats.retransmits, 1, 'nothing more was resent')
})

t.test('a lost tail: resent at once after the first answer, with no second expiry', async t => {
  const { clock, a, toB, delivered, settle, send, untilExpiry } = pair()
  send(20)
  toB.splice(10)  // packets 11-20 are lost
  settle()
  clock.advance(2)  // the peer's delayed ack for 9-10
  settle()
  t.equal(a.queued, 10, '10 records unacked')
  untilExpiry()
  t.equal(a.stats.timeouts, 1, 'one expiry')
  t.equal(a.stats.retransmits, 1, 'the oldest lost packet resent first')
  settle()
  t.same(delivered, Array.from({ length: 20 }, (_, i) => i), 'all 20 delivered once, in order')
  t.equal(a.stats.retransmits, 10, 'the other 9 followed the answer at once')
  t.equal(a.stats.timeouts, 1, 'no second expiry was needed')
  t.equal(a.stats.spuriousTimeouts, 0, 'not counted as spurious')
  clock.advance(1)  // the peer's delayed ack
  settle()
  t.equal(a.queued, 0, 'everything acked')
})

t.test('the resent packet lost too: the next expiry resends the rest as before', async t => {
  const { a, toB, delivered, settle, send, untilExpiry } = pair()
  send(5)
  toB.length = 0  // all five lost
  untilExpiry()
  t.equal(a.stats.retransmits, 1, 'first expiry: one packet')
  toB.length = 0  // and that one lost as well
  untilExpiry()
  t.equal(a.stats.timeouts, 2, 'a second expiry')
  t.ok(a.stats.retransmits >= 6, `the second resent all five (${a.stats.retransmits} retransmits)`)
  settle()
  t.same(delivered, [0, 1, 2, 3, 4], 'all delivered, in order')
})
