// A sender whose window fills in fewer packets than the peer acks at once
// (every 8) must not wait out the peer's ack delay for every window: the
// packet that takes the window past half full asks for an ack (the probe
// flag), and the peer answers it at once. Time stands still here (no timer
// ever fires), so only an ack sent without the ack timer can reopen the
// window: before the ack request, this sender stayed full.
import t from 'tap'
import { Link } from '../../core/transports/udp/link.js'
import { LINK_FLAG_PROBE, type LinkBody } from '../../core/transports/udp/packet.js'
import { testConfig } from './lossy-wire.js'
import { ManualLinkClock } from './manual-link-clock.js'

function pair(linkWindow: number) {
  const clock = new ManualLinkClock()  // never moved: timers are set and never fire
  // 64 B records, 1400 B packets: ~19 records a packet.
  const config = testConfig({ clock, linkWindow, itemSpace: 1400 })
  const wire: Array<{ to: 0 | 1; body: LinkBody }> = []
  const drained = [0, 0]
  const links = [0, 1].map(i => new Link<number>(config, {
    transmit: body => wire.push({ to: (1 - i) as 0 | 1, body }),
    deliver: () => {},
    drained: () => drained[i]!++,
    random: () => 0.5,
  }))
  /** Deliver what is on the wire (and what that causes) until it is quiet. */
  const settle = (): LinkBody[] => {
    const seen: LinkBody[] = []
    for (;;) {
      clock.runDeferred()
      const next = wire.shift()
      if (!next) return seen
      if (next.to === 1) seen.push(next.body)
      links[next.to]!.receive(next.body, 100)
    }
  }
  return { clock, links: links as [Link<number>, Link<number>], drained, settle }
}

t.test('a window of small records reopens without the ack timer', async t => {
  const linkWindow = 64
  const { clock, links: [a], drained, settle } = pair(linkWindow)
  const record = Buffer.alloc(64, 7)
  let written = 0
  while (!a.full(1)) a.enqueue(record, written++, 1)
  t.equal(written, linkWindow, 'the window took linkWindow records')
  a.stall()
  const packets = settle()
  const data = packets.filter(p => p.items.length > 0)
  t.ok(data.length > 0 && data.length < 8, `the window went in ${data.length} packets (fewer than the peer's ack-every 8)`)
  t.equal(data.filter(p => (p.flags & LINK_FLAG_PROBE) !== 0).length, 1, 'one packet asked for an ack')
  t.equal(a.stats.ackRequests, 1, 'counted')
  t.equal(drained[0], 1, 'the sender heard drained: the window reopened with no timer fired')
  t.ok(a.queued < linkWindow / 2, `records still unacked: ${a.queued}`)
  t.ok(clock.set > 0, 'timers were set (and never fired)')
})

t.test('a filling writer sends full packets only; the stall sends the rest at once', async t => {
  const { links: [a], settle } = pair(1000)
  const record = Buffer.alloc(64, 7)
  for (let i = 0; i < 100; i++) a.enqueue(record, i, 1)
  a.stall()
  const sizes = settle().filter(p => p.items.length > 0).map(p => p.items.length)
  t.equal(sizes.reduce((x, y) => x + y, 0), 100, 'every record sent')
  t.ok(sizes.slice(0, -1).every(n => n === sizes[0]), `packets before the last are full: ${sizes.join(',')}`)
  t.ok(sizes.at(-1)! <= sizes[0]!, 'the last takes the rest')
})

t.test('no ack is asked while the window is under half full (request/response stays as it was)', async t => {
  const { links: [a], settle } = pair(64)
  const record = Buffer.alloc(64, 7)
  for (let i = 0; i < 31; i++) a.enqueue(record, i, 1)
  a.flush()
  const data = settle().filter(p => p.items.length > 0)
  t.equal(data.filter(p => (p.flags & LINK_FLAG_PROBE) !== 0).length, 0, 'no probe flag')
  t.equal(a.stats.ackRequests, 0)
})
