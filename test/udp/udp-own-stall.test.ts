// This process stalls (a long GC, a starved CPU, a burst of synchronous
// work) for several times the link tolerance, with two udp nodes in it:
// neither heard the other meanwhile, yet neither peer was silent, it was
// this process that did not run. The links must stay up and the bindings
// stay put, as on kernel TIPC, which counts silent probe intervals rather
// than wall time. (Before peers.ts excused its own stalls, both nodes reset
// the link at once, withdrew each other's bindings, and multicasts sent
// during the reset skipped the other node: the late-joiner suite lost
// thousands of a 10,000-message burst at load 12.) A peer that really is
// silent is still found out within the tolerance (udp-peer-sigkill and
// the conformance suite's crash tests).
import { randomInt } from 'node:crypto'
import t from 'tap'
import { openUdpCluster } from '../conformance/clusters/udp.js'
import { bindingsVisible, inbox, text } from '../conformance/wait.js'

const TOLERANCE_MS = 300

t.test('stalls of this process of 4x the tolerance take no link down', async t => {
  const [a, b] = await openUdpCluster(2, { toleranceMs: TOLERANCE_MS, heartbeatMs: 50 })
  t.teardown(() => Promise.all([a!.close(), b!.close()]))
  const downs: string[] = []
  for (const node of [a!, b!]) node.watchNodes(e => { if (e.kind === 'down') downs.push(`${node.node} saw ${e.node} down`) })
  const type = 0x5100_0000 + randomInt(0, 0xffffff)
  const rx = b!.rdm()
  rx.bind({ type, lower: 0, upper: 10 })
  const got = inbox(rx)
  await bindingsVisible(a!, { type, lower: 0, upper: 10 }, 1)
  const tx = a!.rdm()

  // Several stalls with one turn of the event loop between them: after the first, the packets sent
  // just before it still wait in the sockets and refresh the links; after the next ones nothing does.
  for (let stall = 0; stall < 4; stall++) {
    const until = performance.now() + 4 * TOLERANCE_MS
    while (performance.now() < until) { /* the process at work: no timer, no I/O */ }
    await new Promise(resolve => setImmediate(resolve))
  }
  // Some turns of the event loop: every housekeeping tick that was due runs, then a few more.
  await new Promise(resolve => setTimeout(resolve, 2 * TOLERANCE_MS / 3))

  t.same(downs, [], 'no node saw the other go down')
  t.equal(a!.stats().node.linksDown + b!.stats().node.linksDown, 0, 'no link went down')
  t.ok(tx.send({ type, lower: 0, upper: 10 }, text('after the stall')), 'the multicast is taken')
  await got.marker('after the stall')
  t.equal(got.data.length, 1, 'and reaches the binding on the other node, which is still known')
})
